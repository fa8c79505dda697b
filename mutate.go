package ftpfs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"io/fs"
	"os"
	"path"
	"slices"
	"syscall"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// Mkdir creates the named directory with MKD. The permission bits are
// left to the server (FTP has no way to pass them with MKD; use Chmod).
// Errors are *fs.PathError: fs.ErrExist when the name exists,
// fs.ErrNotExist when the parent does not.
func (f *Fs) Mkdir(name string, _ os.FileMode) error {
	return pathErr("mkdir", name, f.mkdir(name))
}

func (f *Fs) mkdir(name string) error {
	p, err := f.resolve(name)
	if err != nil {
		return err
	}
	return f.mkdirAt(p)
}

// mkdirAt makes the directory at server path p (MKD). A name that exists
// is fs.ErrExist; a missing parent fs.ErrNotExist.
func (f *Fs) mkdirAt(p string) error {
	if p == "/" {
		return fs.ErrExist
	}
	err := f.withSession(change, func(ctx context.Context, s *ftpconn.Session) error {
		return s.Mkdir(ctx, p)
	})
	f.changed(p, entryOnly)
	if err == nil {
		return nil
	}
	if !isAmbiguous(err) {
		return err
	}
	if _, lookErr := f.lookup(p); lookErr == nil {
		return withKind(err, fs.ErrExist)
	}
	return f.classify(p, err)
}

// MkdirAll creates the named directory and any missing parents, like
// os.MkdirAll. It is not an error if the directory exists. Errors are
// *fs.PathError, with syscall.ENOTDIR when a path element is a file.
func (f *Fs) MkdirAll(name string, _ os.FileMode) error {
	p, err := f.resolve(name)
	if err != nil {
		return pathErr("mkdir", name, err)
	}
	return pathErr("mkdir", name, f.mkdirAll(p))
}

// mkdirAll makes the directory at server path p and its missing parents,
// the base directory and above included: an Fs whose base does not exist
// yet makes it with MkdirAll(".").
func (f *Fs) mkdirAll(p string) error {
	if p == "/" {
		return nil
	}
	e, err := f.lookup(p)
	if err == nil {
		if e, err = f.follow(p, e); err == nil && e.IsDir() {
			return nil
		}
		if err == nil {
			return errNotDir
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// The base is taken to exist (looking costs a listing of its parent
	// after every change below it), and made only when MKD says that it
	// is missing.
	parent := path.Dir(p)
	if parent != f.base {
		if err := f.mkdirAll(parent); err != nil {
			return err
		}
	}
	err = f.mkdirAt(p)
	if parent == f.base && errors.Is(err, fs.ErrNotExist) {
		if err := f.mkdirAll(f.base); err != nil {
			return err
		}
		err = f.mkdirAt(p)
	}
	if errors.Is(err, fs.ErrExist) { // made by someone else meanwhile
		return nil
	}
	return err
}

// Remove removes the named file (DELE) or empty directory (RMD). Errors
// are *fs.PathError: fs.ErrNotExist for a missing name, syscall.ENOTEMPTY
// for a directory that is not empty.
func (f *Fs) Remove(name string) error {
	p, err := f.resolve(name)
	if err != nil {
		return pathErr("remove", name, err)
	}
	e, err := f.lookup(p)
	if err != nil {
		return pathErr("remove", name, err)
	}
	return pathErr("remove", name, f.remove(p, e))
}

// remove deletes the server path p, whose entry is e.
func (f *Fs) remove(p string, e parsers.Entry) error {
	if p == f.base || p == "/" {
		return errRemoveBase
	}
	err := f.withSession(change, func(ctx context.Context, s *ftpconn.Session) error {
		if e.IsDir() {
			return s.Rmdir(ctx, p)
		}
		return s.Delete(ctx, p)
	})
	f.changed(p, wholeTree)
	if err == nil {
		return nil
	}
	if e.IsDir() && isAmbiguous(err) && len(f.children(p)) > 0 {
		return withKind(err, errNotEmpty)
	}
	return f.classify(p, err)
}

// children returns the entries of the directory p, including those an
// MLSD listing leaves out (proftpd's dangling links).
func (f *Fs) children(p string) []parsers.Entry {
	entries, err := f.listDir(p)
	if err != nil || len(entries) > 0 || !f.server.MLSD() {
		return entries
	}
	entries, _ = f.listWithLIST(p) // an error means: none found
	return entries
}

// RemoveAll removes the named file or directory tree, depth first, like
// os.RemoveAll: links are removed, not followed, and a missing name is not
// an error. It stops at the first error, an *fs.PathError.
func (f *Fs) RemoveAll(name string) error {
	p, err := f.resolve(name)
	if err != nil {
		return pathErr("removeall", name, err)
	}
	if p == f.base || p == "/" {
		return pathErr("removeall", name, errRemoveBase)
	}
	e, err := f.lookup(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return pathErr("removeall", name, err)
	}
	return pathErr("removeall", name, f.removeTree(p, e))
}

// removeTree removes the server path p, whose entry is e, and all below
// it, depth first.
func (f *Fs) removeTree(p string, e parsers.Entry) error {
	removeChildren := func(children []parsers.Entry) error {
		// Links first: removing a link's target first would leave the
		// link dangling, and some servers (their DELE follows links)
		// cannot remove a dangling link.
		children = slices.Clone(children)
		slices.SortStableFunc(children, func(a, b parsers.Entry) int {
			return cmp.Compare(linkRank(a), linkRank(b))
		})
		for _, child := range children {
			if err := f.removeTree(path.Join(p, child.Name), child); err != nil {
				return err
			}
		}
		return nil
	}
	for e.IsDir() {
		entries, err := f.listDir(p)
		// A listing the server cut short: remove what it showed, and
		// list again.
		var truncated *ListingTruncatedError
		more := errors.As(err, &truncated) && len(entries) > 0
		if err != nil && !more {
			return err
		}
		if err := removeChildren(entries); err != nil {
			return err
		}
		if !more {
			break
		}
	}
	err := f.remove(p, e)
	if errors.Is(err, errNotEmpty) && f.server.MLSD() {
		// What MLSD did not show (proftpd's dangling links).
		if err := removeChildren(f.children(p)); err != nil {
			return err
		}
		err = f.remove(p, e)
	}
	if errors.Is(err, fs.ErrNotExist) { // removed by someone else meanwhile
		return nil
	}
	return err
}

// linkRank orders links before other entries.
func linkRank(e parsers.Entry) int {
	if e.Type == parsers.TypeLink {
		return 0
	}
	return 1
}

// Rename renames (moves) oldname to newname with RNFR and RNTO. Whether
// an existing newname is replaced is the server's choice (the common Unix
// servers replace files). Errors are *os.LinkError.
func (f *Fs) Rename(oldname, newname string) error {
	from, err := f.resolve(oldname)
	if err != nil {
		return linkErr(oldname, newname, err)
	}
	to, err := f.resolve(newname)
	if err != nil {
		return linkErr(oldname, newname, err)
	}
	if from == to {
		// Like os.Rename: a file onto itself is a no-op, a directory is
		// an error.
		e, err := f.lookup(from)
		if err == nil && e.IsDir() {
			err = syscall.EEXIST
		}
		return linkErr(oldname, newname, err)
	}
	err = f.withSession(change, func(ctx context.Context, s *ftpconn.Session) error {
		return s.Rename(ctx, from, to)
	})
	f.changed(from, wholeTree)
	f.changed(to, wholeTree)
	if err != nil {
		return linkErr(oldname, newname, f.classifyRename(from, to, err))
	}
	return nil
}

// classifyRename says which end of a refused rename is missing: the
// source, or the directory of the destination.
func (f *Fs) classifyRename(from, to string, err error) error {
	if !isAmbiguous(err) {
		return err
	}
	if err := f.classify(from, err); errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir) {
		return err
	}
	toDir, _ := splitPath(to)
	e, lookErr := f.lookup(toDir)
	switch {
	case errors.Is(lookErr, fs.ErrNotExist):
		return withKind(err, fs.ErrNotExist)
	case errors.Is(lookErr, errNotDir), lookErr == nil && !e.IsDir() && e.Type != parsers.TypeLink:
		return withKind(err, errNotDir)
	}
	// Both ends exist: rename(2) refuses a directory onto a file and a
	// file onto a directory.
	src, srcErr := f.lookup(from)
	dst, dstErr := f.lookup(to)
	if srcErr == nil && dstErr == nil && src.IsDir() != dst.IsDir() {
		if src.IsDir() {
			return withKind(err, errNotDir)
		}
		return withKind(err, errIsDir)
	}
	return err
}

// Chmod changes the mode of the named file with SITE CHMOD. Only the
// permission bits and the setuid, setgid and sticky bits are sent. Errors
// are *fs.PathError: errors.ErrUnsupported when the server has no SITE
// CHMOD, fs.ErrNotExist for a missing name.
func (f *Fs) Chmod(name string, mode os.FileMode) error {
	p, err := f.resolve(name)
	if err != nil {
		return pathErr("chmod", name, err)
	}
	bits := uint32(mode.Perm())
	if mode&os.ModeSetuid != 0 {
		bits |= 0o4000
	}
	if mode&os.ModeSetgid != 0 {
		bits |= 0o2000
	}
	if mode&os.ModeSticky != 0 {
		bits |= 0o1000
	}
	err = f.withSession(change, func(ctx context.Context, s *ftpconn.Session) error {
		return s.Site(ctx, fmt.Sprintf("CHMOD %04o %s", bits, p))
	})
	f.changed(p, entryOnly)
	return pathErr("chmod", name, f.classify(p, err))
}

// Chown fails with errors.ErrUnsupported: FTP cannot change owners.
func (f *Fs) Chown(name string, _, _ int) error {
	return pathErr("chown", name, errors.ErrUnsupported)
}

// Chtimes sets the modification time of the named file with MFMT (or
// vsftpd's MDTM with a time). FTP cannot set access times: atime is
// ignored. Errors are *fs.PathError: errors.ErrUnsupported when the server
// can do neither, fs.ErrNotExist for a missing name.
func (f *Fs) Chtimes(name string, _ time.Time, mtime time.Time) error {
	p, err := f.resolve(name)
	if err != nil {
		return pathErr("chtimes", name, err)
	}
	err = f.withSession(query, func(ctx context.Context, s *ftpconn.Session) error {
		return s.SetTime(ctx, p, mtime)
	})
	f.changed(p, entryOnly)
	err = f.classify(p, err)
	if isAmbiguous(err) && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errNotDir) {
		// Without MFMT the time goes by "MDTM time path", which servers
		// other than vsftpd read as a query for a file of that name.
		err = fmt.Errorf("the server refused to set the time: %w", errors.Join(errors.ErrUnsupported, err))
	}
	return pathErr("chtimes", name, err)
}
