package ftpfs

import (
	"sync"
	"time"
)

// Names missing from an MLSD listing. Until the Fs knows whether the
// server's MLSD leaves links out (links.go), a name missing from an MLSD
// listing is looked for with LIST too, which lists the whole directory.
// linkChecks remembers the directories whose LIST showed no link that
// MLSD left out, so that the next name missing there is missing at once,
// as it is on a server known to show its links: for as long as the cache
// keeps a listing (its max age), and until the Fs changes something.
type linkChecks struct {
	mu   sync.Mutex
	dirs map[string]linkCheck
}

// linkCheck is one directory's LIST check: when it was made, and the
// Fs's generation (its count of changes) before it.
type linkCheck struct {
	at         time.Time
	generation uint64
}

// maxLinkCheckDirs bounds the directories remembered: past it, all are
// forgotten.
const maxLinkCheckDirs = 1000

// done records that a LIST of dir, begun at the Fs's generation, showed
// no link MLSD had left out.
func (lc *linkChecks) done(dir string, generation uint64) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.dirs == nil || len(lc.dirs) >= maxLinkCheckDirs {
		lc.dirs = map[string]linkCheck{}
	}
	lc.dirs[dir] = linkCheck{at: time.Now(), generation: generation}
}

// valid reports whether dir was checked at the Fs's current generation,
// within maxAge (0: with no limit, as the cache's entries).
func (lc *linkChecks) valid(dir string, generation uint64, maxAge time.Duration) bool {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	c, ok := lc.dirs[dir]
	return ok && c.generation == generation && (maxAge <= 0 || time.Since(c.at) < maxAge)
}

// clear forgets every check.
func (lc *linkChecks) clear() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.dirs = nil
}

// linksChecked reports whether a name missing from dir's MLSD listing is
// missing without asking LIST again (see linkChecks). A disabled cache
// remembers nothing.
func (f *Fs) linksChecked(dir string) bool {
	return f.cache.Enabled() && f.linkChecks.valid(dir, f.generation.Load(), f.cache.MaxAge())
}
