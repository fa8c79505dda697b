package ftpfs

import (
	"context"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
)

// Bounds of prefetching.
const (
	// prefetchAhead bounds the directories listed ahead of the reads that
	// use them (or being listed): a walk that stops early wastes at most
	// this many listings, and they cannot crowd the cache.
	prefetchAhead = 32
	// prefetchQueued bounds the directories waiting to be listed; past it
	// the last in walk order are forgotten.
	prefetchQueued = 1024
)

// prefetcher lists directories in the background just before a walk reads
// them. When a ReadDir returns a directory's entries, its subdirectories
// are queued in the order fs.WalkDir visits them, and listed, into the
// cache, by workers on connections the pool can spare (see
// Pool.GetBackground); so are the subdirectories of what they list, up to
// prefetchAhead directories ahead of the reads. A read of a directory
// being listed waits for that listing instead of making its own; a read
// of one still queued takes it out of the queue. Reading a directory also
// drops what lies before it in walk order: a walk has passed it, or
// skipped it.
//
// A nil *prefetcher prefetches nothing.
type prefetcher struct {
	fsys    *Fs
	workers int
	wg      sync.WaitGroup

	mu       sync.Mutex
	queue    []string                 // to list, in walk order
	inflight map[string]chan struct{} // being listed; closed when done
	ahead    map[string]aheadListing  // listed ahead, not read yet
	aheadN   int                      // entries of the ahead listings
	mark     string                   // the last directory read; nothing at or before it is queued
	running  int
	closed   bool
}

// aheadListing is a listing prefetched and not yet read.
type aheadListing struct {
	entries int
	at      time.Time
}

// newPrefetcher returns a prefetcher with the given number of workers, or
// nil for none.
func newPrefetcher(f *Fs, workers int) *prefetcher {
	if workers < 1 {
		return nil
	}
	return &prefetcher{
		fsys:     f,
		workers:  workers,
		inflight: map[string]chan struct{}{},
		ahead:    map[string]aheadListing{},
	}
}

// passed tells that a ReadDir of dir begins: what lies at or before dir
// in walk order is no longer wanted.
func (p *prefetcher) passed(dir string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mark = dir
	i, _ := slices.BinarySearchFunc(p.queue, dir, walkCompare)
	if i < len(p.queue) && p.queue[i] == dir {
		i++
	}
	p.queue = slices.Delete(p.queue, 0, i)
	for d, a := range p.ahead {
		if walkCompare(d, dir) <= 0 {
			delete(p.ahead, d)
			p.aheadN -= a.entries
		}
	}
	p.start()
}

// await is called before a listing of dir: it waits for the prefetch of
// dir in flight, if any (its listing is then in the cache, unless it
// failed), or until ctx (the caller's) ends, or else takes dir out of the
// queue. A prefetch of dir that ended before the call has stored its
// listing already: the caller looks in the cache after await, whatever it
// found before.
func (p *prefetcher) await(ctx context.Context, dir string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	done, ok := p.inflight[dir]
	if !ok {
		if i, found := slices.BinarySearchFunc(p.queue, dir, walkCompare); found {
			p.queue = slices.Delete(p.queue, i, i+1)
		}
	}
	p.mu.Unlock()
	if !ok {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// read tells that dir was read with these entries: its subdirectories are
// queued.
func (p *prefetcher) read(dir string, entries []parsers.Entry) {
	if p == nil || !p.fsys.cache.Enabled() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.add(dir, entries)
	p.start()
}

// add queues the subdirectories of dir that are not at or before the
// mark, queued, in flight or listed ahead. p.mu must be held.
func (p *prefetcher) add(dir string, entries []parsers.Entry) {
	if p.closed {
		return
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := path.Join(dir, e.Name)
		if walkCompare(sub, p.mark) <= 0 || p.inflight[sub] != nil {
			continue
		}
		if _, ok := p.ahead[sub]; ok {
			continue
		}
		if i, found := slices.BinarySearchFunc(p.queue, sub, walkCompare); !found {
			p.queue = slices.Insert(p.queue, i, sub)
		}
	}
	if len(p.queue) > prefetchQueued {
		p.queue = p.queue[:prefetchQueued]
	}
}

// start starts workers while there is work for more. p.mu must be held.
func (p *prefetcher) start() {
	for p.running < min(p.workers, len(p.queue)) && p.canWork() {
		p.running++
		p.wg.Add(1)
		go p.work()
	}
}

// canWork reports whether a worker may list one more directory. p.mu must
// be held.
func (p *prefetcher) canWork() bool {
	if p.closed || len(p.queue) == 0 {
		return false
	}
	if len(p.inflight)+len(p.ahead) < prefetchAhead && p.aheadN < p.fsys.cache.MaxEntries()/2 {
		return true
	}
	// Listings older than the cache's max age are gone from it: a walk
	// will not find them there.
	if maxAge := p.fsys.cache.MaxAge(); maxAge > 0 {
		for d, a := range p.ahead {
			if time.Since(a.at) >= maxAge {
				delete(p.ahead, d)
				p.aheadN -= a.entries
			}
		}
	}
	return len(p.inflight)+len(p.ahead) < prefetchAhead && p.aheadN < p.fsys.cache.MaxEntries()/2
}

// work lists queued directories until there is nothing it may list. It
// takes a session before it takes a directory, so that a directory never
// waits in a worker for a session.
func (p *prefetcher) work() {
	defer p.wg.Done()
	f := p.fsys
	for {
		p.mu.Lock()
		if !p.canWork() {
			p.running--
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		s, err := f.pool.GetBackground(f.life, ftpconn.ListDefault, p.backlog)
		if err != nil {
			p.mu.Lock()
			p.running--
			p.mu.Unlock()
			return
		}
		dir, done := p.take()
		if dir == "" {
			f.pool.Put(s, nil)
			continue
		}
		var entries []parsers.Entry
		stored := false
		if !f.cache.HasDir(dir) {
			// An empty listing needs no check here: the listing of dir's
			// parent just showed dir as a directory.
			r := f.fetch(f.life, s, dir, false)
			f.pool.Put(s, r.err)
			if f.settled(dir, r) {
				entries, stored = r.entries, f.storeListing(dir, r.entries, r.generation)
			}
		} else {
			f.pool.Put(s, nil)
		}
		p.finish(dir, done, entries, stored)
	}
}

// backlog estimates how long listing the queue would take on one
// connection.
func (p *prefetcher) backlog() time.Duration {
	p.mu.Lock()
	n := len(p.queue)
	p.mu.Unlock()
	return time.Duration(n) * p.fsys.listCost.get()
}

// take moves the first queued directory in flight and returns it, or ""
// when there is none it may list.
func (p *prefetcher) take() (string, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.canWork() {
		return "", nil
	}
	dir := p.queue[0]
	p.queue = p.queue[1:]
	done := make(chan struct{})
	p.inflight[dir] = done
	return dir, done
}

// finish records the end of the prefetch of dir: with stored, its
// listing (entries) is in the cache and its subdirectories are queued.
func (p *prefetcher) finish(dir string, done chan struct{}, entries []parsers.Entry, stored bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.inflight, dir)
	close(done)
	if stored && walkCompare(dir, p.mark) > 0 {
		p.ahead[dir] = aheadListing{entries: len(entries), at: time.Now()}
		p.aheadN += len(entries)
		p.add(dir, entries)
	}
}

// close stops prefetching and waits for the workers. The Fs's context
// must have ended, so that they do not wait for sessions.
func (p *prefetcher) close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.closed, p.queue = true, nil
	p.mu.Unlock()
	p.wg.Wait()
}

// walkCompare orders server paths as fs.WalkDir visits them: a directory
// before what it holds, entries of a directory by name. It compares byte
// by byte with the slash below every other byte.
func walkCompare(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		switch {
		case ca == '/':
			return -1
		case cb == '/':
			return 1
		case ca < cb:
			return -1
		default:
			return 1
		}
	}
	return len(a) - len(b)
}
