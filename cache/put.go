package cache

import (
	"slices"

	"github.com/ftpfs/ftpfs/parsers"
)

// Put stores e as the entry for p, fetched now. e.Name is replaced by the
// last element of p (except for the root), so the entry reads the same
// however it is served.
//
// If the listing of p's parent is cached, Put updates that listing instead
// of storing a separate entry: it replaces the child of that name, or adds
// it, so the listing never disagrees with a newer entry. The listing keeps
// its own fetch time. If e is neither a directory nor a symbolic link
// (which may point to one), a cached listing of p is dropped: p is no
// longer a directory. Put does nothing while the cache is disabled.
func (c *Cache) Put(p string, e parsers.Entry) {
	if !c.enabled.Load() {
		return
	}
	key := cleanKey(p)
	dir, name, hasParent := split(key)
	if hasParent {
		e.Name = name
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if hasParent {
		if pn := c.lookup(dir); pn != nil && pn.hasList {
			if c.fresh(pn.listAt, now) {
				c.patchListing(pn, key, e)
				return
			}
			c.dropList(pn)
		}
	}
	n := c.nodeFor(key)
	n.entry, n.entryAt, n.hasEntry = e, now, true
	if !listable(&e) {
		n.list, n.hasList = nil, false
	}
	c.lru.touch(n)
	c.update(n)
	c.evict()
}

// patchListing puts e into pn's listing under e.Name and drops what key's
// own node holds that e contradicts.
func (c *Cache) patchListing(pn *node, key string, e parsers.Entry) {
	if i, found := find(pn.list, e.Name); found {
		pn.list[i] = e
	} else {
		pn.list = slices.Insert(pn.list, i, e)
	}
	pn.listComplete = false // the caller's check was of the listing before
	c.lru.touch(pn)
	c.update(pn)
	if n := c.lookup(key); n != nil {
		n.entry, n.hasEntry = parsers.Entry{}, false
		if !listable(&e) {
			n.list, n.hasList = nil, false
		}
		c.update(n)
	}
	c.evict()
}

// PutDir stores entries as the listing of the directory dir, fetched now;
// Get then answers for every child of dir, present or not. The cache keeps
// its own sorted copy. Entries whose name cannot be a child ("", ".",
// "..", or containing a slash) are left out, and of entries sharing a name
// the first is kept.
//
// The listing supersedes what was cached about dir's children: their
// separate entries are dropped, and so are cached listings of children
// the listing no longer shows as directories or symbolic links. A cached
// listing of dir's parent that does not show dir as a directory or link
// is dropped too, and so is an entry for dir that is neither.
//
// A listing counts 1+len(entries) against the entry bound. One larger than
// the bound is kept all the same, alone: everything else is evicted for it
// (else every Stat in that directory would list it again). PutDir does
// nothing while the cache is disabled.
func (c *Cache) PutDir(dir string, entries []parsers.Entry) {
	if !c.enabled.Load() {
		return
	}
	key := cleanKey(dir)
	list := makeListing(entries)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if pdir, name, ok := split(key); ok {
		if pn := c.lookup(pdir); pn != nil && pn.hasList && !listableIn(pn.list, name) {
			c.dropList(pn)
		}
	}
	c.supersedeChildren(key, list)

	n := c.nodeFor(key)
	n.list, n.listAt, n.hasList, n.listComplete = list, now, true, false
	if n.hasEntry && !listable(&n.entry) {
		n.entry, n.hasEntry = parsers.Entry{}, false
	}
	c.lru.touch(n)
	c.update(n)
	c.evict()
}

// supersedeChildren drops the separate entries of dir's children, and the
// listings of those that list does not show as directories.
func (c *Cache) supersedeChildren(dir string, list []parsers.Entry) {
	for i := 0; i < len(c.keys); {
		if name, ok := childOf(c.keys[i], dir); ok {
			n := c.nodes[i]
			n.entry, n.hasEntry = parsers.Entry{}, false
			if n.hasList && !listableIn(list, name) {
				n.list, n.hasList = nil, false
			}
			c.update(n)
			if n.weight == 0 {
				continue // n was removed; another node may have moved into slot i
			}
		}
		i++
	}
}
