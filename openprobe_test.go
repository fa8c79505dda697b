package ftpfs_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// bigDir is a MemMapFs with a directory of n small files.
func bigDir(t *testing.T, n int) afero.Fs {
	t.Helper()
	backing := afero.NewMemMapFs()
	if err := backing.MkdirAll("/big", 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := afero.WriteFile(backing, fmt.Sprintf("/big/f%05d", i), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := afero.WriteFile(backing, "/big/target", []byte("the content"), 0o644); err != nil {
		t.Fatal(err)
	}
	return backing
}

// Open of one file in a 20,000-entry directory, and reading it, cost no
// listing and at most three commands: MLST (or SIZE), then the transfer.
func TestOpenCostsNoListing(t *testing.T) {
	t.Parallel()
	backing := bigDir(t, 20_000)
	for _, tc := range []struct {
		name  string
		opts  []ftpfstest.Option
		probe string
	}{
		{"MLST", nil, "MLST"},
		{"SIZE", []ftpfstest.Option{ftpfstest.WithoutMLSD()}, "SIZE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys, srv := serve(t, backing, tc.opts)
			srv.ResetCommands()
			f, err := fsys.Open("big/target")
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(f)
			if err != nil || string(data) != "the content" {
				t.Fatalf("ReadAll = %q, %v", data, err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			got := srv.Commands()
			delete(got, "EPSV") // the data connection's address, part of the transfer
			delete(got, "PASV")
			want := map[string]int{tc.probe: 1, "RETR": 1}
			if !maps.Equal(got, want) {
				t.Errorf("Open + ReadAll sent %v, want %v", got, want)
			}

			// File.Stat agrees with Stat.
			f, err = fsys.Open("big/target")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			si, err := fsys.Stat("big/target")
			if err != nil {
				t.Fatal(err)
			}
			if fi.Name() != si.Name() || fi.Size() != si.Size() || fi.Mode() != si.Mode() || !fi.ModTime().Equal(si.ModTime()) {
				t.Errorf("File.Stat = %s %d %v %v; Stat = %s %d %v %v", fi.Name(), fi.Size(), fi.Mode(), fi.ModTime(), si.Name(), si.Size(), si.Mode(), si.ModTime())
			}
		})
	}
}

// What the probe cannot settle goes the way of the listing: a missing
// name, a directory.
func TestOpenProbeFallsBack(t *testing.T) {
	t.Parallel()
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"d/f": "x", "d/sub/": ""})
	for _, tc := range []struct {
		name string
		opts []ftpfstest.Option
	}{{"MLST", nil}, {"SIZE", []ftpfstest.Option{ftpfstest.WithoutMLSD()}}} {
		t.Run(tc.name, func(t *testing.T) {
			fsys, _ := serve(t, backing, tc.opts)
			for _, name := range []string{"d/missing", "missing/f"} {
				if _, err := fsys.Open(name); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Open(%q) = %v, want fs.ErrNotExist", name, err)
				}
				fsys.Cache().Clear()
			}
			for _, name := range []string{"d", "d/sub"} {
				f, err := fsys.Open(name)
				if err != nil {
					t.Fatalf("Open(%q): %v", name, err)
				}
				fi, err := f.Stat()
				if err != nil || !fi.IsDir() {
					t.Errorf("Open(%q).Stat() = %v, %v; want a directory", name, fi, err)
				}
				if _, err := f.Readdir(-1); err != nil {
					t.Errorf("Open(%q).Readdir: %v", name, err)
				}
				f.Close()
				fsys.Cache().Clear()
			}
		})
	}
}

// Opening many siblings lists their directory once: after a few probes in
// one directory, Open lists it, and the cached listing answers the rest.
func TestOpenManySiblingsListsOnce(t *testing.T) {
	t.Parallel()
	backing := bigDir(t, 50)
	fsys, srv := serve(t, backing, nil)
	srv.ResetCommands()
	for i := 0; i < 50; i++ {
		f, err := fsys.Open(fmt.Sprintf("big/f%05d", i))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	got := srv.Commands()
	if got["MLST"] > 3 || got["MLSD"] != 1 {
		t.Errorf("50 opens in one directory sent %v, want at most 3 MLST and one MLSD", got)
	}
}
