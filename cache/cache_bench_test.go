package cache_test

import (
	"fmt"
	"testing"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

// full returns a cache at its default bound of 5,000 slots: 50 directories
// /dNN, each with a cached listing of 49 files (50 slots each, 2,500 in
// all), plus 2,500 separate entries /eNN/fNN, and the keys of both kinds.
func full(b *testing.B) (c *cache.Cache, listed, separate []string) {
	c = cache.New(cache.Options{})
	for d := range 50 {
		dir := fmt.Sprintf("/d%02d", d)
		entries := make([]parsers.Entry, 49)
		for f := range entries {
			entries[f] = parsers.Entry{Name: fmt.Sprintf("f%02d", f), Size: int64(f)}
			listed = append(listed, fmt.Sprintf("%s/f%02d", dir, f))
		}
		c.PutDir(dir, entries)
	}
	for d := range 50 {
		for f := range 50 {
			p := fmt.Sprintf("/e%02d/f%02d", d, f)
			c.Put(p, parsers.Entry{Size: int64(f)})
			separate = append(separate, p)
		}
	}
	if got := c.Len(); got != cache.DefaultMaxEntries {
		b.Fatalf("Len() = %d, want %d", got, cache.DefaultMaxEntries)
	}
	return c, listed, separate
}

// BenchmarkGetHit looks up separate entries ("entry"), children served
// from their parent's listing ("listing"), and separate entries with no
// max age, which spares the clock read ("entry-noexpiry").
func BenchmarkGetHit(b *testing.B) {
	c, listed, separate := full(b)
	for _, bb := range []struct {
		name  string
		paths []string
	}{{"entry", separate}, {"listing", listed}, {"entry-noexpiry", separate}} {
		b.Run(bb.name, func(b *testing.B) {
			if bb.name == "entry-noexpiry" {
				c.SetMaxAge(0) // no clock read per lookup
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, l := c.Get(bb.paths[i%len(bb.paths)]); l != cache.Hit {
					b.Fatalf("Get(%q) = %v, want hit", bb.paths[i%len(bb.paths)], l)
				}
				i++
			}
		})
	}
}

func BenchmarkGetNotExist(b *testing.B) {
	c, _, _ := full(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, l := c.Get("/d17/missing"); l != cache.NotExist {
			b.Fatalf("Get(/d17/missing) = %v, want not exist", l)
		}
	}
}

func BenchmarkGetMiss(b *testing.B) {
	c, _, _ := full(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, l := c.Get("/nowhere/file"); l != cache.Miss {
			b.Fatalf("Get(/nowhere/file) = %v, want miss", l)
		}
	}
}

// BenchmarkPut replaces existing separate entries (no eviction) and, in
// "evict", adds new ones to a full cache, each evicting the oldest.
func BenchmarkPut(b *testing.B) {
	b.Run("replace", func(b *testing.B) {
		c, _, separate := full(b)
		e := parsers.Entry{Size: 1}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.Put(separate[i%len(separate)], e)
			i++
		}
	})
	b.Run("evict", func(b *testing.B) {
		c, _, _ := full(b)
		keys := make([]string, 10000)
		for i := range keys {
			keys[i] = fmt.Sprintf("/new/f%05d", i)
		}
		e := parsers.Entry{Size: 1}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.Put(keys[i%len(keys)], e)
			i++
		}
	})
	b.Run("into-listing", func(b *testing.B) {
		c, listed, _ := full(b)
		e := parsers.Entry{Size: 1}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.Put(listed[i%len(listed)], e)
			i++
		}
	})
}

// BenchmarkInvalidateTree runs on a cache of 5,000 separate entries (100
// directories of 50 files), the most paths a full cache can hold.
// "absent" invalidates a path with nothing below it, which still scans all
// 5,000 paths. "subtree" removes a 50-entry directory per call, a
// different one each time; every tenth call the removed directories are
// put back with the timer stopped, so the cache holds 4,550 to 5,000 paths
// and stopping the timer (which stops the world to read memory
// statistics) costs little per call.
func BenchmarkInvalidateTree(b *testing.B) {
	c := cache.New(cache.Options{})
	e := parsers.Entry{Size: 1}
	put := func(d int) {
		for f := range 50 {
			c.Put(fmt.Sprintf("/d%03d/f%02d", d, f), e)
		}
	}
	for d := range 100 {
		put(d)
	}
	if got := c.Len(); got != cache.DefaultMaxEntries {
		b.Fatalf("Len() = %d, want %d", got, cache.DefaultMaxEntries)
	}
	dirs := make([]string, 100)
	for d := range dirs {
		dirs[d] = fmt.Sprintf("/d%03d", d)
	}
	b.Run("absent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.InvalidateTree("/d00")
		}
	})
	b.Run("subtree", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.InvalidateTree(dirs[i%100])
			i++
			if i%10 == 0 {
				b.StopTimer()
				for d := i - 10; d < i; d++ {
					put(d % 100)
				}
				b.StartTimer()
			}
		}
	})
}
