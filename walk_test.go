package ftpfs_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/spf13/afero"
)

// walkLog records a walk as fs.WalkDir reports it.
func walkLog(walk func(fn fs.WalkDirFunc) error, skip string) (string, error) {
	var b strings.Builder
	err := walk(func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Fprintf(&b, "%s error\n", p)
			return nil
		}
		fmt.Fprintf(&b, "%s %v %s\n", p, d.IsDir(), d.Name())
		if p == skip {
			return fs.SkipDir
		}
		return nil
	})
	return b.String(), err
}

func TestWalkDirMatchesFsWalkDir(t *testing.T) {
	backing := afero.NewMemMapFs()
	files := map[string]string{"empty/": ""}
	for i := 0; i < 5; i++ {
		for j := 0; j < 4; j++ {
			files[fmt.Sprintf("d%d/sub %d/f.txt", i, j)] = "x"
		}
		files[fmt.Sprintf("d%d/file", i)] = "y"
	}
	writeFiles(t, backing, files)
	fsys, srv := serve(t, backing, nil)
	for _, tt := range []struct{ root, skip string }{{".", ""}, {".", "d2"}, {"d3", ""}, {"d1/file", ""}, {".", "d0/sub 1/f.txt"}} {
		want, werr := walkLog(func(fn fs.WalkDirFunc) error { return fs.WalkDir(fsys.IOFS(), tt.root, fn) }, tt.skip)
		fsys.Cache().Clear()
		srv.ResetCommands()
		got, gerr := walkLog(func(fn fs.WalkDirFunc) error { return fsys.WalkDir(tt.root, fn) }, tt.skip)
		if got != want || !errors.Is(gerr, werr) {
			t.Errorf("WalkDir(%q, skip %q) =\n%s%v\nwant (as fs.WalkDir)\n%s%v", tt.root, tt.skip, got, gerr, want, werr)
		}
		if tt.root == "." && tt.skip == "" {
			if n := srv.Commands()["MLSD"]; n != 27 { // the base, 5 + 20 directories and "empty"
				t.Errorf("WalkDir listed %d times, want 27 (one per directory)", n)
			}
		}
	}
	if err := fsys.WalkDir("missing", func(p string, d fs.DirEntry, err error) error { return err }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("WalkDir(missing) = %v, want fs.ErrNotExist", err)
	}
}
