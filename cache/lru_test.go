package cache_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

func TestEvictionOrder(t *testing.T) {
	tests := []struct {
		name    string
		ops     func(c *cache.Cache)
		present []string // Get hits, in any order
		evicted []string // Get misses
	}{
		{
			name: "oldest out first",
			ops: func(c *cache.Cache) {
				for _, p := range []string{"/a", "/b", "/c", "/d"} {
					c.Put(p, file("", 1))
				}
			},
			present: []string{"/b", "/c", "/d"},
			evicted: []string{"/a"},
		},
		{
			name: "Get is a use",
			ops: func(c *cache.Cache) {
				c.Put("/a", file("", 1))
				c.Put("/b", file("", 1))
				c.Put("/c", file("", 1))
				c.Get("/a")
				c.Put("/d", file("", 1))
			},
			present: []string{"/a", "/c", "/d"},
			evicted: []string{"/b"},
		},
		{
			name: "Put again is a use",
			ops: func(c *cache.Cache) {
				c.Put("/a", file("", 1))
				c.Put("/b", file("", 1))
				c.Put("/c", file("", 1))
				c.Put("/a", file("", 2))
				c.Put("/d", file("", 1))
			},
			present: []string{"/a", "/c", "/d"},
			evicted: []string{"/b"},
		},
		{
			name: "a child hit is a use of the parent's listing",
			ops: func(c *cache.Cache) {
				c.PutDir("/d", []parsers.Entry{file("x", 1)}) // 2 slots
				c.Put("/a", file("", 1))
				c.Get("/d/x")
				c.Put("/b", file("", 1))
			},
			present: []string{"/d/x", "/b"},
			evicted: []string{"/a"},
		},
		{
			name: "Dir is a use",
			ops: func(c *cache.Cache) {
				c.PutDir("/d", nil) // 1 slot
				c.Put("/a", file("", 1))
				c.Put("/b", file("", 1))
				c.Dir("/d")
				c.Put("/c", file("", 1))
			},
			present: []string{"/b", "/c"},
			evicted: []string{"/a"},
		},
		{
			name: "a listing leaves whole",
			ops: func(c *cache.Cache) {
				c.PutDir("/d", []parsers.Entry{file("x", 1), file("y", 1)}) // 3 slots
				c.Put("/a", file("", 1))
			},
			present: []string{"/a"},
			evicted: []string{"/d/x", "/d/y"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cache.New(cache.Options{MaxEntries: 3})
			tt.ops(c)
			for _, p := range tt.present {
				if _, l := c.Get(p); l != cache.Hit {
					t.Errorf("Get(%q) = %v, want hit", p, l)
				}
			}
			for _, p := range tt.evicted {
				if _, l := c.Get(p); l != cache.Miss {
					t.Errorf("Get(%q) = %v, want miss", p, l)
				}
			}
			check(t, c)
		})
	}
}

func TestLRUOrder(t *testing.T) {
	c := cache.New(cache.Options{})
	for _, p := range []string{"/a", "/b", "/c"} {
		c.Put(p, file("", 1))
	}
	c.Get("/a")
	if got, want := c.LRUKeys(), []string{"/a", "/c", "/b"}; !slices.Equal(got, want) {
		t.Errorf("LRU order = %v, want %v", got, want)
	}
}

func TestEvictionCounter(t *testing.T) {
	c := cache.New(cache.Options{MaxEntries: 10})
	for i := range 25 {
		c.Put(fmt.Sprintf("/f%d", i), file("", 1))
	}
	if got, want := c.Stats().Evictions, uint64(15); got != want {
		t.Errorf("Stats().Evictions = %d, want %d", got, want)
	}
	if got, want := c.Len(), 10; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	check(t, c)
}

func TestListingLargerThanBound(t *testing.T) {
	c := cache.New(cache.Options{MaxEntries: 3})
	c.Put("/keep", file("", 1))
	c.PutDir("/d", []parsers.Entry{file("old", 1)})
	c.PutDir("/d", []parsers.Entry{file("a", 1), file("b", 1), file("c", 1)}) // 4 slots
	// The listing is kept (else every Stat in /d would list /d again),
	// and everything else makes room for it.
	if _, ok := c.Dir("/d"); !ok {
		t.Errorf("Dir(/d) ok = false for a listing larger than the bound, want true")
	}
	if got, want := lookup(c, "/d/old"), "not exist"; got != want {
		t.Errorf("Get(/d/old) = %s, want %s (the old listing is superseded)", got, want)
	}
	if got, want := lookup(c, "/keep"), "miss"; got != want {
		t.Errorf("Get(/keep) = %s, want %s (evicted to make room)", got, want)
	}
	if got, want := c.Stats().Evictions, uint64(1); got != want {
		t.Errorf("Stats().Evictions = %d, want %d", got, want)
	}
	check(t, c)
}

// A Put that grows a cached listing past the bound evicts the rest; the
// listing, most recent, stays.
func TestPutGrowsListingPastBound(t *testing.T) {
	c := cache.New(cache.Options{MaxEntries: 3})
	c.Put("/other", file("", 1))
	c.PutDir("/d", []parsers.Entry{file("a", 1), file("b", 1)})
	c.Put("/d/c", file("c", 1))
	if list, ok := c.Dir("/d"); !ok || len(list) != 3 {
		t.Errorf("Dir(/d) = %d entries, %v; want the 3 entries of the grown listing", len(list), ok)
	}
	if got, want := lookup(c, "/other"), "miss"; got != want {
		t.Errorf("Get(/other) = %s, want %s", got, want)
	}
	check(t, c)
}

func TestResize(t *testing.T) {
	c := cache.New(cache.Options{MaxEntries: 10})
	for i := range 10 {
		c.Put(fmt.Sprintf("/f%d", i), file("", 1))
	}
	c.Get("/f0")
	c.Resize(3)
	if got, want := c.MaxEntries(), 3; got != want {
		t.Errorf("MaxEntries() = %d, want %d", got, want)
	}
	if got, want := c.LRUKeys(), []string{"/f0", "/f9", "/f8"}; !slices.Equal(got, want) {
		t.Errorf("after Resize(3), cached = %v, want %v", got, want)
	}
	if got, want := c.Stats().Evictions, uint64(7); got != want {
		t.Errorf("Stats().Evictions = %d, want %d", got, want)
	}
	c.Resize(5) // growing evicts nothing
	if got, want := c.Len(), 3; got != want {
		t.Errorf("Len() after Resize(5) = %d, want %d", got, want)
	}
	for _, n := range []int{0, -1} {
		c.Resize(n)
		if got, want := c.MaxEntries(), cache.DefaultMaxEntries; got != want {
			t.Errorf("Resize(%d): MaxEntries() = %d, want %d", n, got, want)
		}
	}
	check(t, c)
}
