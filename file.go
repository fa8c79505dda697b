package ftpfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"

	"github.com/spf13/afero"
)

// File is an open file or directory of an Fs: an afero.File, and an
// fs.ReadDirFile for the io/fs view. It is one of three kinds, fixed at
// open: a read stream, a write stream, or a directory. Operations of
// another kind fail with an *fs.PathError (syscall.EBADF, or
// syscall.EISDIR for reading a directory). (A read-write open, spooled
// to local disk, gives an afero.File of another type: see OpenFile.)
//
// A File is safe for concurrent use; ReadAt calls run in parallel, each
// on a connection of its own.
type File struct {
	fs   *Fs
	name string // as given to Open
	path string // on the server

	mu     sync.Mutex
	closed bool
	read   *readState
	write  *writeState
	dir    *dirState
}

var (
	_ afero.File     = (*File)(nil)
	_ fs.ReadDirFile = (*File)(nil)
	_ io.ReaderAt    = (*File)(nil)
	_ io.Seeker      = (*File)(nil)
	_ io.WriterTo    = (*File)(nil)
	_ io.ReaderFrom  = (*File)(nil)
)

// Name returns the name the file was opened with.
func (f *File) Name() string { return f.name }

// Stat returns the file's information as listed when it was opened; for a
// file open for writing, its name and the bytes written so far.
func (f *File) Stat() (fs.FileInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, f.err("stat", fs.ErrClosed)
	}
	switch {
	case f.read != nil:
		return f.readInfo(), nil
	case f.dir != nil:
		return f.dir.info, nil
	default:
		return f.write.info(f.path), nil
	}
}

// Close ends the file's transfer and gives its connection back. For a
// file open for writing it returns the server's verdict on the upload:
// an upload the server did not confirm is an error. Closing a read stream
// early is not an error. A second Close fails with fs.ErrClosed.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.err("close", fs.ErrClosed)
	}
	f.closed = true
	switch {
	case f.read != nil:
		f.read.stop(f.fs, true)
		f.read.blocks.release()
	case f.write != nil:
		return f.err("close", f.write.finish(f.fs, f.path))
	}
	return nil
}

// Sync does nothing and returns nil (or fs.ErrClosed): written bytes go
// to the server as Write returns.
func (f *File) Sync() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.err("sync", fs.ErrClosed)
	}
	return nil
}

// Truncate succeeds only where it changes nothing FTP cannot do:
// Truncate(0) on a file open for writing that has no bytes written yet
// (the upload replaces the file). Anything else fails with
// errors.ErrUnsupported: a stream's bytes are on their way to the server,
// which cannot cut or extend them. A file opened with os.O_RDWR has a
// full Truncate.
func (f *File) Truncate(size int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.err("truncate", fs.ErrClosed)
	}
	if size == 0 && f.write != nil && f.write.written == 0 && !f.write.appending {
		return nil
	}
	return f.err("truncate", errors.ErrUnsupported)
}

// WriteAt fails with errors.ErrUnsupported: FTP writes files from their
// start or their end only, and a stream's bytes are already on their way.
// A file opened with os.O_RDWR has a full WriteAt.
func (f *File) WriteAt(_ []byte, _ int64) (int, error) {
	return 0, f.err("write", errors.ErrUnsupported)
}

// WriteString writes s, like Write.
func (f *File) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// err wraps err in an *fs.PathError for op on this file.
func (f *File) err(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == f.name {
		return err
	}
	return &fs.PathError{Op: op, Path: f.name, Err: err}
}

// wrongKind is the error for an operation of another kind of file.
func (f *File) wrongKind(op string) error {
	if f.dir != nil && (op == "read" || op == "seek") {
		return f.err(op, syscall.EISDIR)
	}
	return f.err(op, syscall.EBADF)
}

// osFileInfos converts for afero's Readdir.
func osFileInfos(infos []*FileInfo) []os.FileInfo {
	out := make([]os.FileInfo, len(infos))
	for i, fi := range infos {
		out[i] = fi
	}
	return out
}
