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
// pass over the cached paths and allocates nothing: about 5µs for a full
// cache of 5,000 paths in the package benchmarks. InvalidateTree of "/" is
// Clear.
func (c *Cache) InvalidateTree(p string) {
	key := cleanKey(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == "/" {
		c.reset()
		return
	}
	c.invalidate(key)
	for i := 0; i < len(c.nodes); {
		if n := c.nodes[i]; under(n.key, key) {
			c.remove(n) // moves the last node into slot i
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
