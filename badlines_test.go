package ftpfs_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// badListing serves a directory whose LIST output has a line no parser
// understands: a name with a line break splits its line in two.
func badListing(t *testing.T, opts ...ftpfs.Option) *ftpfs.Fs {
	t.Helper()
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"dir/good": "g", "dir/bad\nnot a listing line": "b"})
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithoutMLSD()}, append(opts, ftpfs.WithoutMLSD())...)
	return fsys
}

func TestListingWithABadLine(t *testing.T) {
	fsys := badListing(t)
	entries, err := fs.ReadDir(fsys.IOFS(), "dir")
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Line != "not a listing line" {
		t.Fatalf("ReadDir error = %v; want a *parsers.ParseError naming the line", err)
	}
	if !hasName(entries, "good") {
		t.Errorf("ReadDir = %v; want the entries it could parse, good among them", entries)
	}
	// A partial listing proves nothing about missing names.
	if _, err := fsys.Stat("dir/absent"); !errors.As(err, &pe) {
		t.Errorf("Stat of a name missing from a partial listing = %v; want the ParseError", err)
	}
}

func TestSkipBadLines(t *testing.T) {
	fsys := badListing(t, ftpfs.WithSkipBadLines())
	entries, err := fs.ReadDir(fsys.IOFS(), "dir")
	if err != nil || !hasName(entries, "good") {
		t.Fatalf("ReadDir with WithSkipBadLines = %v, %v; want the good entries and no error", entries, err)
	}
}

func hasName(entries []fs.DirEntry, name string) bool {
	for _, e := range entries {
		if e.Name() == name {
			return true
		}
	}
	return false
}
