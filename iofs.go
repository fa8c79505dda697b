package ftpfs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
)

// IOFS returns the io/fs view of the Fs: names are unrooted, slash-
// separated and valid in the sense of fs.ValidPath ("." is the base
// directory). Besides fs.FS, the value implements fs.StatFS,
// fs.ReadDirFS, fs.ReadFileFS, fs.SubFS and fs.ReadLinkFS, each served by
// the Fs directly (from its cache where it can), so fs.WalkDir costs one
// listing per directory. ReadDir prefetches the subdirectories it finds
// (see WithoutPrefetch), so that fs.WalkDir lists on several connections
// at once where the server makes that pay.
func (f *Fs) IOFS() fs.FS { return ioFS{fsys: f, prefix: "."} }

// ioFS is the io/fs view of an Fs below prefix.
type ioFS struct {
	fsys   *Fs
	prefix string
}

var (
	_ fs.StatFS     = ioFS{}
	_ fs.ReadDirFS  = ioFS{}
	_ fs.ReadFileFS = ioFS{}
	_ fs.SubFS      = ioFS{}
	_ fs.ReadLinkFS = ioFS{}
)

// full checks an io/fs name and turns it into a name for the Fs.
func (v ioFS) full(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return path.Join(v.prefix, name), nil
}

// fixErr makes an error name the io/fs name, not the Fs's.
func fixErr(err error, name string) error {
	if pe, ok := err.(*fs.PathError); ok {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}

// Open opens the named file for reading.
func (v ioFS) Open(name string) (fs.File, error) {
	full, err := v.full("open", name)
	if err != nil {
		return nil, err
	}
	file, err := v.fsys.openFile(full, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	file.name = name
	switch {
	case file.read != nil:
		file.read.info.name = path.Base(name)
	case file.dir != nil:
		file.dir.info.name = path.Base(name)
	}
	return file, nil
}

// Stat returns information about the named file, following links.
func (v ioFS) Stat(name string) (fs.FileInfo, error) {
	full, err := v.full("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := v.fsys.stat(full, true)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	info.name = path.Base(name)
	return info, nil
}

// Lstat returns information about the named file without following a
// link.
func (v ioFS) Lstat(name string) (fs.FileInfo, error) {
	full, err := v.full("lstat", name)
	if err != nil {
		return nil, err
	}
	info, err := v.fsys.stat(full, false)
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	info.name = path.Base(name)
	return info, nil
}

// ReadLink returns the target of the named symbolic link.
func (v ioFS) ReadLink(name string) (string, error) {
	full, err := v.full("readlink", name)
	if err != nil {
		return "", err
	}
	target, err := v.fsys.ReadlinkIfPossible(full)
	return target, fixErr(err, name)
}

// ReadDir returns the named directory's entries sorted by name.
func (v ioFS) ReadDir(name string) ([]fs.DirEntry, error) {
	full, err := v.full("readdir", name)
	if err != nil {
		return nil, err
	}
	infos, err := v.fsys.readDir(full)
	out := make([]fs.DirEntry, 0, len(infos))
	var invalid []string
	for _, fi := range infos {
		if !fs.ValidPath(fi.Name()) {
			// Not UTF-8: io/fs cannot name it (the afero view can).
			invalid = append(invalid, fi.Name())
			continue
		}
		out = append(out, dirEntry{fi})
	}
	if len(invalid) > 0 {
		err = errors.Join(err, fmt.Errorf("%w: names io/fs cannot carry (not UTF-8): %q", fs.ErrInvalid, invalid))
	}
	if err != nil {
		return out, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return out, nil
}

// ReadFile returns the named file's contents, with one transfer.
func (v ioFS) ReadFile(name string) ([]byte, error) {
	file, err := v.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close() //nolint:errcheck // a read-only close cannot lose data
	info, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + bytes.MinRead)
	if _, err := io.Copy(&buf, file); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Sub returns the view of the directory dir.
func (v ioFS) Sub(dir string) (fs.FS, error) {
	full, err := v.full("sub", dir)
	if err != nil {
		return nil, err
	}
	return ioFS{fsys: v.fsys, prefix: full}, nil
}
