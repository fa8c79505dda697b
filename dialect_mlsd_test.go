package ftpfs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/internal/ftpdialect"
)

// Dialects of MLSD (docs/dialects-found.md P1, P2, P4; proftpd's links).

// allLinks are linkTree's entries, as os.ReadDir shows them.
var allLinks = []string{"dangling", "dir", "file.txt", "loop-a", "loop-b", "to-dir", "to-file"}

// pyftpdlib's MLSD shows a link as its target and leaves dangling links
// and loops out (P2): the Fs completes its listings with LIST's links.
func TestDialectMLSDFollowsLinks(t *testing.T) {
	tr := tree{
		files: map[string]string{"file.txt": "hello\n", "dir/inner.txt": "inner", "keep/precious.txt": "keep", "tree/own.txt": "x"},
		links: map[string]string{
			"to-file": "file.txt", "to-dir": "dir", "dangling": "nowhere",
			"loop-a": "loop-b", "loop-b": "loop-a", "tree/to-keep": "../keep",
		},
	}
	fsys, _, root := serveDialect(t, ftpdialect.Dialect{MLSDLinks: ftpdialect.MLSDLinksFollowed}, tr)
	wantLink(t, fsys, "to-file", "file.txt")
	wantLink(t, fsys, "to-dir", "dir")
	wantLink(t, fsys, "dangling", "nowhere")
	wantLink(t, fsys, "loop-a", "loop-b")
	names, infos, err := dialectReadDir(t, fsys, "/")
	want := append(slices.Clone(allLinks), "keep", "tree")
	slices.Sort(want)
	if err != nil || !slices.Equal(names, want) {
		t.Errorf("ReadDir(/) = %q, %v; want %q", names, err, want)
	}
	for _, fi := range infos {
		if isLink := linkTree.links[fi.Name()] != ""; isLink != (fi.Mode()&fs.ModeSymlink != 0) {
			t.Errorf("ReadDir(/): %v; a link: %v", fi, isLink)
		}
	}
	if fi, err := stat(t, fsys, "to-dir"); err != nil || !fi.IsDir() {
		t.Errorf("Stat(to-dir) = %v, %v; want a directory", fi, err)
	}
	// RemoveAll removes the link, not what it points at.
	err = bounded(t, "RemoveAll(tree)", func() error { return fsys.RemoveAll("tree") })
	if err != nil || onDisk(root, "tree") || !onDisk(root, "keep/precious.txt") {
		t.Errorf("RemoveAll(tree) = %v; tree left: %v, keep/precious.txt left: %v (want false, true)",
			err, onDisk(root, "tree"), onDisk(root, "keep/precious.txt"))
	}
}

// proftpd's MLSD shows live links as links but leaves dangling links and
// loops out: Lstat, Readlink, Remove and RemoveAll find them through
// LIST.
func TestDialectMLSDLiveLinksOnly(t *testing.T) {
	tr := tree{
		files: map[string]string{"file.txt": "hello\n", "dir/inner.txt": "inner", "sub/file.txt": "x"},
		links: map[string]string{
			"to-file": "file.txt", "to-dir": "dir", "dangling": "nowhere",
			"loop-a": "loop-b", "loop-b": "loop-a", "sub/dangling": "nowhere", "sub/loop": "loop",
		},
	}
	fsys, _, root := serveDialect(t, ftpdialect.Dialect{MLSDLinks: ftpdialect.MLSDLinksLiveOnly}, tr)
	wantLink(t, fsys, "dangling", "nowhere")
	wantLink(t, fsys, "loop-b", "loop-a")
	wantLink(t, fsys, "to-file", "file.txt")
	if _, err := stat(t, fsys, "dangling"); !errorsIsNotExist(err) {
		t.Errorf("Stat(dangling) = %v; want fs.ErrNotExist", err)
	}
	err := bounded(t, "Remove(dangling)", func() error { return fsys.Remove("dangling") })
	if err != nil || onDisk(root, "dangling") {
		t.Errorf("Remove(dangling) = %v; still on disk: %v", err, onDisk(root, "dangling"))
	}
	err = bounded(t, "RemoveAll(sub)", func() error { return fsys.RemoveAll("sub") })
	if err != nil || onDisk(root, "sub") {
		t.Errorf("RemoveAll(sub) = %v; still on disk: %v", err, onDisk(root, "sub"))
	}
}

// proftpd again, in a directory whose MLSD listing shows no link at
// all, so nothing hints at links left out: the first call made there
// still finds the dangling link and the loop through LIST.
func TestDialectMLSDOnlyDanglingLinks(t *testing.T) {
	tr := tree{
		files: map[string]string{"only/file.txt": "x"},
		links: map[string]string{"only/dangling": "nowhere", "only/loop": "loop"},
	}
	d := ftpdialect.Dialect{MLSDLinks: ftpdialect.MLSDLinksLiveOnly}
	t.Run("Lstat", func(t *testing.T) {
		fsys, _, _ := serveDialect(t, d, tr)
		wantLink(t, fsys, "only/dangling", "nowhere")
		wantLink(t, fsys, "only/loop", "loop")
	})
	t.Run("RemoveAll", func(t *testing.T) {
		fsys, _, root := serveDialect(t, d, tr)
		err := bounded(t, "RemoveAll(only)", func() error { return fsys.RemoveAll("only") })
		if err != nil || onDisk(root, "only") {
			t.Errorf("RemoveAll(only) = %v; still on disk: %v", err, onDisk(root, "only"))
		}
	})
}

// pyftpdlib sends unix.mode only after OPTS MLST selected it, written
// "0o644" (P4): permissions must not read 0000, and the selection costs
// one command per session.
func TestDialectFactsOnRequest(t *testing.T) {
	fsys, srv, root := serveDialect(t, ftpdialect.Dialect{FactsOnRequest: true}, linkTree)
	if err := os.Chmod(filepath.Join(root, "file.txt"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "dir"), 0o750); err != nil {
		t.Fatal(err)
	}
	_, infos, err := dialectReadDir(t, fsys, "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, fi := range infos {
		disk, err := os.Stat(filepath.Join(root, fi.Name()))
		if err != nil || fi.Mode()&fs.ModeSymlink != 0 {
			continue
		}
		if fi.Mode().Perm() != disk.Mode().Perm() {
			t.Errorf("ReadDir(/): %s has mode %v; on disk %v", fi.Name(), fi.Mode(), disk.Mode())
		}
		if owner := fi.(*ftpfs.FileInfo).Owner(); owner == "" {
			t.Errorf("ReadDir(/): %s has no owner", fi.Name())
		}
	}
	if opts, logins := srv.Count("OPTS"), srv.Count("PASS"); opts == 0 || opts > logins {
		t.Errorf("OPTS sent %d times for %d sessions; want one per MLSD session (%q)", opts, logins, srv.Lines())
	}
}

// pyftpdlib answers MLSD of a missing directory with 501 (P1): it still
// means "not found".
func TestDialectMLSDMissing501(t *testing.T) {
	fsys, _, root := serveDialect(t, ftpdialect.Dialect{MLSDMissingCode: 501}, tree{files: map[string]string{"file.txt": "x"}})
	_, _, err := dialectReadDir(t, fsys, "missing")
	wantErr(t, "ReadDir(missing)", err, fs.ErrNotExist)
	_, err = stat(t, fsys, "missing/file.txt")
	wantErr(t, "Stat(missing/file.txt)", err, fs.ErrNotExist)
	err = bounded(t, "MkdirAll", func() error { return fsys.MkdirAll("x/y/z", 0o755) })
	if err != nil || !onDisk(root, "x/y/z") {
		t.Errorf("MkdirAll(x/y/z) = %v; made on disk: %v", err, onDisk(root, "x/y/z"))
	}
}

// A server that ends MLSD with 200 instead of 226: the listing is whole.
func TestDialectMLSDEnds200(t *testing.T) {
	fsys, _, _ := serveDialect(t, ftpdialect.Dialect{MLSDEndCode: 200}, linkTree)
	names, _, err := dialectReadDir(t, fsys, "/")
	if err != nil || !slices.Equal(names, allLinks) {
		t.Errorf("ReadDir(/) = %q, %v; want %q", names, err, allLinks)
	}
	if got, err := readFile(t, fsys, "dir/inner.txt"); err != nil || got != "inner" {
		t.Errorf("ReadFile(dir/inner.txt) = %q, %v", got, err)
	}
}

// All of pyftpdlib at once: MLSD that follows links, "LIST -a <path>"
// taken as a path (the Fs's LIST for link targets must still work),
// facts on request, 501 for a missing directory.
func TestDialectPyftpdlib(t *testing.T) {
	fsys, _, root := serveDialect(t, ftpdialect.Pyftpdlib(), linkTree)
	wantLink(t, fsys, "to-file", "file.txt")
	wantLink(t, fsys, "dangling", "nowhere")
	if fi, err := stat(t, fsys, "file.txt"); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("Stat(file.txt) = %v, %v; want -rw-r--r--", fi, err)
	}
	err := bounded(t, "MkdirAll", func() error { return fsys.MkdirAll("x/y", 0o755) })
	if err != nil || !onDisk(root, "x/y") {
		t.Errorf("MkdirAll(x/y) = %v", err)
	}
}

// What links cost in MLSD listings: on a server whose MLSD shows links as
// links, one LIST once (the first listing that hints at links is
// compared); on one that hides them, once that is known, a LIST with
// every MLSD listing.
func TestDialectMLSDLinksCost(t *testing.T) {
	tr := tree{
		files: map[string]string{"a/f.txt": "a", "b/f.txt": "b", "c/f.txt": "c"},
		links: map[string]string{"a/l": "f.txt", "b/l": "f.txt", "c/l": "f.txt"},
	}
	readAll := func(t *testing.T, fsys *ftpfs.Fs) {
		for _, dir := range []string{"a", "b", "c"} {
			names, infos, err := dialectReadDir(t, fsys, dir)
			if err != nil || !slices.Equal(names, []string{"f.txt", "l"}) || infos[1].Mode()&fs.ModeSymlink == 0 {
				t.Errorf("ReadDir(%s) = %v, %v; want f.txt and the link l", dir, infos, err)
			}
		}
	}
	t.Run("shown", func(t *testing.T) {
		fsys, srv, _ := serveDialect(t, ftpdialect.Dialect{MLSDLinks: ftpdialect.MLSDLinksShown}, tr)
		readAll(t, fsys)
		if n := srv.Count("LIST"); n != 1 {
			t.Errorf("LIST sent %d times; want once (%q)", n, srv.Lines())
		}
	})
	// Hard links share a unique fact, as a link shown as its target
	// does: the comparison finds no link, and is not made again.
	t.Run("hard links", func(t *testing.T) {
		fsys, srv, root := serveDialect(t, ftpdialect.Dialect{}, tree{files: tr.files})
		for _, dir := range []string{"a", "b", "c"} {
			if err := os.Link(filepath.Join(root, dir, "f.txt"), filepath.Join(root, dir, "l")); err != nil {
				t.Fatal(err)
			}
		}
		for _, dir := range []string{"a", "b", "c"} {
			if names, _, err := dialectReadDir(t, fsys, dir); err != nil || !slices.Equal(names, []string{"f.txt", "l"}) {
				t.Errorf("ReadDir(%s) = %q, %v; want f.txt and l", dir, names, err)
			}
		}
		if n := srv.Count("LIST"); n != 1 {
			t.Errorf("LIST sent %d times; want once (%q)", n, srv.Lines())
		}
	})
	t.Run("followed", func(t *testing.T) {
		fsys, srv, _ := serveDialect(t, ftpdialect.Dialect{MLSDLinks: ftpdialect.MLSDLinksFollowed}, tr)
		readAll(t, fsys)
		var listings []string // "MLSD /a", "LIST -a /a", …
		for _, line := range srv.Lines() {
			if strings.HasPrefix(line, "MLSD ") || strings.HasPrefix(line, "LIST ") {
				listings = append(listings, line)
			}
		}
		known := false // the Fs knows that MLSD hides links
		for i, line := range listings {
			dir, isMLSD := strings.CutPrefix(line, "MLSD ")
			switch {
			case !isMLSD:
				known = true
			case known && (i+1 == len(listings) || listings[i+1] != "LIST -a "+dir):
				t.Errorf("%s not completed by LIST -a %s (%q)", line, dir, listings)
			}
		}
		if !known {
			t.Errorf("no LIST sent (%q)", listings)
		}
	})
}
