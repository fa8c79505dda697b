package ftpfs

import (
	"errors"
	"io/fs"
	"os"

	"github.com/spf13/afero"
)

// Create creates or truncates the named file and opens it for writing,
// like OpenFile with os.O_WRONLY|os.O_CREATE|os.O_TRUNC. (Unlike
// os.Create the file is write-only, a stream to the server with no local
// copy; OpenFile with os.O_RDWR gives a read-write file.)
func (f *Fs) Create(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
}

// Open opens the named file or directory for reading. It costs nothing
// when the cache knows the name, else one MLST (or SIZE) about the name
// alone, or a listing of the parent where that does not settle it (see
// the package documentation); no transfer: the first Read starts one.
// Errors are *fs.PathError: fs.ErrNotExist for a missing name (or a link
// to one).
func (f *Fs) Open(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDONLY, 0)
}

// OpenFile opens the named file with the given flags:
//
//   - os.O_RDONLY: read a file (RETR, restarted with REST after Seek) or
//     a directory.
//   - os.O_WRONLY with os.O_TRUNC or on a missing or empty file: write
//     the file from its start (STOR). With os.O_CREATE the file may be
//     missing; with os.O_EXCL too it must be.
//   - os.O_WRONLY|os.O_APPEND: add to the end of the file (APPE).
//   - os.O_RDWR, and os.O_WRONLY into the middle of a non-empty file
//     (neither os.O_TRUNC nor os.O_APPEND): a read-write file, spooled to
//     a local temporary file while open. It is downloaded at open (unless
//     truncated or new: os.O_CREATE makes a missing file at once, as os
//     does), has full random access (Read, Write, ReadAt, WriteAt, Seek,
//     Truncate; Stat gives its current size), and is uploaded on Sync and
//     Close when it changed, atomically: to a hidden temporary name,
//     checked with SIZE, renamed over the target, so that a failed upload
//     leaves the target as it was. Opening a big file this way costs its
//     download; see WithSpoolDir, WithSpoolLimit, and WithoutSpool, which
//     refuses these flags with errors.ErrUnsupported. The afero.File it
//     returns is not a *File. FTP has no exclusive create: os.O_EXCL is a
//     check before the upload, not an atomic step.
//
// The permission bits are left to the server (use Chmod). Errors are
// *fs.PathError: fs.ErrNotExist, fs.ErrExist (os.O_EXCL), syscall.EISDIR
// for writing a directory, ErrSpoolLimit for a read-write file over the
// limit, errors.ErrUnsupported for what FTP cannot do (see WithoutSpool).
func (f *Fs) OpenFile(name string, flag int, _ os.FileMode) (afero.File, error) {
	return f.open(name, flag, checked)
}

// OpenFileUnchecked is OpenFile without the size check that closing a
// file written from its start makes (one SIZE command): for callers that
// check many uploads at once, as ftpsync.Mirror does with one listing per
// directory. Without a check, a data connection cut cleanly in the middle
// of an upload leaves a short file that Close does not report. Its errors
// are OpenFile's. (A read-write file's upload is always checked.)
func (f *Fs) OpenFileUnchecked(name string, flag int, _ os.FileMode) (afero.File, error) {
	return f.open(name, flag, unchecked)
}

// check says whether an upload's size is checked with SIZE after it.
type check uint8

const (
	checked   check = iota // SIZE after the upload
	unchecked              // the caller checks (ftpsync.Mirror, with a listing)
)

func (f *Fs) open(name string, flag int, c check) (afero.File, error) {
	if file, ok, err := f.openSpooled(name, flag); ok {
		return file, err
	}
	file, err := f.openWith(name, flag, c)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return file, nil
}

// openFile opens name as OpenFile does, for the io/fs view.
func (f *Fs) openFile(name string, flag int) (*File, error) {
	return f.openWith(name, flag, checked)
}

// openWith opens name; c says whether an upload's size is checked.
func (f *Fs) openWith(name string, flag int, c check) (*File, error) {
	p, err := f.resolve(name)
	if err != nil {
		return nil, err
	}
	switch flag & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR) {
	case os.O_RDONLY:
		if file, ok := f.openProbed(name, p); ok {
			return file, nil
		}
		e, err := f.lookup(p)
		if err == nil {
			e, err = f.follow(p, e)
		}
		if err != nil {
			return nil, err
		}
		info := newFileInfo(baseName(p, f.base), e)
		if e.IsDir() {
			return newDirFile(f, name, p, info), nil
		}
		return newReadFile(f, name, p, info), nil
	case os.O_WRONLY:
		if err := f.checkWrite(p, flag); err != nil {
			return nil, err
		}
		u := writeMode{appending: flag&os.O_APPEND != 0, check: c, atomic: f.cfg.atomicWrites}
		return newWriteFile(f, name, p, u)
	default:
		return nil, errReadWrite
	}
}

// checkWrite enforces the flags of a write: only the flags that depend on
// what exists cost a lookup; a plain create-or-truncate needs none.
func (f *Fs) checkWrite(p string, flag int) error {
	create, excl := flag&os.O_CREATE != 0, flag&os.O_EXCL != 0
	whole := flag&(os.O_TRUNC|os.O_APPEND) != 0
	if create && !excl && whole {
		return nil
	}
	e, err := f.lookup(p)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	case exists && create && excl:
		return fs.ErrExist
	case !exists && !create:
		return fs.ErrNotExist
	case exists && e.IsDir():
		return errIsDir
	case exists && !whole && e.Size > 0:
		return errPartialWrite
	}
	return nil
}
