package cache

// MarkComplete notes that the cached listing of dir, if a fresh one is
// there, was checked complete by the caller (ftpfs: a LIST showed no
// symbolic link that this MLSD listing left out). The mark lives and dies
// with that listing: a new listing of dir, an entry patched into it by
// Put, invalidation, expiry and eviction all drop it. MarkComplete does
// nothing while the cache is disabled.
func (c *Cache) MarkComplete(dir string) {
	if !c.enabled.Load() {
		return
	}
	key := cleanKey(dir)
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := c.lookup(key); n != nil && n.hasList && c.fresh(n.listAt, c.clock()) {
		n.listComplete = true
	}
}

// Complete reports whether a fresh listing of dir is cached and marked by
// MarkComplete, without counting a hit or a miss (as HasDir). It reports
// false while the cache is disabled.
func (c *Cache) Complete(dir string) bool {
	if !c.enabled.Load() {
		return false
	}
	key := cleanKey(dir)
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.lookup(key)
	return n != nil && n.hasList && n.listComplete && c.fresh(n.listAt, c.clock())
}
