package ftpfs_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// Read-write files (os.O_RDWR, spooled to a local file): the hermetic
// tests here use the in-process server and look at its backing store;
// suiteRWFiles runs the same kind of checks on every server.

// rwSetup serves files from a fresh directory and mounts it with the spool
// in a directory of its own, which it returns.
func rwSetup(t *testing.T, files map[string]string, opts ...ftpfs.Option) (*ftpfs.Fs, *ftpfstest.Server, afero.Fs, string) {
	t.Helper()
	spool := t.TempDir()
	backing := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
	writeFiles(t, backing, files)
	opts = append([]ftpfs.Option{ftpfs.WithSpoolDir(spool)}, opts...)
	fsys, srv := serve(t, backing, nil, opts...)
	return fsys, srv, backing, spool
}

// rwStored returns what the server holds under name ("<missing>" if
// nothing).
func rwStored(t *testing.T, backing afero.Fs, name string) string {
	t.Helper()
	b, err := afero.ReadFile(backing, "/"+name)
	if err != nil {
		return "<missing>"
	}
	return string(b)
}

// rwNoLeftovers checks that neither the server's directory dir nor the
// spool holds anything but want.
func rwNoLeftovers(t *testing.T, backing afero.Fs, dir, spool string, want ...string) {
	t.Helper()
	infos, err := afero.ReadDir(backing, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rlNames(infos), " "); got != strings.Join(want, " ") {
		t.Errorf("the server's %s holds %q, want %q", dir, got, strings.Join(want, " "))
	}
	local, err := os.ReadDir(spool)
	if err != nil {
		t.Fatal(err)
	}
	if len(local) != 0 {
		t.Errorf("the spool directory holds %d files after Close, want none", len(local))
	}
}

func rwOpen(t *testing.T, fsys afero.Fs, name string, flag int) afero.File {
	t.Helper()
	f, err := fsys.OpenFile(name, flag, 0o644)
	if err != nil {
		t.Fatalf("OpenFile(%q, %#x) = %v", name, flag, err)
	}
	return f
}

// rwMust returns v, failing the test given to its result if err is set:
// rwMust(f.Seek(0, io.SeekStart))(t).
func rwMust[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestRWReadModifyWrite: read a file, overwrite part of it in place, and
// find the change on the server after Close, with nothing left over.
func TestRWReadModifyWrite(t *testing.T) {
	fsys, srv, backing, spool := rwSetup(t, map[string]string{"f": "hello, world\n"})
	f := rwOpen(t, fsys, "f", os.O_RDWR)
	if got := string(rwMust(io.ReadAll(f))(t)); got != "hello, world\n" {
		t.Fatalf("ReadAll = %q", got)
	}
	rwMust(f.Seek(7, io.SeekStart))(t)
	rwMust(f.Write([]byte("WORLD")))(t)
	if got := rwStored(t, backing, "f"); got != "hello, world\n" {
		t.Errorf("before Close the server holds %q, want the old content", got)
	}
	srv.ResetCommands()
	if err := f.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if got := rwStored(t, backing, "f"); got != "hello, WORLD\n" {
		t.Errorf("after Close the server holds %q", got)
	}
	if c := srv.Commands(); c["STOR"] != 1 || c["RNTO"] != 1 || c["SIZE"] != 1 {
		t.Errorf("Close sent %v; want one STOR to a temporary name, its SIZE, one RNTO", c)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close = %v, want fs.ErrClosed", err)
	}
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close = %v, want fs.ErrClosed", err)
	}
	rwNoLeftovers(t, backing, "/", spool, "f")
}

// TestRWUnchangedNoUpload: a read-write file that is only read is not
// uploaded again.
func TestRWUnchangedNoUpload(t *testing.T) {
	fsys, srv, _, _ := rwSetup(t, map[string]string{"f": "data"})
	f := rwOpen(t, fsys, "f", os.O_RDWR)
	rwMust(io.ReadAll(f))(t)
	rwMust(f.ReadAt(make([]byte, 2), 1))(t)
	srv.ResetCommands()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if c := srv.Commands(); c["STOR"] != 0 {
		t.Errorf("Sync and Close of an unchanged file sent %v, want no STOR", c)
	}
}

// TestRWWriteAtTruncateSeek: WriteAt beyond the end leaves zeros, Stat
// shows the current size, Truncate cuts and extends, Seek works from
// every origin, as os does.
func TestRWWriteAtTruncateSeek(t *testing.T) {
	fsys, _, backing, _ := rwSetup(t, map[string]string{"f": "12345"})
	f := rwOpen(t, fsys, "f", os.O_RDWR)
	if n, err := f.WriteAt([]byte("xy"), 8); n != 2 || err != nil {
		t.Fatalf("WriteAt(8) = %d, %v", n, err)
	}
	rwSize(t, f, 10)
	if off := rwMust(f.Seek(-3, io.SeekEnd))(t); off != 7 {
		t.Errorf("Seek(-3, end) = %d, want 7", off)
	}
	b := make([]byte, 3)
	if n, err := io.ReadFull(f, b); n != 3 || err != nil || string(b) != "\x00xy" {
		t.Errorf("read at 7 = %q, %v", b[:n], err)
	}
	if off := rwMust(f.Seek(-8, io.SeekCurrent))(t); off != 2 {
		t.Errorf("Seek(-8, current) = %d, want 2", off)
	}
	if _, err := f.Seek(-1, io.SeekStart); err == nil {
		t.Error("Seek(-1, start) = nil error")
	}
	if err := f.Truncate(3); err != nil {
		t.Fatal(err)
	}
	rwSize(t, f, 3)
	if err := f.Truncate(6); err != nil {
		t.Fatal(err)
	}
	rwSize(t, f, 6)
	if off := rwMust(f.Seek(0, io.SeekCurrent))(t); off != 2 {
		t.Errorf("Truncate moved the offset to %d, want it at 2", off)
	}
	rwMust(f.Write([]byte("Z")))(t)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := rwStored(t, backing, "f"); got != "12Z\x00\x00\x00" {
		t.Errorf("the server holds %q, want %q", got, "12Z\x00\x00\x00")
	}
}

func rwSize(t *testing.T, f afero.File, want int64) {
	t.Helper()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != want {
		t.Errorf("Stat().Size() = %d, want %d", fi.Size(), want)
	}
}

// TestRWSync: Sync uploads what was written so far; later writes reach
// the server at Close.
func TestRWSync(t *testing.T) {
	fsys, _, backing, spool := rwSetup(t, nil)
	f := rwOpen(t, fsys, "f", os.O_RDWR|os.O_CREATE)
	rwMust(f.Write([]byte("first")))(t)
	rwMust(f.Seek(0, io.SeekStart))(t)
	if err := f.Sync(); err != nil {
		t.Fatalf("Sync = %v", err)
	}
	if got := rwStored(t, backing, "f"); got != "first" {
		t.Errorf("after Sync the server holds %q", got)
	}
	rwMust(f.Write([]byte("F")))(t) // Sync left the offset where it was
	rwMust(f.Seek(0, io.SeekEnd))(t)
	rwMust(f.Write([]byte(" second")))(t)
	if got := rwStored(t, backing, "f"); got != "first" {
		t.Errorf("after a Write following Sync the server holds %q", got)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := rwStored(t, backing, "f"); got != "First second" {
		t.Errorf("after Close the server holds %q", got)
	}
	rwNoLeftovers(t, backing, "/", spool, "f")
}

// TestRWFlags: os.O_CREATE, os.O_EXCL, os.O_TRUNC and os.O_APPEND with
// os.O_RDWR mean what they mean to os.
func TestRWFlags(t *testing.T) {
	fsys, _, backing, _ := rwSetup(t, map[string]string{"f": "old", "dir/": ""})

	if _, err := fsys.OpenFile("f", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644); !errors.Is(err, fs.ErrExist) {
		t.Errorf("O_EXCL on an existing file = %v, want fs.ErrExist", err)
	}
	if _, err := fsys.OpenFile("missing", os.O_RDWR, 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file without O_CREATE = %v, want fs.ErrNotExist", err)
	}
	if _, err := fsys.OpenFile("nodir/new", os.O_RDWR|os.O_CREATE, 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("O_CREATE in a missing directory = %v, want fs.ErrNotExist", err)
	}
	if _, err := fsys.OpenFile("dir", os.O_RDWR, 0); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("a directory = %v, want syscall.EISDIR", err)
	}

	// os.O_CREATE makes the file at open, as os does.
	n := rwOpen(t, fsys, "new", os.O_RDWR|os.O_CREATE|os.O_EXCL)
	if got := rwStored(t, backing, "new"); got != "" {
		t.Errorf("after an open with O_CREATE the server holds %q, want an empty file", got)
	}
	if _, err := fsys.OpenFile("new", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a second O_EXCL open = %v, want fs.ErrExist", err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	// os.O_TRUNC empties the file: the open shows it empty at once.
	tr := rwOpen(t, fsys, "f", os.O_RDWR|os.O_TRUNC)
	rwSize(t, tr, 0)
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if got := rwStored(t, backing, "f"); got != "" {
		t.Errorf("after O_TRUNC and Close the server holds %q, want an empty file", got)
	}

	// os.O_APPEND sends every Write to the end; WriteAt is refused.
	writeFiles(t, backing, map[string]string{"a": "abc"})
	a := rwOpen(t, fsys, "a", os.O_RDWR|os.O_APPEND)
	rwMust(a.Seek(0, io.SeekStart))(t)
	rwMust(a.Write([]byte("def")))(t)
	if _, err := a.WriteAt([]byte("x"), 0); err == nil {
		t.Error("WriteAt on an O_APPEND file = nil error, want os's refusal")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if got := rwStored(t, backing, "a"); got != "abcdef" {
		t.Errorf("after O_APPEND writes the server holds %q", got)
	}
}

// TestRWWriteOnlyMiddle: os.O_WRONLY without os.O_TRUNC or os.O_APPEND on
// a non-empty file overwrites it from its start, keeping the rest, as os
// does; reading it fails with syscall.EBADF.
func TestRWWriteOnlyMiddle(t *testing.T) {
	fsys, _, backing, _ := rwSetup(t, map[string]string{"f": "hello"})
	f := rwOpen(t, fsys, "f", os.O_WRONLY)
	rwMust(f.Write([]byte("J")))(t)
	rwMust(f.WriteAt([]byte("y"), 4))(t)
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, syscall.EBADF) {
		t.Errorf("Read on a write-only file = %v, want syscall.EBADF", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := rwStored(t, backing, "f"); got != "Jelly" {
		t.Errorf("the server holds %q, want %q", got, "Jelly")
	}
}

// TestRWSpoolLimit: a file over the limit fails at open, before any
// download; a write that would pass the limit fails too.
func TestRWSpoolLimit(t *testing.T) {
	fsys, srv, backing, _ := rwSetup(t, map[string]string{"big": "0123456789", "small": "0123"}, ftpfs.WithSpoolLimit(8))
	srv.ResetCommands()
	_, err := fsys.OpenFile("big", os.O_RDWR, 0)
	if !errors.Is(err, ftpfs.ErrSpoolLimit) || !strings.Contains(err.Error(), "10 bytes") {
		t.Errorf("opening a 10-byte file with an 8-byte limit = %v, want ErrSpoolLimit naming the size", err)
	}
	if c := srv.Commands(); c["RETR"] != 0 {
		t.Errorf("the refused open sent %v, want no RETR", c)
	}
	f := rwOpen(t, fsys, "small", os.O_RDWR)
	if _, err := f.WriteAt([]byte("xxxxx"), 4); !errors.Is(err, ftpfs.ErrSpoolLimit) {
		t.Errorf("WriteAt past the limit = %v, want ErrSpoolLimit", err)
	}
	if err := f.Truncate(9); !errors.Is(err, ftpfs.ErrSpoolLimit) {
		t.Errorf("Truncate past the limit = %v, want ErrSpoolLimit", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := rwStored(t, backing, "small"); got != "0123" {
		t.Errorf("the server holds %q, want it unchanged", got)
	}
	// Truncation needs no download: it is allowed whatever the size.
	tr := rwOpen(t, fsys, "big", os.O_RDWR|os.O_TRUNC)
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRWWithoutSpool: WithoutSpool keeps the refusal of a Fs that uses no
// local disk.
func TestRWWithoutSpool(t *testing.T) {
	fsys, _, _, _ := rwSetup(t, map[string]string{"f": "data"}, ftpfs.WithoutSpool())
	for _, flag := range []int{os.O_RDWR, os.O_RDWR | os.O_CREATE, os.O_WRONLY} {
		if _, err := fsys.OpenFile("f", flag, 0o644); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("OpenFile(%#x) WithoutSpool = %v, want errors.ErrUnsupported", flag, err)
		}
	}
	if _, err := afero.TempFile(fsys, "", "x"); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("afero.TempFile WithoutSpool = %v, want errors.ErrUnsupported", err)
	}
}

// TestRWFailedUploadKeepsTarget: an upload whose data connection is cut
// fails Close and leaves the target as it was, with no temporary file
// beside it.
func TestRWFailedUploadKeepsTarget(t *testing.T) {
	old := rlBytes(21, 100_000)
	e := rlSetup(t, map[string][]byte{"/target": old}, nil, ftpfs.WithSpoolDir(t.TempDir()))
	f := rwOpen(t, e.fsys, "target", os.O_RDWR)
	rwMust(f.WriteAt(bytes.Repeat([]byte("x"), 50_000), 10_000))(t)
	e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 30_000, Action: ftpfstest.Drop})
	if err := f.Close(); err == nil {
		t.Fatal("Close of an upload cut after 30 KB = nil error")
	}
	e.proxy.ClearFault()
	stored, err := afero.ReadFile(e.backing, "/target")
	if err != nil || !bytes.Equal(stored, old) {
		t.Errorf("after the failed upload the target holds %d bytes (%v), want the old %d unchanged", len(stored), err, len(old))
	}
	names, _ := afero.ReadDir(e.backing, "/") // a leftover temporary file is reported below
	if len(names) != 1 {
		t.Errorf("after the failed upload the directory holds %q, want only target", rlNames(names))
	}
}

// TestRWTempFile: afero.TempFile opens a new file read-write: write, read
// back, close, and the server has it.
func TestRWTempFile(t *testing.T) {
	fsys, _, backing, spool := rwSetup(t, map[string]string{"tmp/": ""})
	f, err := afero.TempFile(fsys, "tmp", "x-*.txt")
	if err != nil {
		t.Fatalf("afero.TempFile = %v", err)
	}
	rwMust(f.WriteString("temporary"))(t)
	rwMust(f.Seek(0, io.SeekStart))(t)
	if got := string(rwMust(io.ReadAll(f))(t)); got != "temporary" {
		t.Errorf("read back %q", got)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(f.Name(), "/")
	if got := rwStored(t, backing, name); got != "temporary" {
		t.Errorf("the server holds %q under %s", got, name)
	}
	got := rwMust(afero.ReadFile(fsys, f.Name()))(t)
	if string(got) != "temporary" {
		t.Errorf("afero.ReadFile = %q", got)
	}
	rwNoLeftovers(t, backing, "/tmp", spool, name[len("tmp/"):])
}

// TestRWSpoolDir: the spool goes where WithSpoolDir says; a spool
// directory that cannot be used fails the open, before the server is
// changed.
func TestRWSpoolDir(t *testing.T) {
	missing := t.TempDir() + "/missing"
	fsys, _, backing, _ := rwSetup(t, map[string]string{"f": "data"}, ftpfs.WithSpoolDir(missing))
	if _, err := fsys.OpenFile("new", os.O_RDWR|os.O_CREATE, 0o644); err == nil || !strings.Contains(err.Error(), "spool") {
		t.Errorf("OpenFile with a missing spool directory = %v, want the spool's error", err)
	}
	if got := rwStored(t, backing, "new"); got != "<missing>" {
		t.Errorf("the failed open left %q on the server", got)
	}
	if err := os.Mkdir(missing, 0o700); err != nil {
		t.Fatal(err)
	}
	f := rwOpen(t, fsys, "f", os.O_RDWR)
	defer f.Close()
	if entries, err := os.ReadDir(missing); err != nil || len(entries) > 1 {
		t.Errorf("the spool directory holds %v, %v", entries, err)
	}
	if got := string(rwMust(io.ReadAll(f))(t)); got != "data" {
		t.Errorf("read %q through the spool", got)
	}
}
