package cache

import "time"

// DefaultMaxEntries is the entry bound a Cache gets when Options.MaxEntries
// is zero. It is ftputil's default.
const DefaultMaxEntries = 5000

// DefaultMaxAge is how long a Cache serves what it stores when
// Options.MaxAge is zero.
//
// ftputil keeps entries until they are evicted or invalidated, which
// surprises anyone who serves a changing site through http.FS or watches a
// directory another client writes to. Five seconds keeps the benefit that
// matters most, a walk or an HTTP request answering all its Stat calls
// from the listing it has just fetched, while a change made by another
// client shows within a few seconds (NFS caches attributes for 3 to 60
// seconds for the same reason). For ftputil's behaviour call
// [Cache.SetMaxAge] with 0 or set Options.MaxAge to a negative value.
const DefaultMaxAge = 5 * time.Second

// Options configures a [Cache]. The zero value gives the defaults.
type Options struct {
	// MaxEntries bounds the number of entries the cache holds, counted as
	// described in the package documentation. Zero or negative means
	// DefaultMaxEntries. When a store would pass the bound, the least
	// recently used paths are evicted first.
	MaxEntries int

	// MaxAge is how long an entry or listing is served after it was
	// stored. Zero means DefaultMaxAge; a negative value means entries
	// never expire (they still leave by eviction and invalidation).
	MaxAge time.Duration

	// Now returns the current time; the cache reads it when it stores
	// something and, while a max age is set, on every lookup. Nil means
	// time.Now. Tests inject a fake clock here to test expiry without
	// sleeping.
	Now func() time.Time
}

// maxEntries returns the bound n stands for.
func maxEntries(n int) int {
	if n <= 0 {
		return DefaultMaxEntries
	}
	return n
}

// maxAge returns the max age o.MaxAge stands for, zero meaning "never
// expire".
func (o Options) maxAge() time.Duration {
	switch {
	case o.MaxAge == 0:
		return DefaultMaxAge
	case o.MaxAge < 0:
		return 0
	}
	return o.MaxAge
}
