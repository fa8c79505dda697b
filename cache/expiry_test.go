package cache_test

import (
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

func TestExpiry(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxAge: time.Minute, Now: clk.Now})
	c.Put("/f", file("f", 1))
	c.PutDir("/d", []parsers.Entry{file("x", 1)})

	clk.Advance(time.Minute - time.Nanosecond)
	tests := []struct{ path, want string }{
		{"/f", "hit f 1"},
		{"/d/x", "hit x 1"},
		{"/d/y", "not exist"},
	}
	for _, tt := range tests {
		if got := lookup(c, tt.path); got != tt.want {
			t.Errorf("just before MaxAge: Get(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	if _, ok := c.Dir("/d"); !ok {
		t.Errorf("just before MaxAge: Dir(/d) ok = false, want true")
	}

	clk.Advance(time.Nanosecond)
	if _, ok := c.Dir("/d"); ok {
		t.Errorf("at MaxAge: Dir(/d) ok = true, want false")
	}
	c.PutDir("/d2", []parsers.Entry{file("x", 1)})
	clk.Advance(time.Minute)
	for _, p := range []string{"/f", "/d/x", "/d/y", "/d2/x", "/d2/y"} {
		if got, want := lookup(c, p), "miss"; got != want {
			t.Errorf("at MaxAge: Get(%q) = %s, want %s", p, got, want)
		}
	}
	if got, want := c.Len(), 0; got != want {
		t.Errorf("Len() after expired lookups = %d, want %d (dropped)", got, want)
	}
	check(t, c)
}

// The age runs from each store: a re-Put restarts it.
func TestExpiryRestartsOnPut(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxAge: time.Minute, Now: clk.Now})
	c.Put("/f", file("f", 1))
	clk.Advance(50 * time.Second)
	c.Put("/f", file("f", 2))
	clk.Advance(50 * time.Second)
	if got, want := lookup(c, "/f"), "hit f 2"; got != want {
		t.Errorf("Get(/f) = %s, want %s", got, want)
	}
}

// Put into an expired listing drops the listing and stores the entry on
// its own; the entry gets a fresh age.
func TestPutIntoExpiredListing(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxAge: time.Minute, Now: clk.Now})
	c.PutDir("/d", []parsers.Entry{file("x", 1)})
	clk.Advance(time.Hour)
	c.Put("/d/y", file("y", 2))
	if got, want := lookup(c, "/d/y"), "hit y 2"; got != want {
		t.Errorf("Get(/d/y) = %s, want %s", got, want)
	}
	if got, want := lookup(c, "/d/x"), "miss"; got != want {
		t.Errorf("Get(/d/x) = %s, want %s", got, want)
	}
	check(t, c)
}

func TestSetMaxAge(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{Now: clk.Now})
	if got, want := c.MaxAge(), cache.DefaultMaxAge; got != want {
		t.Errorf("MaxAge() of a default cache = %v, want %v", got, want)
	}
	c.Put("/f", file("f", 1))
	clk.Advance(cache.DefaultMaxAge)
	if got, want := lookup(c, "/f"), "miss"; got != want {
		t.Errorf("Get(/f) after DefaultMaxAge = %s, want %s", got, want)
	}

	for _, d := range []time.Duration{0, -time.Second} {
		c.SetMaxAge(d)
		if got := c.MaxAge(); got != 0 {
			t.Errorf("SetMaxAge(%v): MaxAge() = %v, want 0", d, got)
		}
		c.Put("/f", file("f", 1))
		clk.Advance(1000 * time.Hour)
		if got, want := lookup(c, "/f"), "hit f 1"; got != want {
			t.Errorf("SetMaxAge(%v): Get(/f) after 1000h = %s, want %s", d, got, want)
		}
	}

	// Shortening the age applies to what is already stored.
	c.SetMaxAge(time.Second)
	if got, want := lookup(c, "/f"), "miss"; got != want {
		t.Errorf("after SetMaxAge(1s): Get(/f) stored 1000h ago = %s, want %s", got, want)
	}
}

func TestOptionsMaxAge(t *testing.T) {
	tests := []struct {
		in, want time.Duration
	}{
		{0, cache.DefaultMaxAge},
		{-1, 0},
		{time.Hour, time.Hour},
	}
	for _, tt := range tests {
		c := cache.New(cache.Options{MaxAge: tt.in})
		if got := c.MaxAge(); got != tt.want {
			t.Errorf("New(Options{MaxAge: %v}).MaxAge() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestOptionsMaxEntries(t *testing.T) {
	tests := []struct{ in, want int }{
		{0, cache.DefaultMaxEntries},
		{-5, cache.DefaultMaxEntries},
		{7, 7},
	}
	for _, tt := range tests {
		c := cache.New(cache.Options{MaxEntries: tt.in})
		if got := c.MaxEntries(); got != tt.want {
			t.Errorf("New(Options{MaxEntries: %d}).MaxEntries() = %d, want %d", tt.in, got, tt.want)
		}
	}
}
