package ftpfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// ErrSpoolLimit is what a read-write file fails with when it would grow
// beyond the spool's size limit (see WithSpoolLimit): at open, for a file
// already larger; on Write, WriteAt or Truncate, for one that would
// become larger. Errors wrapping it name the sizes.
var ErrSpoolLimit = errors.New("ftpfs: file larger than the spool limit")

// errWriteAtAppend is os's answer to WriteAt on a file opened with
// os.O_APPEND, which writes at the end whatever the offset.
var errWriteAtAppend = errors.New("invalid use of WriteAt on file opened with O_APPEND")

// spoolFile is a file opened with random access: os.O_RDWR, or
// os.O_WRONLY into the middle of an existing file (neither os.O_TRUNC nor
// os.O_APPEND). FTP moves whole files only, so the file lives in a local
// temporary file (the spool) while it is open: downloaded at open (unless
// truncated or new), read and written there, and uploaded, atomically,
// on Sync and Close when it changed.
type spoolFile struct {
	fs   *Fs
	name string // as given to OpenFile
	path string // on the server: the target of a link opened through it

	mu        sync.Mutex
	local     *os.File // the spool; nil once closed
	readable  bool     // os.O_RDWR; a write-only file fails Read with EBADF
	appending bool     // os.O_APPEND: every Write goes to the end
	dirty     bool     // changed since the last upload (or truncated at open)
	entry     parsers.Entry
}

var (
	_ afero.File  = (*spoolFile)(nil)
	_ io.ReaderAt = (*spoolFile)(nil)
	_ io.WriterAt = (*spoolFile)(nil)
	_ io.Seeker   = (*spoolFile)(nil)
)

// download fills the spool with the file, through a read stream as Open
// gives (which checks that the whole file arrived).
func (s *spoolFile) download(e parsers.Entry) error {
	_, base := splitPath(s.path)
	r := newReadFile(s.fs, s.name, s.path, newFileInfo(base, e))
	n, err := r.WriteTo(s.local)
	closeErr := r.Close()
	switch {
	case err != nil:
		return err
	case closeErr != nil:
		return closeErr
	case n > s.fs.cfg.spoolLimit: // the file grew since it was listed
		return fmt.Errorf("%w: the file has %d bytes, the limit (WithSpoolLimit) is %d", ErrSpoolLimit, n, s.fs.cfg.spoolLimit)
	}
	return nil
}

// upload sends the spool to the server atomically: to a hidden temporary
// name beside the target, checked with SIZE, renamed over the target (as
// WithAtomicWrites does for every upload). A failed upload is deleted and
// leaves the target as it was.
func (s *spoolFile) upload() error {
	info, err := s.local.Stat()
	if err != nil {
		return err
	}
	size := info.Size()
	w, err := newWriteFile(s.fs, s.name, s.path, writeMode{check: checked, atomic: true})
	if err != nil {
		return err
	}
	n, err := w.ReadFrom(io.NewSectionReader(s.local, 0, size))
	if closeErr := w.Close(); closeErr != nil { // the server's verdict, classified
		err = closeErr
	}
	if err == nil && n != size {
		err = fmt.Errorf("sent %d of the spool's %d bytes: %w", n, size, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return err
	}
	s.dirty = false
	s.entry.Size, s.entry.ModTime = size, time.Now()
	return nil
}

// discard closes and removes the spool.
func (s *spoolFile) discard() {
	name := s.local.Name()
	_ = s.local.Close() // nothing in it is wanted any more
	_ = os.Remove(name) // best effort, and gone already where open files can be removed
	s.local = nil
}

// Name returns the name the file was opened with.
func (s *spoolFile) Name() string { return s.name }

// err wraps err in an *fs.PathError for op on this file.
func (s *spoolFile) err(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if pe.Path == s.name {
			return err
		}
		err = pe.Err // the spool's own name means nothing to the caller
	}
	return &fs.PathError{Op: op, Path: s.name, Err: err}
}

// usable reports why op cannot run, if it cannot: the file is closed.
func (s *spoolFile) usable(op string) error {
	if s.local == nil {
		return s.err(op, fs.ErrClosed)
	}
	return nil
}

// fits reports ErrSpoolLimit when the spool would grow past the limit.
func (s *spoolFile) fits(op string, end int64) error {
	if limit := s.fs.cfg.spoolLimit; end > limit {
		return s.err(op, fmt.Errorf("%w: the file would have %d bytes, the limit (WithSpoolLimit) is %d", ErrSpoolLimit, end, limit))
	}
	return nil
}

// Read reads from the spool at the file's offset. A file opened
// os.O_WRONLY fails with syscall.EBADF, as os does.
func (s *spoolFile) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.readCheck(); err != nil {
		return 0, err
	}
	n, err := s.local.Read(p)
	if err == io.EOF {
		return n, err
	}
	return n, s.err("read", err)
}

// ReadAt reads len(p) bytes of the spool at offset off.
func (s *spoolFile) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.readCheck(); err != nil {
		return 0, err
	}
	n, err := s.local.ReadAt(p, off)
	if err == io.EOF {
		return n, err
	}
	return n, s.err("read", err)
}

func (s *spoolFile) readCheck() error {
	if err := s.usable("read"); err != nil {
		return err
	}
	if !s.readable {
		return s.err("read", syscall.EBADF)
	}
	return nil
}

// Write writes p to the spool at the file's offset (at its end with
// os.O_APPEND). The server sees it at the next Sync or Close.
func (s *spoolFile) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("write"); err != nil {
		return 0, err
	}
	whence := io.SeekCurrent
	if s.appending {
		whence = io.SeekEnd
	}
	off, err := s.local.Seek(0, whence)
	if err != nil {
		return 0, s.err("write", err)
	}
	if err := s.fits("write", off+int64(len(p))); err != nil {
		return 0, err
	}
	if len(p) > 0 {
		s.dirty = true
	}
	n, err := s.local.Write(p)
	return n, s.err("write", err)
}

// WriteString writes s, like Write.
func (s *spoolFile) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

// WriteAt writes p to the spool at offset off; beyond the end it leaves
// a hole of zero bytes, as os does. A file opened with os.O_APPEND fails,
// as os.File.WriteAt does.
func (s *spoolFile) WriteAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("write"); err != nil {
		return 0, err
	}
	switch {
	case s.appending:
		return 0, s.err("write", errWriteAtAppend)
	case off < 0:
		return 0, s.err("write", fs.ErrInvalid)
	}
	if err := s.fits("write", off+int64(len(p))); err != nil {
		return 0, err
	}
	if len(p) > 0 {
		s.dirty = true
	}
	n, err := s.local.WriteAt(p, off)
	return n, s.err("write", err)
}

// Seek sets the offset of the next Read or Write, as os.File.Seek does:
// beyond the end is allowed (a Write there leaves a hole).
func (s *spoolFile) Seek(offset int64, whence int) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("seek"); err != nil {
		return 0, err
	}
	off, err := s.local.Seek(offset, whence)
	return off, s.err("seek", err)
}

// Truncate changes the size of the file, cutting it or extending it with
// zero bytes; the offset stays where it is, as os does.
func (s *spoolFile) Truncate(size int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("truncate"); err != nil {
		return err
	}
	if size < 0 {
		return s.err("truncate", fs.ErrInvalid)
	}
	if err := s.fits("truncate", size); err != nil {
		return err
	}
	s.dirty = true
	return s.err("truncate", s.local.Truncate(size))
}

// Stat describes the file as it is open: its current size in the spool,
// and the time of its last change (the listing's time until then).
func (s *spoolFile) Stat() (fs.FileInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("stat"); err != nil {
		return nil, err
	}
	info, err := s.local.Stat()
	if err != nil {
		return nil, s.err("stat", err)
	}
	e := s.entry
	e.Size = info.Size()
	if s.dirty {
		e.ModTime = info.ModTime()
	}
	return newFileInfo(e.Name, e), nil
}

// Sync uploads the file if it changed since it was opened or last
// synced, atomically (see upload), and returns the upload's error.
func (s *spoolFile) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("sync"); err != nil {
		return err
	}
	if !s.dirty {
		return nil
	}
	return s.err("sync", s.upload())
}

// Close uploads the file if it changed, as Sync does, removes the spool
// and returns the upload's error: then the file on the server is as it
// was before (or as the last Sync left it). A second Close fails with
// fs.ErrClosed.
func (s *spoolFile) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable("close"); err != nil {
		return err
	}
	var err error
	if s.dirty {
		err = s.upload()
	}
	s.discard()
	return s.err("close", err)
}

// Readdir fails with syscall.ENOTDIR: a spooled file is never a
// directory.
func (s *spoolFile) Readdir(int) ([]os.FileInfo, error) {
	return nil, s.err("readdir", syscall.ENOTDIR)
}

// Readdirnames fails with syscall.ENOTDIR, as Readdir does.
func (s *spoolFile) Readdirnames(int) ([]string, error) {
	return nil, s.err("readdirnames", syscall.ENOTDIR)
}
