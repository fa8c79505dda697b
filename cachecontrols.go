package ftpfs

import (
	"time"

	"github.com/ftpfs/ftpfs/cache"
)

// CacheControls are the controls of an Fs's cache of listings, those of
// ftputil's stat cache: enable and disable it, bound its size and the age
// of what it keeps, forget a name or everything, and count its hits.
// Names are the Fs's own, as given to Stat. A CacheControls is a small
// value that refers to the Fs's cache; it is safe for concurrent use.
type CacheControls struct {
	f *Fs
}

// Cache returns the controls of the Fs's cache of listings.
func (f *Fs) Cache() CacheControls { return CacheControls{f} }

// Enable turns the cache back on (see WithoutCache); what it held when
// disabled is served again while fresh.
func (c CacheControls) Enable() { c.f.cache.Enable() }

// Disable makes every Stat and ReadDir ask the server; the cache keeps
// what it holds, and stores nothing new, until Enable.
func (c CacheControls) Disable() { c.f.cache.Disable() }

// Enabled reports whether the cache serves and stores listings.
func (c CacheControls) Enabled() bool { return c.f.cache.Enabled() }

// Resize bounds the cache to n entries (a listing counts one, plus one
// per child); the least recently used go first. n <= 0 restores
// cache.DefaultMaxEntries.
func (c CacheControls) Resize(n int) { c.f.cache.Resize(n) }

// MaxEntries returns the bound of Resize.
func (c CacheControls) MaxEntries() int { return c.f.cache.MaxEntries() }

// SetMaxAge sets how long a listing is served: d > 0 for that long,
// zero or less for ever (ftputil's max_age = None). The default is
// cache.DefaultMaxAge.
func (c CacheControls) SetMaxAge(d time.Duration) { c.f.cache.SetMaxAge(d) }

// MaxAge returns how long a listing is served; zero is for ever.
func (c CacheControls) MaxAge() time.Duration { return c.f.cache.MaxAge() }

// Len returns the number of entries held.
func (c CacheControls) Len() int { return c.f.cache.Len() }

// Stats returns the cache's counts: hits, negative hits, misses and
// evictions.
func (c CacheControls) Stats() cache.Stats { return c.f.cache.Stats() }

// Clear forgets everything.
func (c CacheControls) Clear() { c.f.cache.Clear() }

// Invalidate forgets what the cache knows of the named file or directory,
// everything below it, and its parent's listing: the next Stat or
// ReadDir asks the server. Use it after changing the server by other
// means. It fails only for a name with NUL, CR or LF.
func (c CacheControls) Invalidate(name string) error { return c.f.Invalidate(name) }

// Invalidate is Cache().Invalidate.
func (f *Fs) Invalidate(name string) error {
	p, err := f.resolve(name)
	if err != nil {
		return pathErr("invalidate", name, err)
	}
	f.changed(p, wholeTree)
	return nil
}
