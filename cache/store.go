package cache

import (
	"time"

	"github.com/ftpfs/ftpfs/parsers"
	gocache "github.com/patrickmn/go-cache"
)

// This file keeps the three views of the cached nodes in step: the go-cache
// store (key to node), the LRU list (use order), and Cache.nodes with
// Cache.keys (an unordered index for prefix scans). Every function here
// needs c.mu held.

// newStore returns a go-cache store with no expiry and no janitor
// goroutine: the Cache enforces age and size itself.
func newStore() *gocache.Cache {
	return gocache.New(gocache.NoExpiration, 0)
}

// lookup returns the node for key, or nil.
func (c *Cache) lookup(key string) *node {
	v, ok := c.store.Get(key)
	if !ok {
		return nil
	}
	return v.(*node)
}

// nodeFor returns the node for key, creating an empty one if needed. An
// empty node must be filled and passed to update before c.mu is released.
func (c *Cache) nodeFor(key string) *node {
	if n := c.lookup(key); n != nil {
		return n
	}
	n := &node{key: key, idx: len(c.nodes)}
	c.store.Set(key, n, gocache.NoExpiration)
	c.lru.pushFront(n)
	c.nodes = append(c.nodes, n)
	c.keys = append(c.keys, key)
	return n
}

// update recounts n after its entry or listing changed, and removes it
// when it holds nothing. It does not evict: callers call evict once done.
func (c *Cache) update(n *node) {
	w := n.cost()
	c.used += w - n.weight
	n.weight = w
	if w == 0 {
		c.remove(n)
	}
}

// remove drops n and everything it holds.
func (c *Cache) remove(n *node) {
	c.used -= n.weight
	n.weight = 0
	c.store.Delete(n.key)
	c.lru.remove(n)
	end := len(c.nodes) - 1
	last := c.nodes[end]
	c.nodes[n.idx], c.keys[n.idx] = last, last.key
	last.idx = n.idx
	c.nodes[end], c.keys[end] = nil, ""
	c.nodes, c.keys = c.nodes[:end], c.keys[:end]
}

// dropEntry forgets n's own entry.
func (c *Cache) dropEntry(n *node) {
	n.entry, n.hasEntry = parsers.Entry{}, false
	c.update(n)
}

// dropList forgets n's listing.
func (c *Cache) dropList(n *node) {
	n.list, n.hasList = nil, false
	c.update(n)
}

// evict removes least recently used nodes until the bound holds, or
// only the most recent node is left.
func (c *Cache) evict() {
	// The most recent node stays even when it alone passes the bound: a
	// listing larger than the bound is worth more than all else, or
	// every Stat in its directory would list it again.
	for c.used > c.max && c.lru.back() != c.lru.root.next {
		c.remove(c.lru.back())
		c.stats.evictions.Add(1)
	}
}

// clock returns the time to judge freshness by, or the zero time when
// nothing expires (sparing a clock read on every lookup).
func (c *Cache) clock() time.Time {
	if c.maxAge <= 0 {
		return time.Time{}
	}
	return c.now()
}

// fresh reports whether something stored at t may still be served at now,
// as returned by clock.
func (c *Cache) fresh(t, now time.Time) bool {
	return c.maxAge <= 0 || now.Sub(t) < c.maxAge
}

// reset forgets every node.
func (c *Cache) reset() {
	c.store.Flush()
	c.lru.init()
	clear(c.nodes)
	clear(c.keys)
	c.nodes, c.keys = c.nodes[:0], c.keys[:0]
	c.used = 0
}
