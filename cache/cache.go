package cache

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
	gocache "github.com/patrickmn/go-cache"
)

// Cache holds directory entries and listings by path. It is safe for
// concurrent use. Create one with [New].
type Cache struct {
	mu     sync.Mutex
	store  *gocache.Cache // key → *node, no expiry, no janitor
	lru    lru
	nodes  []*node  // every node, unordered; node.idx is its index
	keys   []string // keys[i] == nodes[i].key, scanned without touching nodes
	used   int      // slots in use, see node.cost
	max    int
	maxAge time.Duration // 0: never expire
	now    func() time.Time

	enabled atomic.Bool
	stats   counters
}

// New returns an empty, enabled cache configured by o.
func New(o Options) *Cache {
	c := &Cache{
		store:  newStore(),
		max:    maxEntries(o.MaxEntries),
		maxAge: o.maxAge(),
		now:    o.Now,
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.lru.init()
	c.enabled.Store(true)
	return c
}

// Get looks p up. It returns the entry and [Hit] when the cache holds an
// entry for p, either its own or one in its parent's listing; [NotExist]
// when the parent's listing is cached and has no child of that name; and
// [Miss] otherwise, or while the cache is disabled. A hit does not
// allocate. The entry's Name is the last element of p (for the root, the
// name it was stored with).
//
// Knowing a directory's listing does not make a Hit for the directory
// itself: its entry comes from its own Put or from its parent's listing.
func (c *Cache) Get(p string) (parsers.Entry, Lookup) {
	if !c.enabled.Load() {
		c.stats.misses.Add(1)
		return parsers.Entry{}, Miss
	}
	key := cleanKey(p)
	c.mu.Lock()
	e, l := c.get(key)
	c.mu.Unlock()
	switch l {
	case Hit:
		c.stats.hits.Add(1)
	case NotExist:
		c.stats.negativeHits.Add(1)
	default:
		c.stats.misses.Add(1)
	}
	return e, l
}

// get is Get with c.mu held, dropping what it finds expired.
func (c *Cache) get(key string) (parsers.Entry, Lookup) {
	now := c.clock()
	if n := c.lookup(key); n != nil && n.hasEntry {
		if c.fresh(n.entryAt, now) {
			c.lru.touch(n)
			return n.entry, Hit
		}
		c.dropEntry(n)
	}
	dir, name, ok := split(key)
	if !ok {
		return parsers.Entry{}, Miss
	}
	pn := c.lookup(dir)
	if pn == nil || !pn.hasList {
		return parsers.Entry{}, Miss
	}
	if !c.fresh(pn.listAt, now) {
		c.dropList(pn)
		return parsers.Entry{}, Miss
	}
	c.lru.touch(pn)
	if i, found := find(pn.list, name); found {
		return pn.list[i], Hit
	}
	return parsers.Entry{}, NotExist
}

// Dir returns the cached listing of the directory dir, sorted by name, and
// true; or nil and false when no listing of dir is cached or the cache is
// disabled. The slice is a fresh copy the caller may keep and change.
func (c *Cache) Dir(dir string) ([]parsers.Entry, bool) {
	if !c.enabled.Load() {
		c.stats.misses.Add(1)
		return nil, false
	}
	key := cleanKey(dir)
	c.mu.Lock()
	var out []parsers.Entry
	n := c.lookup(key)
	ok := n != nil && n.hasList
	if ok && !c.fresh(n.listAt, c.clock()) {
		c.dropList(n)
		ok = false
	}
	if ok {
		c.lru.touch(n)
		out = make([]parsers.Entry, len(n.list))
		copy(out, n.list)
	}
	c.mu.Unlock()
	if ok {
		c.stats.hits.Add(1)
	} else {
		c.stats.misses.Add(1)
	}
	return out, ok
}
