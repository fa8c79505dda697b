package ftpfs_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/internal/ftpdialect"
	"github.com/spf13/afero"
)

// The hermetic side of the dialect tests: ftpdialect serves a temporary
// directory the way a real daemon would (docs/dialects-found.md), and
// ordinary ftpfs calls must do what os does there. The real daemons run
// the same kinds of calls in TestIntegration.

// callBound bounds every single ftpfs call of the dialect tests: a
// fallback that loops or waits for a timeout shows as a failure, not as
// a slow test.
const callBound = 3 * time.Second

// tree is a directory to serve: files (name → content; a name ending in
// "/" is a directory) and symbolic links (name → target).
type tree struct {
	files map[string]string
	links map[string]string
}

// linkTree has a link of each kind next to what they point at.
var linkTree = tree{
	files: map[string]string{"file.txt": "hello\n", "dir/inner.txt": "inner"},
	links: map[string]string{
		"to-file": "file.txt", "to-dir": "dir", "dangling": "nowhere",
		"loop-a": "loop-b", "loop-b": "loop-a",
	},
}

// make writes the tree under root.
func (tr tree) make(t *testing.T, root string) {
	t.Helper()
	for name, content := range tr.files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range tr.links {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

// serveDialect serves tr in a temporary directory with dialect d and
// mounts it (without prefetching, so that the commands counted are the
// calls' own). It returns the Fs, the server and the directory.
func serveDialect(t *testing.T, d ftpdialect.Dialect, tr tree, opts ...ftpfs.Option) (*ftpfs.Fs, *ftpdialect.Server, string) {
	t.Helper()
	root := t.TempDir()
	tr.make(t, root)
	srv, err := ftpdialect.Start(root, d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	opts = append([]ftpfs.Option{ftpfs.WithoutPrefetch(), ftpfs.WithTimeout(callBound)}, opts...)
	if logger := testLogger(t); logger != nil {
		opts = append(opts, ftpfs.WithLogger(logger))
	}
	var fsys *ftpfs.Fs
	bounded(t, "Dial", func() error {
		fsys, err = ftpfs.Dial(context.Background(), srv.URL(), opts...)
		return err
	})
	if err != nil {
		t.Fatalf("Dial(%s): %v", srv.URL(), err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	return fsys, srv, root
}

// bounded runs one call and fails the test if it took longer than
// callBound. It returns the call's error.
func bounded(t *testing.T, what string, call func() error) error {
	t.Helper()
	start := time.Now()
	err := call()
	if d := time.Since(start); d > callBound {
		t.Errorf("%s took %v, more than %v", what, d, callBound)
	}
	return err
}

// lstat is LstatIfPossible, bounded.
func lstat(t *testing.T, fsys *ftpfs.Fs, name string) (fs.FileInfo, error) {
	t.Helper()
	var fi fs.FileInfo
	err := bounded(t, "Lstat("+name+")", func() (err error) {
		fi, _, err = fsys.LstatIfPossible(name)
		return err
	})
	return fi, err
}

// stat is Stat, bounded.
func stat(t *testing.T, fsys *ftpfs.Fs, name string) (fs.FileInfo, error) {
	t.Helper()
	var fi fs.FileInfo
	err := bounded(t, "Stat("+name+")", func() (err error) {
		fi, err = fsys.Stat(name)
		return err
	})
	return fi, err
}

// dialectReadDir is ReadDir, bounded, as sorted names.
func dialectReadDir(t *testing.T, fsys *ftpfs.Fs, name string) ([]string, []fs.FileInfo, error) {
	t.Helper()
	var entries []fs.FileInfo
	err := bounded(t, "ReadDir("+name+")", func() (err error) {
		entries, err = afero.ReadDir(fsys, name)
		return err
	})
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names, entries, err
}

// readFile is afero.ReadFile, bounded.
func readFile(t *testing.T, fsys *ftpfs.Fs, name string) (string, error) {
	t.Helper()
	var b []byte
	err := bounded(t, "ReadFile("+name+")", func() (err error) {
		b, err = afero.ReadFile(fsys, name)
		return err
	})
	return string(b), err
}

// wantLink checks that Lstat shows name as a link to target.
func wantLink(t *testing.T, fsys *ftpfs.Fs, name, target string) {
	t.Helper()
	fi, err := lstat(t, fsys, name)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat(%s) = %v, %v; want a symbolic link", name, fi, err)
	}
	var got string
	err = bounded(t, "Readlink("+name+")", func() (err error) {
		got, err = fsys.ReadlinkIfPossible(name)
		return err
	})
	if err != nil || got != target {
		t.Errorf("Readlink(%s) = %q, %v; want %q", name, got, err, target)
	}
}

// wantErr checks that err matches target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s = %v; want an error matching %v", what, err, target)
	}
}

// onDisk reports whether name exists (as itself, links not followed)
// under root.
func onDisk(root, name string) bool {
	_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(name)))
	return err == nil
}

// errorsIsNotExist reports whether err matches fs.ErrNotExist.
func errorsIsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
