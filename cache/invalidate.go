package cache

// Invalidate forgets what is cached about p: its entry, its listing if p
// is a directory, and the listing of its parent, which may now be wrong
// about p. Cached paths below p stay; see [Cache.InvalidateTree]. The
// filesystem calls it after changing p (write, chmod, remove, mkdir).
// Invalidate works while the cache is disabled.
func (c *Cache) Invalidate(p string) {
	key := cleanKey(p)
	c.mu.Lock()
	c.invalidate(key)
	c.mu.Unlock()
}

// InvalidateTree does what [Cache.Invalidate] does and also forgets every
// path below p ("/a/b/c" is below "/a"; "/ab" is not). The filesystem
// calls it after renaming a directory or removing a tree. It makes one
// pass over the cached paths and allocates nothing; in the package
// benchmarks, on a full cache of 5,000 paths, it takes about 4µs when
// nothing is below p and 10 to 15µs to remove 50 paths. InvalidateTree of
// "/" is Clear.
func (c *Cache) InvalidateTree(p string) {
	key := cleanKey(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == "/" {
		c.reset()
		return
	}
	c.invalidate(key)
	for i := 0; i < len(c.keys); {
		if under(c.keys[i], key) {
			c.remove(c.nodes[i]) // moves the last node into slot i
			continue
		}
		i++
	}
}

// Clear forgets everything. The counters are kept.
func (c *Cache) Clear() {
	c.mu.Lock()
	c.reset()
	c.mu.Unlock()
}

// invalidate is Invalidate with c.mu held.
func (c *Cache) invalidate(key string) {
	if n := c.lookup(key); n != nil {
		c.remove(n)
	}
	if dir, _, ok := split(key); ok {
		if pn := c.lookup(dir); pn != nil && pn.hasList {
			c.dropList(pn)
		}
	}
}
