package ftpfs_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs/internal/ftpdialect"
)

// Dialects of LIST (docs/dialects-found.md P3, B1, B2, B3). The servers
// have no MLSD, so every listing is a LIST.

// listOnly refuses MLSD and MLST, as inetutils and in.ftpd do.
var listOnly = []string{"MLSD", "MLST"}

// The well-behaved server: everything works as on a local disk.
func TestDialectNone(t *testing.T) {
	for _, refuse := range [][]string{nil, listOnly} {
		t.Run(map[bool]string{true: "MLSD", false: "LIST"}[refuse == nil], func(t *testing.T) {
			fsys, _, _ := serveDialect(t, ftpdialect.Dialect{Refuse: refuse}, linkTree)
			names, _, err := dialectReadDir(t, fsys, "/")
			want := []string{"dangling", "dir", "file.txt", "loop-a", "loop-b", "to-dir", "to-file"}
			if err != nil || !slices.Equal(names, want) {
				t.Errorf("ReadDir(/) = %q, %v; want %q", names, err, want)
			}
			wantLink(t, fsys, "to-dir", "dir")
			wantLink(t, fsys, "dangling", "nowhere")
			if got, err := readFile(t, fsys, "to-dir/inner.txt"); err != nil || got != "inner" {
				t.Errorf("ReadFile(to-dir/inner.txt) = %q, %v", got, err)
			}
		})
	}
}

// pyftpdlib takes "LIST -a <path>" for a path named "-a <path>" (P3):
// the Fs falls back to "LIST <path>", which costs one extra listing, once.
func TestDialectListDashAAsPath(t *testing.T) {
	d := ftpdialect.Dialect{Refuse: listOnly, ListArgs: ftpdialect.ListDashAsPath}
	fsys, srv, _ := serveDialect(t, d, tree{files: map[string]string{
		"a/1.txt": "1", "b/2.txt": "2", "c/3.txt": "3",
	}})
	for _, dir := range []string{"a", "b", "c"} {
		names, _, err := dialectReadDir(t, fsys, dir)
		if err != nil || len(names) != 1 {
			t.Errorf("ReadDir(%s) = %q, %v; want one file", dir, names, err)
		}
	}
	// The refused option costs one more LIST, once.
	dashA := 0
	for _, line := range srv.Lines() {
		if strings.HasPrefix(line, "LIST -a ") {
			dashA++
		}
	}
	if dashA != 1 {
		t.Errorf("LIST -a <path> sent %d times; want once (%q)", dashA, srv.Lines())
	}
}

// inetutils and in.ftpd run ls on the words of LIST's argument (B2): a
// directory with a blank or a glob character in its name is listed from
// inside (CWD).
func TestDialectListWords(t *testing.T) {
	d := ftpdialect.Dialect{Refuse: listOnly, ListArgs: ftpdialect.ListWords, ListMissing: ftpdialect.ListMissingPathText}
	fsys, _, _ := serveDialect(t, d, tree{files: map[string]string{
		"a b/c d.txt": "blank", "a/x.txt": "decoy", "b/y.txt": "decoy",
		"star*/in.txt": "glob", "stardust/decoy.txt": "decoy",
	}})
	// in.ftpd globs the words too: "star*" is listed as itself.
	names, _, err := dialectReadDir(t, fsys, "star*")
	if err != nil || !slices.Equal(names, []string{"in.txt"}) {
		t.Errorf("ReadDir(star*) = %q, %v; want [in.txt]", names, err)
	}
	names, _, err = dialectReadDir(t, fsys, "a b")
	if err != nil || !slices.Equal(names, []string{"c d.txt"}) {
		t.Errorf("ReadDir(a b) = %q, %v; want [c d.txt]", names, err)
	}
	fi, err := stat(t, fsys, "a b/c d.txt")
	if err != nil || fi.Size() != 5 {
		t.Errorf("Stat(a b/c d.txt) = %v, %v; want 5 bytes", fi, err)
	}
	if got, err := readFile(t, fsys, "a b/c d.txt"); err != nil || got != "blank" {
		t.Errorf("ReadFile(a b/c d.txt) = %q, %v", got, err)
	}
}

// inetutils and in.ftpd send the error of ls as the listing of a missing
// path, and 226 (B1): that is "not found", not an unparsable listing.
// vsftpd sends an empty listing: not an empty directory either.
func TestDialectListErrorText(t *testing.T) {
	for _, c := range []struct {
		name    string
		missing ftpdialect.ListMissing
	}{
		{"inetutils", ftpdialect.ListMissingPathText},
		{"in.ftpd", ftpdialect.ListMissingLsText},
		{"vsftpd", ftpdialect.ListMissingEmpty}, // an empty listing, not an error
	} {
		t.Run(c.name, func(t *testing.T) {
			d := ftpdialect.Dialect{Refuse: listOnly, ListMissing: c.missing}
			fsys, _, root := serveDialect(t, d, tree{files: map[string]string{"file.txt": "x"}})
			_, _, err := dialectReadDir(t, fsys, "missing")
			wantErr(t, "ReadDir(missing)", err, fs.ErrNotExist)
			// The io/fs view lists without looking at the parent first.
			err = bounded(t, "fs.ReadDir", func() error { _, err := fs.ReadDir(fsys.IOFS(), "gone"); return err })
			wantErr(t, "fs.ReadDir(IOFS, gone)", err, fs.ErrNotExist)
			_, err = stat(t, fsys, "missing/file.txt")
			wantErr(t, "Stat(missing/file.txt)", err, fs.ErrNotExist)
			err = bounded(t, "MkdirAll", func() error { return fsys.MkdirAll("x/y/z", 0o755) })
			if err != nil || !onDisk(root, "x/y/z") {
				t.Errorf("MkdirAll(x/y/z) = %v; made on disk: %v", err, onDisk(root, "x/y/z"))
			}
		})
	}
}

// inetutils and in.ftpd describe a link to a directory when asked to
// list it, named by the whole path (B3): the Fs lists it from inside.
func TestDialectListLinkItself(t *testing.T) {
	d := ftpdialect.Dialect{Refuse: listOnly, ListNamesOperand: true}
	fsys, _, _ := serveDialect(t, d, linkTree)
	names, _, err := dialectReadDir(t, fsys, "to-dir")
	if err != nil || !slices.Equal(names, []string{"inner.txt"}) {
		t.Errorf("ReadDir(to-dir) = %q, %v; want [inner.txt]", names, err)
	}
	wantLink(t, fsys, "to-dir", "dir")
	if fi, err := stat(t, fsys, "to-dir"); err != nil || !fi.IsDir() {
		t.Errorf("Stat(to-dir) = %v, %v; want a directory", fi, err)
	}
	if got, err := readFile(t, fsys, "to-dir/inner.txt"); err != nil || got != "inner" {
		t.Errorf("ReadFile(to-dir/inner.txt) = %q, %v", got, err)
	}
	if _, _, err := dialectReadDir(t, fsys, "file.txt"); err == nil {
		t.Errorf("ReadDir(file.txt) succeeded; want an error (not a directory)")
	}
}
