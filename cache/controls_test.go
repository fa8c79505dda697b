package cache_test

import (
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

func TestDisable(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxAge: time.Minute, Now: clk.Now})
	if !c.Enabled() {
		t.Fatalf("Enabled() of a new cache = false, want true")
	}
	c.Put("/kept", file("kept", 1))
	c.Put("/dropped", file("dropped", 1))
	c.Put("/aging", file("aging", 1))
	c.PutDir("/d", []parsers.Entry{file("x", 1)})

	c.Disable()
	if c.Enabled() {
		t.Errorf("Enabled() after Disable = true, want false")
	}
	// Nothing is served.
	for _, p := range []string{"/kept", "/d/x", "/d/missing"} {
		if got, want := lookup(c, p), "miss"; got != want {
			t.Errorf("disabled: Get(%q) = %s, want %s", p, got, want)
		}
	}
	if _, ok := c.Dir("/d"); ok {
		t.Errorf("disabled: Dir(/d) ok = true, want false")
	}
	// Nothing is stored.
	c.Put("/new", file("new", 1))
	c.PutDir("/newdir", nil)
	c.Put("/kept", file("kept", 2))
	// Invalidation still applies; ages still run.
	c.Invalidate("/dropped")
	clk.Advance(30 * time.Second)
	c.Put("/aging", file("aging", 2)) // ignored: does not restart the age
	clk.Advance(30 * time.Second)

	c.Enable()
	if !c.Enabled() {
		t.Errorf("Enabled() after Enable = false, want true")
	}
	c.SetMaxAge(2 * time.Minute) // so that /kept and /d survive the minute
	tests := []struct{ path, want string }{
		{"/kept", "hit kept 1"}, // stored entries stay
		{"/d/x", "hit x 1"},
		{"/new", "miss"},
		{"/newdir/x", "miss"},
		{"/dropped", "miss"},
		{"/aging", "hit aging 1"},
	}
	for _, tt := range tests {
		if got := lookup(c, tt.path); got != tt.want {
			t.Errorf("re-enabled: Get(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	check(t, c)
}

// Entries that reached their max age while the cache was disabled are not
// served after Enable.
func TestDisabledEntriesExpire(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxAge: time.Minute, Now: clk.Now})
	c.Put("/f", file("f", 1))
	c.Disable()
	clk.Advance(time.Minute)
	c.Enable()
	if got, want := lookup(c, "/f"), "miss"; got != want {
		t.Errorf("Get(/f) = %s, want %s", got, want)
	}
}

func TestStats(t *testing.T) {
	c := cache.New(cache.Options{MaxEntries: 3})
	c.PutDir("/d", []parsers.Entry{file("x", 1)})
	c.Get("/d/x")     // hit
	c.Get("/d/y")     // negative hit
	c.Get("/nowhere") // miss
	c.Dir("/d")       // hit
	c.Dir("/e")       // miss
	c.Put("/a", file("a", 1))
	c.Put("/b", file("b", 1)) // evicts /d
	c.Disable()
	c.Get("/a") // miss while disabled
	c.Dir("/d") // miss while disabled
	want := cache.Stats{Hits: 2, NegativeHits: 1, Misses: 4, Evictions: 1}
	if got := c.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestLen(t *testing.T) {
	c := cache.New(cache.Options{})
	steps := []struct {
		name string
		op   func()
		want int
	}{
		{"empty", func() {}, 0},
		{"Put", func() { c.Put("/f", file("f", 1)) }, 1},
		{"PutDir of 3", func() { c.PutDir("/d", []parsers.Entry{file("a", 1), file("b", 1), file("c", 1)}) }, 5},
		{"entry of a listed dir", func() { c.Put("/d", dir("d")) }, 6},
		{"Put into the listing", func() { c.Put("/d/e", file("e", 1)) }, 7},
		{"Invalidate the child", func() { c.Invalidate("/d/e") }, 2},
		{"Clear", func() { c.Clear() }, 0},
	}
	for _, s := range steps {
		s.op()
		if got := c.Len(); got != s.want {
			t.Errorf("after %s: Len() = %d, want %d", s.name, got, s.want)
		}
		check(t, c)
	}
}
