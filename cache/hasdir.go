package cache

// HasDir reports whether a listing of dir is cached and fresh, without
// counting a hit or a miss and without changing its place in the LRU
// order: for callers that only decide whether to list dir at all. It
// reports false while the cache is disabled.
func (c *Cache) HasDir(dir string) bool {
	if !c.enabled.Load() {
		return false
	}
	key := cleanKey(dir)
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.lookup(key)
	return n != nil && n.hasList && c.fresh(n.listAt, c.clock())
}
