package ftpfs_test

import (
	"errors"
	"io/fs"
	"strings"
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

// TestListingWithAnOverlongLine: a listing line longer than the client
// library's line reader takes (64 KiB) is read whole, with the lines after
// it. The library used to read every listing line by line, and gave up,
// with the listing, at such a line.
func TestListingWithAnOverlongLine(t *testing.T) {
	long := strings.Repeat("x", 70_000)
	for _, mode := range []struct {
		name   string
		server []ftpfstest.Option
		client []ftpfs.Option
	}{{"MLSD", nil, nil}, {"LIST", []ftpfstest.Option{ftpfstest.WithoutMLSD()}, []ftpfs.Option{ftpfs.WithoutMLSD()}}} {
		t.Run(mode.name, func(t *testing.T) {
			backing := afero.NewMemMapFs()
			writeFiles(t, backing, map[string]string{"dir/a": "a", "dir/" + long: "l", "dir/z": "z"})
			fsys, _ := serve(t, backing, mode.server, mode.client...)
			entries, err := fs.ReadDir(fsys.IOFS(), "dir")
			if err != nil || len(entries) != 3 || entries[0].Name() != "a" || entries[1].Name() != long || entries[2].Name() != "z" {
				t.Fatalf("ReadDir = %d entries, %v; want a, the 70,000-byte name and z", len(entries), err)
			}
		})
	}
}
