package ftpfs_test

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/internal/ftpdialect"
	"github.com/spf13/afero"
)

// Each emulated daemon, all its dialects at once, through a day's work:
// what the integration suite does on the real daemon, hermetically; with
// the cache and without it (every call lists afresh).
func TestDialectPresets(t *testing.T) {
	t.Run("cache", func(t *testing.T) { testPresets(t) })
	t.Run("no cache", func(t *testing.T) { testPresets(t, ftpfs.WithoutCache()) })
}

func testPresets(t *testing.T, opts ...ftpfs.Option) {
	for _, c := range []struct {
		name      string
		d         ftpdialect.Dialect
		chtimes   bool // the server can set times
		linksStay bool // DELE follows links: it cannot remove a dangling one
	}{
		{"pyftpdlib", ftpdialect.Pyftpdlib(), true, false},
		{"inetutils", ftpdialect.Inetutils(), false, true},
		{"in.ftpd", ftpdialect.BSDFtpd(), false, true},
		{"proftpd-links", ftpdialect.Dialect{MLSDLinks: ftpdialect.MLSDLinksLiveOnly, AppendRefused: true}, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys, _, root := serveDialect(t, c.d, linkTree, opts...)
			names, _, err := dialectReadDir(t, fsys, "/")
			if err != nil || !slices.Equal(names, allLinks) {
				t.Errorf("ReadDir(/) = %q, %v; want %q", names, err, allLinks)
			}
			for name, target := range linkTree.links {
				wantLink(t, fsys, name, target)
			}
			if got, err := readFile(t, fsys, "to-dir/inner.txt"); err != nil || got != "inner" {
				t.Errorf("ReadFile(to-dir/inner.txt) = %q, %v", got, err)
			}
			step := func(what string, call func() error) {
				t.Helper()
				if err := bounded(t, what, call); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}
			step("MkdirAll", func() error { return fsys.MkdirAll("new/a b/c", 0o755) })
			step("WriteFile", func() error { return afero.WriteFile(fsys, "new/a b/c/f.txt", []byte("data"), 0o644) })
			if got, err := readFile(t, fsys, "new/a b/c/f.txt"); err != nil || got != "data" {
				t.Errorf("ReadFile(new/a b/c/f.txt) = %q, %v", got, err)
			}
			step("Rename", func() error { return fsys.Rename("new/a b/c/f.txt", "new/g.txt") })
			if fi, err := stat(t, fsys, "new/g.txt"); err != nil || fi.Size() != 4 {
				t.Errorf("Stat(new/g.txt) = %v, %v; want 4 bytes", fi, err)
			}
			step("Chmod", func() error { return fsys.Chmod("file.txt", 0o600) })
			if fi, err := stat(t, fsys, "file.txt"); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("Stat(file.txt) = %v, %v after Chmod 0600", fi, err)
			}
			err = bounded(t, "Chtimes", func() error { return fsys.Chtimes("file.txt", time.Time{}, time.Unix(1e9, 0)) })
			if c.chtimes && err != nil || !c.chtimes && !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("Chtimes(file.txt) = %v", err)
			}
			step("RemoveAll(new)", func() error { return fsys.RemoveAll("new") })
			if c.linksStay {
				// DELE follows links: the link cannot go, and is not
				// reported missing; what it points at stays.
				for _, name := range []string{"to-dir", "dangling"} {
					err := bounded(t, "Remove", func() error { return fsys.Remove(name) })
					if err == nil || errors.Is(err, fs.ErrNotExist) {
						t.Errorf("Remove(%s) = %v; want an error that does not say it is missing", name, err)
					}
				}
			} else {
				step("Remove(to-dir)", func() error { return fsys.Remove("to-dir") })
				step("Remove(dangling)", func() error { return fsys.Remove("dangling") })
			}
			if fi, err := stat(t, fsys, "dir/inner.txt"); err != nil || fi.Size() != 5 {
				t.Errorf("Stat(dir/inner.txt) = %v, %v after removing a link to dir", fi, err)
			}
			if onDisk(root, "new") || onDisk(root, "to-dir") != c.linksStay || onDisk(root, "dangling") != c.linksStay {
				t.Errorf("on disk after the removals: new %v, to-dir %v, dangling %v", onDisk(root, "new"), onDisk(root, "to-dir"), onDisk(root, "dangling"))
			}
			_, _, err = dialectReadDir(t, fsys, "missing")
			wantErr(t, "ReadDir(missing)", err, fs.ErrNotExist)
			_, err = stat(t, fsys, "missing/x")
			wantErr(t, "Stat(missing/x)", err, fs.ErrNotExist)
			err = bounded(t, "WriteFile", func() error { return afero.WriteFile(fsys, "missing/x", nil, 0o644) })
			wantErr(t, "WriteFile(missing/x)", err, fs.ErrNotExist)
		})
	}
}
