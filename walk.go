package ftpfs

import (
	"context"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"io/fs"
	"path"
	"sync"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// WalkDir walks the tree rooted at root like fs.WalkDir, calling fn for
// each file and directory in lexical order, with the same rules for
// fs.SkipDir and fs.SkipAll. root is a name of the Fs (see IOFS for the
// io/fs form of names; here "/" and "." both mean the base directory).
//
// Unlike fs.WalkDir, which lists one directory after another, WalkDir
// first lists the whole tree in parallel over the Fs's connections (one
// listing per directory, with at most WithMaxConns at once; extra
// connections are dialed in the background and used once they are
// ready, while the walk goes on with those open), then calls fn. A directory fn skips has been listed all the same. A directory
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

// listTree lists the directory p and every directory below it, and
// returns the listings by server path. Links are not followed (as
// fs.WalkDir does not). The calling goroutine lists as a foreground
// caller of the pool; up to WithMaxConns-1 helpers list on the sessions
// the pool can spare (see Pool.GetBackground), so that a slow login never
// makes the walk slower than listing on one connection.
func (f *Fs) listTree(p string) map[string]listing {
	t := &treeLister{f: f, tree: map[string]listing{}, todo: []string{p}}
	t.more = sync.NewCond(&t.mu)
	ctx, cancel := context.WithCancel(f.ctx)
	var wg sync.WaitGroup
	for i := 1; i < f.cfg.maxConns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.work(ctx, true)
		}()
	}
	t.work(ctx, false)
	cancel() // helpers waiting for a session give up
	wg.Wait()
	return t.tree
}

// treeLister is the state of listTree.
type treeLister struct {
	f      *Fs
	mu     sync.Mutex
	more   *sync.Cond // todo grew, or active fell
	tree   map[string]listing
	todo   []string
	active int // directories being listed
}

// work lists directories until none is left and nobody listing could
// find more. It takes a session before it takes a directory, so that a
// directory never waits in a helper for a session. A helper that gets no
// session (listTree finished, or the Fs closed) stops; the foreground
// worker then lists with listDir, which reports the error.
func (t *treeLister) work(ctx context.Context, helper bool) {
	f := t.f
	get := f.pool.Get
	if helper {
		get = func(ctx context.Context, mode ftpconn.ListMode) (*ftpconn.Session, error) {
			return f.pool.GetBackground(ctx, mode, t.backlog)
		}
	}
	for t.wait() {
		if dir, ok := t.take(f.cache.HasDir); ok {
			entries, err := f.listDir(dir) // from the cache
			t.done(dir, entries, err)
			continue
		}
		s, err := get(ctx, ftpconn.ListDefault)
		if err != nil && helper {
			return
		}
		dir, ok := t.take(nil)
		if !ok {
			if s != nil {
				f.pool.Put(s, nil)
			}
			continue
		}
		var entries []parsers.Entry
		good := false
		if s != nil {
			var r fetched
			f.prefetch.await(ctx, dir) // a prefetch of dir in flight, or just ended, fills the cache
			if !f.cache.HasDir(dir) {
				r = f.fetch(ctx, s, dir, false)
				if good = f.settled(dir, r); good {
					entries = r.entries
					f.storeListing(dir, entries, r.generation)
				}
			}
			f.pool.Put(s, r.err)
		}
		if !good { // listDir's checks and errors, or the cache
			entries, err = f.listDir(dir)
		}
		t.done(dir, entries, err)
	}
}

// backlog estimates how long listing what is known to be left would take
// on one connection.
func (t *treeLister) backlog() time.Duration {
	t.mu.Lock()
	n := len(t.todo)
	t.mu.Unlock()
	return time.Duration(n) * t.f.listCost.get()
}

// wait blocks until there is a directory to list, and reports false once
// there is none and nobody listing could find more.
func (t *treeLister) wait() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.todo) == 0 && t.active > 0 {
		t.more.Wait()
	}
	return len(t.todo) > 0
}

// take takes the next directory to list (if only is nil or accepts it).
func (t *treeLister) take(only func(string) bool) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.todo) == 0 {
		return "", false
	}
	dir := t.todo[len(t.todo)-1]
	if only != nil && !only(dir) {
		return "", false
	}
	t.todo = t.todo[:len(t.todo)-1]
	t.active++
	return dir, true
}

// done records the listing of dir and queues its subdirectories.
func (t *treeLister) done(dir string, entries []parsers.Entry, err error) {
	infos := fileInfos(entries)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.active--
	t.tree[dir] = listing{infos, err}
	for _, e := range infos {
		if e.IsDir() {
			t.todo = append(t.todo, path.Join(dir, e.name))
		}
	}
	t.more.Broadcast()
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
