package ftpfs_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// lyingFs is a server-side filesystem with faults: listings claim
// short.bin is 100 bytes longer than it is, and reading broken.bin fails
// after 1,000 bytes. The server sees the faults as a real disk's, so the
// client meets them over the real protocol.
type lyingFs struct{ afero.Fs }

type lyingFile struct {
	afero.File
	read int
}

type biggerInfo struct{ fs.FileInfo }

func (b biggerInfo) Size() int64 { return b.FileInfo.Size() + 100 }

func (l lyingFs) Open(name string) (afero.File, error) {
	return l.OpenFile(name, os.O_RDONLY, 0)
}

func (l lyingFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := l.Fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &lyingFile{File: f}, nil
}

func (l lyingFs) Stat(name string) (fs.FileInfo, error) {
	info, err := l.Fs.Stat(name)
	if err == nil && path.Base(name) == "short.bin" {
		return biggerInfo{info}, nil
	}
	return info, err
}

func (f *lyingFile) Readdir(n int) ([]fs.FileInfo, error) {
	infos, err := f.File.Readdir(n)
	for i, info := range infos {
		if info.Name() == "short.bin" {
			infos[i] = biggerInfo{info}
		}
	}
	return infos, err
}

func (f *lyingFile) Read(p []byte) (int, error) {
	if path.Base(f.Name()) == "broken.bin" && f.read+len(p) > 1000 {
		n, _ := f.File.Read(p[:1000-f.read])
		f.read += n
		return n, errors.New("disk on fire")
	}
	n, err := f.File.Read(p)
	f.read += n
	return n, err
}

func TestShortTransferIsAnError(t *testing.T) {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"short.bin": strings.Repeat("s", 5000)})
	fsys, _ := serve(t, lyingFs{backing}, nil)
	data, err := afero.ReadFile(fsys, "short.bin")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("ReadFile of a file shorter than listed = %d bytes, %v; want io.ErrUnexpectedEOF", len(data), err)
	}
}

func TestBrokenTransferIsAnError(t *testing.T) {
	backing := afero.NewMemMapFs()
	content := bytes.Repeat([]byte("0123456789"), 1000)
	writeFiles(t, backing, map[string]string{"broken.bin": string(content), "fine.bin": string(content)})
	fsys, _ := serve(t, lyingFs{backing}, nil)
	data, err := afero.ReadFile(fsys, "broken.bin")
	if err == nil {
		t.Fatalf("ReadFile of a transfer the server aborted = %d bytes, nil error; want an error", len(data))
	}
	// The pool stays healthy: the next read works.
	data, err = afero.ReadFile(fsys, "fine.bin")
	if err != nil || !bytes.Equal(data, content) {
		t.Fatalf("ReadFile after a broken transfer = %d bytes, %v", len(data), err)
	}
}

func TestSeekAndReadAt(t *testing.T) {
	backing := afero.NewMemMapFs()
	content := []byte("0123456789abcdefghij")
	writeFiles(t, backing, map[string]string{"f": string(content)})
	fsys, srv := serve(t, backing, nil)
	f, err := fsys.Open("f")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	buf := make([]byte, 4)
	if n, err := f.Read(buf); err != nil || string(buf[:n]) != "0123" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	srv.ResetCommands()
	if off, err := f.Seek(0, io.SeekEnd); err != nil || off != int64(len(content)) {
		t.Fatalf("Seek(0, SeekEnd) = %d, %v", off, err)
	}
	if n := srv.Commands()["RETR"] + srv.Commands()["SIZE"]; n != 0 {
		t.Errorf("Seek to the end cost %d commands, want none", n)
	}
	if _, err := f.Seek(-6, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(f)
	if err != nil || string(rest) != "efghij" {
		t.Fatalf("ReadAll after Seek(-6, SeekEnd) = %q, %v", rest, err)
	}
	if n, err := f.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("Read at the end = %d, %v; want 0, io.EOF", n, err)
	}

	tests := []struct {
		off     int64
		size    int
		want    string
		wantErr error
	}{
		{0, 3, "012", nil},
		{10, 5, "abcde", nil},
		{17, 3, "hij", nil},
		{17, 10, "hij", io.EOF},
		{20, 1, "", io.EOF},
		{25, 1, "", io.EOF},
	}
	for _, tt := range tests {
		p := make([]byte, tt.size)
		n, err := f.(io.ReaderAt).ReadAt(p, tt.off)
		if string(p[:n]) != tt.want || err != tt.wantErr {
			t.Errorf("ReadAt(%d bytes, %d) = %q, %v; want %q, %v", tt.size, tt.off, p[:n], err, tt.want, tt.wantErr)
		}
	}
	// Reading on after ReadAt calls still follows the file's own offset.
	if _, err := f.Seek(2, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if n, err := f.Read(buf); err != nil || string(buf[:n]) != "2345" {
		t.Errorf("Read after Seek(2) = %q, %v", buf[:n], err)
	}
}

func TestWriteAppendAndEmpty(t *testing.T) {
	backing := afero.NewMemMapFs()
	fsys, _ := serve(t, backing, nil)
	if err := afero.WriteFile(fsys, "a.txt", []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := fsys.OpenFile("a.txt", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(", world")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("Close after append: %v", err)
	}
	got, err := afero.ReadFile(fsys, "a.txt")
	if err != nil || string(got) != "hello, world" {
		t.Errorf("after append: %q, %v", got, err)
	}
	empty, err := fsys.Create("empty")
	if err != nil {
		t.Fatal(err)
	}
	if err := empty.Close(); err != nil {
		t.Fatalf("Close of an empty upload: %v", err)
	}
	info, err := fsys.Stat("empty")
	if err != nil || info.Size() != 0 || info.IsDir() {
		t.Errorf("Stat(empty) = %v, %v", info, err)
	}
	data, err := afero.ReadFile(fsys, "empty")
	if err != nil || len(data) != 0 {
		t.Errorf("ReadFile(empty) = %q, %v", data, err)
	}
}

// fullDiskFs fails writes past 1,000 bytes to files whose names contain
// "full", as a full disk would.
type fullDiskFs struct{ afero.Fs }

type fullDiskFile struct {
	afero.File
	written int
}

func (d fullDiskFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := d.Fs.OpenFile(name, flag, perm)
	if err != nil || !strings.Contains(path.Base(name), "full") {
		return f, err
	}
	return &fullDiskFile{File: f}, nil
}

func (d fullDiskFs) Create(name string) (afero.File, error) {
	return d.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

func (f *fullDiskFile) Write(p []byte) (int, error) {
	if f.written+len(p) > 1000 {
		return 0, errors.New("no space left on device")
	}
	f.written += len(p)
	return f.File.Write(p)
}

func TestAtomicWrites(t *testing.T) {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"full.bin": "old content", "ok.bin": "old"})
	fsys, _ := serve(t, fullDiskFs{backing}, nil, ftpfs.WithAtomicWrites())

	big := bytes.Repeat([]byte("x"), 100<<10)
	if err := afero.WriteFile(fsys, "full.bin", big, 0o644); err == nil {
		t.Fatal("an upload to a full disk succeeded")
	}
	if got, err := afero.ReadFile(backing, "/full.bin"); err != nil || string(got) != "old content" {
		t.Errorf("target after a failed atomic upload = %q, %v; want the old content", got, err)
	}
	if err := afero.WriteFile(fsys, "ok.bin", []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := afero.ReadFile(backing, "/ok.bin"); err != nil || string(got) != "new" {
		t.Errorf("target after an atomic upload = %q, %v; want the new content", got, err)
	}
	names, err := afero.ReadDir(backing, "/")
	if err != nil || len(names) != 2 {
		var list []string
		for _, n := range names {
			list = append(list, n.Name())
		}
		t.Errorf("server directory = %q, %v; want only the two targets (no temporary files left)", list, err)
	}
}
