package cache

import "time"

// Enable turns the cache back on after [Cache.Disable]. Entries kept while
// it was disabled are served again if they have not expired.
func (c *Cache) Enable() { c.enabled.Store(true) }

// Disable turns the cache off, as ftputil's disable does: Get and Dir
// report a miss, Put and PutDir store nothing. What is stored stays, so
// Enable brings it back; invalidation still applies and ages still run
// while the cache is disabled, so nothing comes back that the
// filesystem's own changes or the max age ruled out. Call [Cache.Clear]
// as well to start afresh.
func (c *Cache) Disable() { c.enabled.Store(false) }

// Enabled reports whether the cache is enabled. A new cache is.
func (c *Cache) Enabled() bool { return c.enabled.Load() }

// Resize sets the entry bound to n, evicting least recently used paths
// until the cache fits. Zero or negative n means [DefaultMaxEntries].
func (c *Cache) Resize(n int) {
	c.mu.Lock()
	c.max = maxEntries(n)
	c.evict()
	c.mu.Unlock()
}

// MaxEntries returns the entry bound.
func (c *Cache) MaxEntries() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// SetMaxAge sets how long entries and listings are served after they were
// stored, for those already stored as well. Zero or negative d means they
// never expire, as in ftputil.
func (c *Cache) SetMaxAge(d time.Duration) {
	c.mu.Lock()
	c.maxAge = max(d, 0)
	c.mu.Unlock()
}

// MaxAge returns the max age, zero when entries never expire.
func (c *Cache) MaxAge() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.maxAge
}

// Len returns the number of slots in use, as counted against the entry
// bound: one per entry stored with Put, 1+len(entries) per listing stored
// with PutDir. Expired entries count until a lookup or eviction drops them.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Stats returns the hit, miss and eviction counters.
func (c *Cache) Stats() Stats { return c.stats.snapshot() }
