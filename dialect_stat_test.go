package ftpfs_test

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/internal/ftpdialect"
)

// statTree has a few directories, with names STAT may take as a path and
// names it may not (blanks), and hidden files.
var statTree = tree{
	files: map[string]string{
		"a/one.txt": "1", "a/.hidden": "h", "a/b/two.txt": "22", "a/b/c/three.txt": "333",
		"with space/four.txt": "4444", "empty/": "",
	},
	links: map[string]string{"a/to-b": "b"},
}

// TestDialectStatListing: on a server without MLSD whose "STAT <path>"
// sends LIST's lines on the control connection (vsftpd, inetutils), the
// first listing is a LIST followed by one STAT of the same directory;
// they agree, so every later listing of a name STAT can take is a STAT,
// with no data connection. What a walk sees is exactly what it sees on
// the same server without STAT. A server whose STAT does not list (not
// understood here) costs that one STAT, once.
func TestDialectStatListing(t *testing.T) {
	listOnly := ftpdialect.Dialect{Refuse: []string{"MLSD", "MLST"}}
	withStat := listOnly
	withStat.StatLists = true

	walk := func(t *testing.T, fsys *ftpfs.Fs) map[string]string {
		t.Helper()
		seen := map[string]string{}
		err := bounded(t, "WalkDir", func() error {
			return fs.WalkDir(fsys.IOFS(), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				seen[p] = fmt.Sprint(info.Mode(), info.ModTime(), info.Size())
				if info.IsDir() {
					seen[p] = fmt.Sprint(info.Mode(), info.ModTime()) // a directory's size is the server's
				}
				return nil
			})
		})
		if err != nil {
			t.Fatalf("WalkDir = %v", err)
		}
		return seen
	}

	plain, plainSrv, _ := serveDialect(t, listOnly, statTree, ftpfs.WithoutCache())
	want := walk(t, plain)
	if n := plainSrv.Count("STAT"); n != 1 {
		t.Errorf("a server whose STAT does not list got %d STATs, want 1 (the probe)", n)
	}

	fsys, srv, _ := serveDialect(t, withStat, statTree, ftpfs.WithoutCache())
	got := walk(t, fsys)
	if !maps.Equal(got, want) {
		t.Errorf("walk with STAT listings saw %v\nwant (with LIST) %v", got, want)
	}
	lists, stats := srv.Count("LIST"), srv.Count("STAT")
	// The walk lists ".", a, a/b, a/b/c, empty and "with space"; the
	// last is listed from inside (CWD, LIST), the rest by STAT after the
	// first LIST and its probe.
	if lists != 2 || stats < 5 {
		t.Errorf("walk with STAT listings sent LIST %d and STAT %d times; want LIST twice (the first listing, and the name with a blank), STAT for the rest (commands %v)", lists, stats, srv.Commands())
	}

	// Hidden files come through STAT as through LIST -a.
	names, _, err := dialectReadDir(t, fsys, "a")
	if err != nil || !slices.Contains(names, ".hidden") {
		t.Errorf("ReadDir(a) through STAT = %q, %v; want .hidden among them", names, err)
	}
}

// TestDialectStatListingLong: a server that cuts STAT's listing short
// without a word (pure-ftpd does at its LIST limit): a STAT listing of
// 1,000 lines or more is made again with LIST, so a big directory loses
// no entry.
func TestDialectStatListingLong(t *testing.T) {
	files := map[string]string{"small/a": "a"}
	for i := range 1500 {
		files[fmt.Sprintf("big/f%04d", i)] = "x"
	}
	d := ftpdialect.Dialect{Refuse: []string{"MLSD", "MLST"}, StatLists: true, StatMaxLines: 1200}
	fsys, srv, _ := serveDialect(t, d, tree{files: files}, ftpfs.WithoutCache())
	if names, _, err := dialectReadDir(t, fsys, "small"); err != nil || len(names) != 1 {
		t.Fatalf("ReadDir(small) = %q, %v", names, err)
	}
	if n := srv.Count("LIST"); n != 1 {
		t.Fatalf("LIST sent %d times before the big directory, want 1 (the probe's; STAT lists the rest)", n)
	}
	names, _, err := dialectReadDir(t, fsys, "big")
	if err != nil || len(names) != 1500 {
		t.Errorf("ReadDir(big) = %d names, %v; want all 1500 (STAT cut the listing at 1200 lines)", len(names), err)
	}
	if n := srv.Count("LIST"); n != 2 {
		t.Errorf("LIST sent %d times in all, want 2 (the probe's, and the big directory's after its long STAT)", n)
	}
}
