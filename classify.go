package ftpfs

import (
	"errors"
	"io/fs"

	"github.com/ftpfs/ftpfs/parsers"
)

// Error classification: what an ambiguous refusal of the server means,
// found by looking at the listing of the name's parent.

// classify turns a refusal concerning server path p into the error users
// see: an ambiguous reply (see isAmbiguous) becomes fs.ErrNotExist when
// p's parent listing does not show p (or the parent is missing, or a file:
// syscall.ENOTDIR), and stays unclassified otherwise. Other errors pass as they
// are.
func (f *Fs) classify(p string, err error) error {
	if !isAmbiguous(err) {
		return err
	}
	f.cache.Invalidate(p)
	if p == "/" {
		return err
	}
	dir, name := splitPath(p)
	entries, listErr := f.listDirFresh(dir)
	switch {
	case errors.Is(listErr, fs.ErrNotExist):
		return withKind(err, fs.ErrNotExist)
	case errors.Is(listErr, errNotDir): // a path element is a file
		return withKind(err, errNotDir)
	case listErr != nil:
		return err
	}
	for _, e := range entries {
		if e.Name == name {
			return err
		}
	}
	return withKind(err, fs.ErrNotExist)
}

// classifyList is classify for a refused listing of dir, which may also
// mean that dir is a file.
func (f *Fs) classifyList(dir string, err error) error {
	err = f.classify(dir, err)
	if !isAmbiguous(err) || errors.Is(err, fs.ErrNotExist) || dir == "/" {
		return err
	}
	if e, lookErr := f.lookup(dir); lookErr == nil && !e.IsDir() && e.Type != parsers.TypeLink {
		return withKind(err, errNotDir)
	}
	return err
}
