package ftpfs

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// listOn lists the directory dir on the session s, which the caller holds,
// and caches the listing (unless a change overtook it). It is the quick
// path of prefetching and of WalkDir's helpers: ok is false when the
// listing needs listDir's checks (an error, lines no parser understands,
// or LIST output that may describe a file), which the caller leaves to a
// later listDir. stored tells whether the listing went into the cache;
// isBroken whether s must be discarded.
func (f *Fs) listOn(ctx context.Context, s *session, dir string) (entries []parsers.Entry, ok, stored, isBroken bool) {
	generation := f.generation.Load()
	start := time.Now()
	raw, mlsd, err := s.list(ctx, dir)
	if err != nil {
		return nil, false, false, broken(err)
	}
	f.listCost.observe(time.Since(start))
	f.mlsd.Store(mlsd)
	entries, err = parsers.ParseListing(raw, f.parserFor(mlsd), f.clock())
	if err != nil || !mlsd && mayListAFile(dir, entries) {
		return nil, false, false, false
	}
	// An empty listing needs no check here: the listing of dir's parent
	// just showed dir as a directory.
	return entries, true, f.storeListing(dir, entries, generation), false
}

// mayListAFile reports whether a LIST of dir that gave these entries may
// be the listing of a file named dir.
func mayListAFile(dir string, entries []parsers.Entry) bool {
	if len(entries) != 1 || entries[0].IsDir() {
		return false
	}
	_, name := splitPath(dir)
	return entries[0].Name == name
}

// storeListing caches the listing of dir unless a change of the Fs
// happened since generation was read: the listing may predate it. The
// check and the store are one step for changed, which counts a change
// and invalidates in one step too.
func (f *Fs) storeListing(dir string, entries []parsers.Entry, generation uint64) bool {
	f.changeMu.Lock()
	defer f.changeMu.Unlock()
	if f.generation.Load() != generation {
		return false
	}
	f.cache.PutDir(dir, entries)
	return true
}

// costMeter keeps a moving average of a duration.
type costMeter struct{ ns atomic.Int64 }

// observe adds d to the average, with a weight of 1/4.
func (m *costMeter) observe(d time.Duration) {
	old := m.ns.Load()
	if old == 0 {
		m.ns.Store(int64(d))
		return
	}
	m.ns.Store(old + (int64(d)-old)/4) // a lost update between observers costs nothing
}

// get returns the average, zero before the first observation.
func (m *costMeter) get() time.Duration { return time.Duration(m.ns.Load()) }
