package ftpfs_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// suiteMetadata: Chmod and Chtimes round trips, and what the listing says
// of modes, owners and time precision.
func suiteMetadata(t *testing.T, s server) {
	fsys, disk := s.freshDir(t)
	put(t, fsys, map[string]string{"f.txt": "data", "d/": ""})

	err := fsys.Chmod("f.txt", 0o640)
	switch {
	case s.quirks.noChmod:
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Chmod on a server without SITE CHMOD = %v, want errors.ErrUnsupported", err)
		}
	case err != nil:
		t.Errorf("Chmod: %v", err)
	default:
		if disk != "" {
			if info, err := os.Stat(filepath.Join(disk, "f.txt")); err != nil || info.Mode().Perm() != 0o640 {
				t.Errorf("mode on the server's disk after Chmod(0640) = %v, %v", info.Mode(), err)
			}
		}
		info, err := fsys.Stat("f.txt")
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o640 && perm != 0 { // 0: the listing carries no modes
			t.Errorf("Stat(f.txt).Mode() after Chmod(0640) = %v", info.Mode())
		}
	}

	when := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	err = fsys.Chtimes("f.txt", when, when)
	switch {
	case s.quirks.noChtimes:
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Chtimes on a server without MFMT = %v, want errors.ErrUnsupported", err)
		}
	case err != nil:
		t.Errorf("Chtimes: %v", err)
	default:
		info, err := fsys.Stat("f.txt")
		if err != nil {
			t.Fatal(err)
		}
		precision := info.(*ftpfs.FileInfo).ModTimePrecision()
		if precision <= 0 || !info.ModTime().Equal(when.Truncate(precision)) && !sameDay(info.ModTime(), when, precision) {
			t.Errorf("ModTime after Chtimes(%v) = %v (precision %v)", when, info.ModTime(), precision)
		}
	}

	info, err := fsys.Stat("d")
	if err != nil || !info.IsDir() || info.Mode()&fs.ModeDir == 0 {
		t.Errorf("Stat(d) = %v, %v; want a directory", info, err)
	}
	if fi := info.(*ftpfs.FileInfo); !s.quirks.mlsd && fi.Owner() == "" {
		t.Errorf("Stat(d).Owner() is empty; a Unix listing names the owner")
	}
	base, err := fsys.Stat("/")
	if err != nil || !base.IsDir() {
		t.Errorf("Stat(/) = %v, %v; want the base directory", base, err)
	}
	if err := afero.WriteFile(fsys, "d/inner", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sameDay(a, b time.Time, precision time.Duration) bool {
	return precision >= 24*time.Hour && a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// suiteLinks: symbolic links made on the server's disk, as FTP cannot
// make them.
func suiteLinks(t *testing.T, s server) {
	fsys, disk := s.freshDir(t)
	if disk == "" {
		t.Skip("the server's disk is not on this machine")
	}
	if s.quirks.linksAsFiles {
		t.Skip("the server lists links as files: see the README's server notes")
	}
	put(t, fsys, map[string]string{"target.txt": "linked", "dir/inside.txt": "in"})
	links := map[string]string{
		"to-file":    "target.txt",
		"to-dir":     "dir",
		"chain":      "to-file",
		"dangling":   "nowhere",
		"loop-a":     "loop-b",
		"loop-b":     "loop-a",
		"with space": "target.txt",
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(disk, link)); err != nil {
			t.Fatal(err)
		}
	}
	if s.quirks.danglingLinksStay {
		// Runs before the RemoveAll of fresh (cleanups run last first):
		// the links that dangle before RemoveAll starts (chain dangles
		// since Remove(to-file) below) go from the disk, as FTP cannot
		// remove them; so does to-dir, as DELE follows it to a directory
		// ("550 Not a directory"). "with space" stays: RemoveAll has to
		// remove a link before its target.
		t.Cleanup(func() {
			for _, link := range []string{"chain", "dangling", "loop-a", "loop-b", "to-dir"} {
				_ = os.Remove(filepath.Join(disk, link))
			}
		})
	}
	fsys.Cache().Clear()

	info, _, err := fsys.LstatIfPossible("to-file")
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat(to-file) = %v, %v; want a link", info, err)
	}
	for _, name := range []string{"to-file", "chain", "with space"} {
		info, err := fsys.Stat(name)
		if err != nil || info.IsDir() || info.Size() != int64(len("linked")) {
			t.Errorf("Stat(%s) = %v, %v; want the 6-byte target", name, info, err)
		}
		data, err := afero.ReadFile(fsys, name)
		if err != nil || string(data) != "linked" {
			t.Errorf("ReadFile(%s) = %q, %v", name, data, err)
		}
	}
	if target, err := fsys.ReadlinkIfPossible("to-file"); err != nil || target != "target.txt" {
		t.Errorf("Readlink(to-file) = %q, %v", target, err)
	}
	if info, err := fsys.Stat("to-dir"); err != nil || !info.IsDir() {
		t.Errorf("Stat(to-dir) = %v, %v; want a directory", info, err)
	}
	if names, err := afero.ReadDir(fsys, "to-dir"); err != nil || len(names) != 1 {
		t.Errorf("ReadDir(to-dir) = %v, %v; want inside.txt", names, err)
	}
	if _, err := fsys.Stat("dangling"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat(dangling) = %v, want fs.ErrNotExist", err)
	}
	if _, err := fsys.Stat("loop-a"); err == nil {
		t.Errorf("Stat(loop-a) succeeded on a link loop")
	}
	if err := fsys.Remove("to-file"); err != nil {
		t.Errorf("Remove(link): %v", err)
	}
	if _, err := fsys.Stat("target.txt"); err != nil {
		t.Errorf("removing a link removed its target: %v", err)
	}
}
