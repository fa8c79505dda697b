package ftpfs

import (
	"io"
	"io/fs"
	"os"
)

// dirState is a directory open for reading. Its listing is fetched on the
// first call that needs it and served in name order.
type dirState struct {
	info    *FileInfo
	entries []*FileInfo
	loaded  bool
	pos     int
}

func newDirFile(fsys *Fs, name, p string, info *FileInfo) *File {
	return &File{fs: fsys, name: name, path: p, dir: &dirState{info: info}}
}

// next returns up to n entries (all that are left when n <= 0), and
// io.EOF when n > 0 and none are left, as fs.ReadDirFile requires.
func (f *File) next(op string, n int) ([]*FileInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return nil, f.err(op, fs.ErrClosed)
	case f.dir == nil:
		return nil, f.err(op, errNotDir)
	}
	d := f.dir
	if !d.loaded {
		entries, err := f.fs.readDirAt(f.path)
		switch {
		case err != nil && n <= 0 && len(entries) > 0:
			// As os: what could be read, and the error (lines no parser
			// took, a listing the server cut short).
			return entries, f.err(op, err)
		case err != nil:
			return nil, f.err(op, err)
		}
		d.entries, d.loaded = entries, true
	}
	rest := d.entries[d.pos:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.pos += len(rest)
	return rest, nil
}

// ReadDir returns the next n entries of the directory, as fs.ReadDirFile
// does: with n > 0, at most n entries and io.EOF once none are left; with
// n <= 0, all the remaining entries, or, when the listing has lines no
// parser took or the server cut it short, the entries read and the error
// (as os does). Symbolic links are described as links.
func (f *File) ReadDir(n int) ([]fs.DirEntry, error) {
	infos, err := f.next("readdir", n)
	out := make([]fs.DirEntry, len(infos))
	for i, fi := range infos {
		out[i] = dirEntry{fi}
	}
	return out, err
}

// Readdir is ReadDir with fs.FileInfo results, for afero.
func (f *File) Readdir(n int) ([]os.FileInfo, error) {
	infos, err := f.next("readdir", n)
	return osFileInfos(infos), err
}

// Readdirnames is ReadDir with names only, for afero.
func (f *File) Readdirnames(n int) ([]string, error) {
	infos, err := f.next("readdirnames", n)
	names := make([]string, len(infos))
	for i, fi := range infos {
		names[i] = fi.Name()
	}
	return names, err
}
