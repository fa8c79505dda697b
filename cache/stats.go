package cache

import "sync/atomic"

// Stats holds a cache's counters since it was created. [Cache.Clear] does
// not reset them.
type Stats struct {
	// Hits counts Get calls that returned Hit and Dir calls that returned
	// a listing.
	Hits uint64
	// NegativeHits counts Get calls that returned NotExist.
	NegativeHits uint64
	// Misses counts Get and Dir calls the cache could not answer,
	// including every call made while the cache is disabled.
	Misses uint64
	// Evictions counts paths dropped to honour the entry bound, including
	// listings too large to be kept at all. Expiry and invalidation are
	// not evictions.
	Evictions uint64
}

// counters are the live counterparts of Stats.
type counters struct {
	hits, negativeHits, misses, evictions atomic.Uint64
}

// snapshot reads the counters; each is read atomically, the set is not.
func (c *counters) snapshot() Stats {
	return Stats{
		Hits:         c.hits.Load(),
		NegativeHits: c.negativeHits.Load(),
		Misses:       c.misses.Load(),
		Evictions:    c.evictions.Load(),
	}
}
