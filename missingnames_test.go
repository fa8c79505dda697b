package ftpfs_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/spf13/afero"
)

// TestMissingNamesListOnce: on an MLSD server whose way with links is
// not known yet (it has none to show), the first name missing from a
// directory is looked for with LIST too, as MLSD may leave links out;
// more names missing there cost nothing while the directory's listing
// stays cached (a change drops it, so does Clear), and with the cache
// disabled every one does.
func TestMissingNamesListOnce(t *testing.T) {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"dir/a": "a"})
	fsys, srv := serve(t, backing, nil)
	statMissing := func(names ...string) map[string]int {
		t.Helper()
		srv.ResetCommands()
		for _, name := range names {
			if _, err := fsys.Stat(name); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("Stat(%q) = %v; want fs.ErrNotExist", name, err)
			}
		}
		return srv.Commands()
	}
	if c := statMissing("dir/x", "dir/y", "dir/x"); c["MLSD"] != 1 || c["LIST"] != 1 {
		t.Errorf("three missing names in one directory: MLSD %d, LIST %d; want 1 and 1", c["MLSD"], c["LIST"])
	}
	if err := afero.WriteFile(fsys, "dir/b", []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := statMissing("dir/x", "dir/z"); c["LIST"] != 1 {
		t.Errorf("after a change: LIST %d; want 1 (checked again, once)", c["LIST"])
	}
	fsys.Cache().Clear()
	if c := statMissing("dir/x"); c["LIST"] != 1 {
		t.Errorf("after Cache().Clear: LIST %d; want 1", c["LIST"])
	}
	fsys.Cache().Disable()
	if c := statMissing("dir/x", "dir/x"); c["LIST"] != 2 {
		t.Errorf("with the cache disabled: LIST %d; want 2", c["LIST"])
	}
}
