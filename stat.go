package ftpfs

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

// maxLinkHops bounds how many symbolic links Stat follows, as Linux does.
const maxLinkHops = 40

// rootEntry describes a directory that has no parent to list it in.
func rootEntry(name string) parsers.Entry {
	return parsers.Entry{Name: name, Type: parsers.TypeDir, Mode: fs.ModeDir | 0o755}
}

// checkIsDir confirms that the server path dir is a directory.
func (f *Fs) checkIsDir(dir string) error {
	if dir == "/" || dir == f.base {
		return nil
	}
	e, err := f.lookup(dir)
	if err == nil {
		e, err = f.follow(dir, e)
	}
	if err != nil {
		return err
	}
	if !e.IsDir() {
		return errNotDir
	}
	return nil
}

// lookup returns the listing entry for the server path p, without
// following a link: from the cache, or from its parent's listing.
func (f *Fs) lookup(p string) (parsers.Entry, error) {
	if p == "/" {
		return rootEntry("/"), nil
	}
	dir, name := splitPath(p)
	switch e, found := f.cache.Get(p); found {
	case cache.Hit:
		return e, nil
	case cache.NotExist:
		if !f.mayHideLinks() || f.cache.Complete(dir) {
			return parsers.Entry{}, fs.ErrNotExist
		}
	}
	entries, err := f.listDir(dir)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist):
		// The parent is missing: the name is, as os says it, bare
		// (os.IsNotExist, which afero's helpers use, sees no further).
		return parsers.Entry{}, fs.ErrNotExist
	case errors.Is(err, errNotDir):
		return parsers.Entry{}, errNotDir
	}
	if err != nil && entries == nil {
		if p == f.base && !errors.Is(err, fs.ErrNotExist) {
			// The parent of the base may be off limits: the base is a
			// directory if it can be listed.
			if _, err := f.listDir(p); err == nil {
				return rootEntry(name), nil
			}
		}
		return parsers.Entry{}, err
	}
	for _, e := range entries {
		if e.Name == name {
			return e, nil
		}
	}
	if err != nil { // a partial listing cannot prove that the name is missing
		return parsers.Entry{}, err
	}
	if f.mayHideLinks() && !f.cache.Complete(dir) {
		// Some servers' MLSD leaves out dangling links and link loops:
		// ask LIST before saying the name is missing, once per cached
		// listing of dir (the mark goes with the listing).
		generation := f.generation.Load()
		e, found, listed := f.hiddenLink(dir, name, entries)
		if found {
			f.cache.Put(p, e)
			return e, nil
		}
		if listed && f.generation.Load() == generation {
			// No change of the Fs since: the cached listing is the one
			// LIST was compared with.
			f.cache.MarkComplete(dir)
		}
	}
	return parsers.Entry{}, fs.ErrNotExist
}

// follow resolves the link chain that starts at the entry e of server path
// p, and returns the entry at its end.
func (f *Fs) follow(p string, e parsers.Entry) (parsers.Entry, error) {
	for hops := 0; e.Type == parsers.TypeLink; hops++ {
		if hops == maxLinkHops {
			return parsers.Entry{}, errLinkLoop
		}
		target, err := f.linkTarget(p, e)
		if err != nil {
			return parsers.Entry{}, err
		}
		if !path.IsAbs(target) {
			dir, _ := splitPath(p)
			target = path.Join(dir, target)
		}
		p = path.Clean(target)
		if e, err = f.lookup(p); err != nil {
			return parsers.Entry{}, err
		}
	}
	return e, nil
}

// linkTarget returns the target of the link entry e at server path p.
// MLSD listings leave targets out, so for them it lists the parent with
// LIST once and caches what it learns.
func (f *Fs) linkTarget(p string, e parsers.Entry) (string, error) {
	if e.LinkTarget != "" {
		return e.LinkTarget, nil
	}
	dir, name := splitPath(p)
	entries, err := f.listWithLIST(dir)
	if err != nil {
		return "", err
	}
	for _, le := range entries {
		if le.Name == name && le.LinkTarget != "" {
			e.LinkTarget = le.LinkTarget
			f.cache.Put(p, e)
			return le.LinkTarget, nil
		}
	}
	return "", errors.New("the server does not show the link's target")
}

// Stat returns information about the named file, following symbolic
// links. It costs one listing of the parent directory, unless the cache
// has it. Errors are *fs.PathError: fs.ErrNotExist when the file (or a
// link's target) is missing, and an error for a link loop.
func (f *Fs) Stat(name string) (fs.FileInfo, error) {
	info, err := f.stat(name, true)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	return info, nil
}

// LstatIfPossible returns information about the named file without
// following a symbolic link, and true: the Fs can always tell links apart.
// Errors are as for Stat.
func (f *Fs) LstatIfPossible(name string) (fs.FileInfo, bool, error) {
	info, err := f.stat(name, false)
	if err != nil {
		return nil, true, pathErr("lstat", name, err)
	}
	return info, true, nil
}

func (f *Fs) stat(name string, followLinks bool) (*FileInfo, error) {
	p, err := f.resolve(name)
	if err != nil {
		return nil, err
	}
	e, err := f.lookup(p)
	if err == nil && followLinks {
		e, err = f.follow(p, e)
	}
	if err != nil {
		return nil, err
	}
	return newFileInfo(baseName(p, f.base), e), nil
}

// baseName is the name a FileInfo reports: the last element, or "/" for
// the base directory itself.
func baseName(p, base string) string {
	if p == base {
		return "/"
	}
	_, name := splitPath(p)
	return name
}

// ReadlinkIfPossible returns the target of the named symbolic link, as the
// server's listing shows it. Errors are *fs.PathError: fs.ErrNotExist for
// a missing file, fs.ErrInvalid for a file that is not a link.
func (f *Fs) ReadlinkIfPossible(name string) (string, error) {
	p, err := f.resolve(name)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	e, err := f.lookup(p)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	if e.Type != parsers.TypeLink {
		return "", pathErr("readlink", name, fs.ErrInvalid)
	}
	target, err := f.linkTarget(p, e)
	return target, pathErr("readlink", name, err)
}

// SymlinkIfPossible fails with errors.ErrUnsupported: FTP cannot make
// symbolic links.
func (f *Fs) SymlinkIfPossible(oldname, newname string) error {
	return &os.LinkError{Op: "symlink", Old: oldname, New: newname, Err: errors.ErrUnsupported}
}

// readDir returns the FileInfos of the named directory, sorted by name;
// links are described as links (like os.ReadDir).
func (f *Fs) readDir(name string) ([]*FileInfo, error) {
	p, err := f.resolve(name)
	if err != nil {
		return nil, err
	}
	return f.readDirAt(p)
}

// readDirAt is readDir for the server path p. The listing itself tells a
// file or a missing name from a directory (see listDir), so it costs no
// look at the parent.
//
// Reading a directory queues its subdirectories for prefetching.
func (f *Fs) readDirAt(p string) ([]*FileInfo, error) {
	f.prefetch.passed(p)
	entries, err := f.listDir(p)
	if err == nil {
		f.prefetch.read(p, entries)
	}
	return fileInfos(entries), err
}

// fileInfos describes listing entries, sorted by name.
func fileInfos(entries []parsers.Entry) []*FileInfo {
	infos := make([]*FileInfo, 0, len(entries))
	for _, e := range entries {
		infos = append(infos, newFileInfo(e.Name, e))
	}
	slices.SortFunc(infos, func(a, b *FileInfo) int { return strings.Compare(a.name, b.name) })
	return infos
}
