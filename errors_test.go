package ftpfs_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// suiteErrorClasses: each failure matches its class by errors.Is, in an
// *fs.PathError or *os.LinkError.
func suiteErrorClasses(t *testing.T, s server) {
	fsys := s.fresh(t)
	put(t, fsys, map[string]string{
		"file.txt":     "data",
		"dir/child":    "x",
		"emptydir/":    "",
		"other/":       "",
		"other/inside": "y",
	})
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"stat missing", func() error { _, err := fsys.Stat("nope"); return err }, fs.ErrNotExist},
		{"stat in missing dir", func() error { _, err := fsys.Stat("nodir/nope"); return err }, fs.ErrNotExist},
		{"open missing", func() error { _, err := fsys.Open("nope"); return err }, fs.ErrNotExist},
		{"readdir missing", func() error { _, err := afero.ReadDir(fsys, "nodir"); return err }, fs.ErrNotExist},
		{"readdir of a file", func() error { _, err := afero.ReadDir(fsys, "file.txt"); return err }, syscall.ENOTDIR},
		{"mkdir existing dir", func() error { return fsys.Mkdir("dir", 0o755) }, fs.ErrExist},
		{"mkdir existing file", func() error { return fsys.Mkdir("file.txt", 0o755) }, fs.ErrExist},
		{"mkdir under missing parent", func() error { return fsys.Mkdir("nodir/sub", 0o755) }, fs.ErrNotExist},
		{"mkdirall through a file", func() error { return fsys.MkdirAll("file.txt/sub", 0o755) }, syscall.ENOTDIR},
		{"remove missing", func() error { return fsys.Remove("nope") }, fs.ErrNotExist},
		{"remove non-empty dir", func() error { return fsys.Remove("other") }, syscall.ENOTEMPTY},
		{"remove non-empty dir, as os: exists", func() error { return fsys.Remove("other") }, fs.ErrExist},
		{"create in a missing dir", func() error { _, err := fsys.Create("nodir/new"); return err }, fs.ErrNotExist},
		{"rename missing", func() error { return fsys.Rename("nope", "x") }, fs.ErrNotExist},
		{"chmod missing", func() error { return fsys.Chmod("nope", 0o600) }, fs.ErrNotExist},
		{"chtimes missing", func() error { return fsys.Chtimes("nope", time.Now(), time.Now()) }, fs.ErrNotExist},
		{"chown", func() error { return fsys.Chown("file.txt", 1, 1) }, errors.ErrUnsupported},
		{"symlink", func() error { return fsys.SymlinkIfPossible("file.txt", "link") }, errors.ErrUnsupported},
		{"open a directory read-write", func() error { _, err := fsys.OpenFile("dir", os.O_RDWR, 0); return err }, syscall.EISDIR},
		{"open a missing file read-write", func() error { _, err := fsys.OpenFile("nope", os.O_RDWR, 0); return err }, fs.ErrNotExist},
		{"exclusive create of an existing file", func() error {
			_, err := fsys.OpenFile("file.txt", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			return err
		}, fs.ErrExist},
		{"write without create to a missing file", func() error { _, err := fsys.OpenFile("nope", os.O_WRONLY|os.O_TRUNC, 0); return err }, fs.ErrNotExist},
		{"write a directory", func() error { _, err := fsys.OpenFile("dir", os.O_WRONLY, 0); return err }, syscall.EISDIR},
		{"remove the base", func() error { return fsys.Remove("/") }, fs.ErrPermission},
		{"bad name", func() error { _, err := fsys.Stat("a\r\nDELE file.txt"); return err }, fs.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			if tt.name == "chtimes missing" && s.quirks.noChtimes && errors.Is(err, errors.ErrUnsupported) {
				// A server without MFMT (and without MDTM with a time)
				// is not asked: the call is refused before the name is
				// looked at (ftpd-ssl); GNU ftpd's refusal of MDTM with
				// a time names the missing file.
				tt.want = errors.ErrUnsupported
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want one matching %v", err, tt.want)
			}
			var pe *fs.PathError
			var le *os.LinkError
			if !errors.As(err, &pe) && !errors.As(err, &le) {
				t.Errorf("error %T is neither *fs.PathError nor *os.LinkError", err)
			}
		})
	}
}

func TestUnsupportedCommands(t *testing.T) {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"file.txt": "data"})
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithoutSite()})
	if err := fsys.Chmod("file.txt", 0o600); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Chmod without SITE = %v, want errors.ErrUnsupported", err)
	}
}

// suiteCloseTwice: a second Close, and calls of the wrong kind (Write on
// a file open for reading, Read on a directory), fail with their class.
func suiteCloseTwice(t *testing.T, s server) {
	fsys := s.fresh(t)
	put(t, fsys, map[string]string{"file.txt": "data", "dir/": ""})
	r, err := fsys.Open("file.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write([]byte("x")); !errors.Is(err, syscall.EBADF) {
		t.Errorf("Write on a read file = %v, want EBADF", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close = %v, want fs.ErrClosed", err)
	}
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close = %v, want fs.ErrClosed", err)
	}
	d, err := fsys.Open("dir")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Read(make([]byte, 1)); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("Read on a directory = %v, want EISDIR", err)
	}
	if _, err := d.(io.WriterAt).WriteAt([]byte("x"), 0); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("WriteAt = %v, want errors.ErrUnsupported", err)
	}
}

// suiteInvalidate: Invalidate forgets a name removed behind the Fs's back
// (through another Fs), and a closed Fs says fs.ErrClosed.
func suiteInvalidate(t *testing.T, s server) {
	fsys := s.fresh(t)
	put(t, fsys, map[string]string{"pub/a.txt": "a"})
	other := s.redial(t, fsys)
	fsys = s.redial(t, fsys, "pub")
	if _, err := fsys.Stat("a.txt"); err != nil {
		t.Fatal(err)
	}
	if err := other.Remove("pub/a.txt"); err != nil { // behind the Fs's back
		t.Fatal(err)
	}
	if err := fsys.Invalidate("a.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Stat("a.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat after Invalidate of a file removed on the server = %v, want fs.ErrNotExist", err)
	}
	fsys.Close()
	if _, err := fsys.Stat("b.txt"); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Stat after Close = %v, want fs.ErrClosed", err)
	}
}
