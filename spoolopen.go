package ftpfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// openSpooled opens name through a spool if flag asks for what only a
// spool gives: os.O_RDWR, or os.O_WRONLY into the middle of an existing,
// non-empty file. It reports false, leaving the open to the streams, for
// every other flag, and for all of them WithoutSpool.
func (f *Fs) openSpooled(name string, flag int) (afero.File, bool, error) {
	if f.cfg.noSpool {
		return nil, false, nil
	}
	switch flag & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR) {
	case os.O_RDWR:
	case os.O_WRONLY:
		if flag&(os.O_TRUNC|os.O_APPEND) != 0 || flag&(os.O_CREATE|os.O_EXCL) == os.O_CREATE|os.O_EXCL {
			return nil, false, nil
		}
		p, err := f.resolve(name)
		if err != nil {
			return nil, false, nil // the stream's open reports it
		}
		e, err := f.lookup(p)
		if err == nil {
			e, err = f.follow(p, e)
		}
		if err != nil || e.IsDir() || e.Size == 0 {
			return nil, false, nil // a stream writes it, or reports why not
		}
	default:
		return nil, false, nil
	}
	p, err := f.resolve(name)
	if err != nil {
		return nil, true, pathErr("open", name, err)
	}
	file, err := f.openSpool(name, p, flag)
	if err != nil {
		return nil, true, pathErr("open", name, err)
	}
	return file, true, nil
}

// openSpool opens the server path p (name as given) for random access.
// It enforces the flags as os does, against the server's listing: FTP has
// no exclusive create, so os.O_EXCL is a check followed by an upload,
// not an atomic step.
func (f *Fs) openSpool(name, p string, flag int) (afero.File, error) {
	create, excl := flag&os.O_CREATE != 0, flag&os.O_EXCL != 0
	truncate := flag&os.O_TRUNC != 0
	_, base := splitPath(p) // Stat names the file as opened, as os does
	e, err := f.lookup(p)
	exists := err == nil
	if exists {
		p, e, err = f.followPath(p, e)
		exists = err == nil
	}
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	case exists && create && excl:
		return nil, fs.ErrExist
	case !exists && !create:
		return nil, fs.ErrNotExist
	case exists && e.IsDir():
		return nil, errIsDir
	case exists && !truncate && e.Size > f.cfg.spoolLimit:
		return nil, fmt.Errorf("%w: the file has %d bytes, the limit (WithSpoolLimit) is %d", ErrSpoolLimit, e.Size, f.cfg.spoolLimit)
	case !exists:
		// Creating in a missing directory is fs.ErrNotExist, as for os,
		// rather than the server's refusal of the upload.
		if dir, _ := splitPath(p); dir != p {
			if err := f.checkIsDir(dir); err != nil {
				return nil, err
			}
		}
	}
	dir := f.cfg.spoolDir
	if dir == "" {
		dir = os.TempDir()
	}
	local, err := os.CreateTemp(dir, "ftpfs-spool-*")
	if err != nil {
		return nil, fmt.Errorf("ftpfs: spool file: %w", err)
	}
	// Where the system allows it, the spool has no name from the start, so
	// that a crash leaves nothing behind; elsewhere discard removes it.
	_ = os.Remove(local.Name())
	s := &spoolFile{
		fs: f, name: name, path: p, local: local,
		readable:  flag&(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) == os.O_RDWR,
		appending: flag&os.O_APPEND != 0,
		entry:     e,
	}
	switch {
	case !exists:
		// os creates the file at open: so does the Fs, so that the name
		// is taken (afero.TempFile relies on it) and Stat finds it.
		s.entry = parsers.Entry{Name: base, Type: parsers.TypeFile, Mode: 0o644}
		err = s.upload()
	case truncate:
		s.dirty = e.Size > 0
	case e.Size > 0:
		if err = s.download(e); err == nil {
			_, err = local.Seek(0, io.SeekStart)
		}
	}
	if err != nil {
		s.discard()
		return nil, err
	}
	s.entry.Name = base
	return s, nil
}

// followPath resolves the link chain that starts at the entry e of
// server path p, as Fs.follow does, and returns the path at its end too:
// a file opened through a link is written through it, as os does.
func (f *Fs) followPath(p string, e parsers.Entry) (string, parsers.Entry, error) {
	for hops := 0; e.Type == parsers.TypeLink; hops++ {
		if hops == maxLinkHops {
			return "", parsers.Entry{}, errLinkLoop
		}
		target, err := f.linkTarget(p, e)
		if err != nil {
			return "", parsers.Entry{}, err
		}
		if !path.IsAbs(target) {
			dir, _ := splitPath(p)
			target = path.Join(dir, target)
		}
		p = path.Clean(target)
		if e, err = f.lookup(p); err != nil {
			return "", parsers.Entry{}, err
		}
	}
	return p, e, nil
}
