package ftpfs_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// TestOpenFilesExhaustPool: files left open hold every connection; a
// call that needs one more waits the Fs's timeout, no longer, and fails
// with an error that says why. Closing a file lets calls through again.
func TestOpenFilesExhaustPool(t *testing.T) {
	fsys, _ := serve(t, afero.NewMemMapFs(), nil, ftpfs.WithMaxConns(2), ftpfs.WithTimeout(300*time.Millisecond))
	var open []afero.File
	for _, name := range []string{"a", "b"} {
		f, err := fsys.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, f)
	}
	start := time.Now()
	_, err := fsys.Create("c")
	var exhausted *ftpfs.ExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Held != 2 || !os.IsTimeout(err) {
		t.Errorf("Create with both connections held by open files = %v; want an *ftpfs.ExhaustedError naming 2", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("Create waited %v for a connection", waited)
	}
	if _, err := fsys.Stat("nothing"); !errors.As(err, &exhausted) {
		t.Errorf("Stat with both connections held = %v; want an *ftpfs.ExhaustedError", err)
	}
	if err := open[0].Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Stat("a"); err != nil {
		t.Errorf("Stat after a file closed = %v", err)
	}
	if err := open[1].Close(); err != nil {
		t.Fatal(err)
	}
}
