package ftpfs

import (
	"io/fs"
	"path"
	"sync"
)

// WalkDir walks the tree rooted at root like fs.WalkDir, calling fn for
// each file and directory in lexical order, with the same rules for
// fs.SkipDir and fs.SkipAll. root is a name of the Fs (see IOFS for the
// io/fs form of names; here "/" and "." both mean the base directory).
//
// Unlike fs.WalkDir, which lists one directory after another, WalkDir
// first lists the whole tree in parallel over the Fs's connections (one
// listing per directory, with at most WithMaxConns at once), then calls
// fn. A directory fn skips has been listed all the same. A directory
// that cannot be listed is reported to fn as fs.WalkDir does: a second
// call with the error.
func (f *Fs) WalkDir(root string, fn fs.WalkDirFunc) error {
	info, err := f.stat(root, true)
	if err != nil {
		err = fn(root, nil, pathErr("stat", root, err))
	} else {
		info.name = path.Base(root)
		p, _ := f.resolve(root) // stat resolved it already
		var tree map[string]listing
		if info.IsDir() {
			tree = f.listTree(p)
		}
		err = walkListed(tree, root, p, dirEntry{info}, fn)
	}
	if err == fs.SkipDir || err == fs.SkipAll {
		return nil
	}
	return err
}

// listing is what listTree learnt of one directory.
type listing struct {
	entries []*FileInfo
	err     error
}

// listTree lists the directory p and every directory below it, with as
// many workers as the Fs has connections, and returns the listings by
// server path. Links are not followed (as fs.WalkDir does not).
func (f *Fs) listTree(p string) map[string]listing {
	var (
		mu     sync.Mutex
		more   = sync.NewCond(&mu)
		tree   = map[string]listing{}
		todo   = []string{p}
		active = 0 // directories being listed
		wg     sync.WaitGroup
	)
	worker := func() {
		defer wg.Done()
		mu.Lock()
		defer mu.Unlock()
		for {
			for len(todo) == 0 && active > 0 {
				more.Wait()
			}
			if len(todo) == 0 {
				return // nothing left, and nobody listing who could find more
			}
			dir := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			active++
			mu.Unlock()
			entries, err := f.readDirAt(dir)
			mu.Lock()
			active--
			tree[dir] = listing{entries, err}
			for _, e := range entries {
				if e.IsDir() {
					todo = append(todo, path.Join(dir, e.name))
				}
			}
			more.Broadcast()
		}
	}
	for i := 0; i < cap(f.pool.tokens); i++ {
		wg.Add(1)
		go worker()
	}
	wg.Wait()
	return tree
}

// walkListed calls fn for the directory entry d at name (server path p)
// and what lies below it, from the listings of tree.
func walkListed(tree map[string]listing, name, p string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(name, d, nil); err != nil || !d.IsDir() {
		if err == fs.SkipDir && d.IsDir() {
			err = nil
		}
		return err
	}
	l := tree[p]
	if l.err != nil {
		if err := fn(name, d, pathErr("readdir", name, l.err)); err != nil {
			if err == fs.SkipDir {
				err = nil
			}
			return err
		}
	}
	for _, e := range l.entries {
		err := walkListed(tree, path.Join(name, e.name), path.Join(p, e.name), dirEntry{e}, fn)
		if err != nil {
			if err == fs.SkipDir {
				break
			}
			return err
		}
	}
	return nil
}
