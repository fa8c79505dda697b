package cache_test

import (
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

// TestComplete: the mark of MarkComplete goes with the listing it was put
// on: a new listing, a patch by Put, invalidation, expiry and Clear drop
// it; without a listing, or with the cache disabled, there is nothing to
// mark.
func TestComplete(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxAge: time.Minute, Now: clk.Now})
	listing := []parsers.Entry{file("x", 1)}
	marked := func(what string, want bool) {
		t.Helper()
		if got := c.Complete("/d"); got != want {
			t.Errorf("%s: Complete(/d) = %v, want %v", what, got, want)
		}
		check(t, c)
	}
	c.MarkComplete("/d")
	marked("no listing to mark", false)
	c.PutDir("/d", listing)
	marked("a listing, unmarked", false)
	c.MarkComplete("/d")
	marked("marked", true)
	if c.Complete("/d/x") || c.Complete("/e") {
		t.Error("the mark of /d shows on other paths")
	}
	stats := c.Stats()
	c.Complete("/d")
	if c.Stats() != stats {
		t.Error("Complete counted a hit or a miss")
	}

	steps := []struct {
		what   string
		change func()
	}{
		{"a new listing of /d", func() { c.PutDir("/d", listing) }},
		{"an entry patched into it", func() { c.Put("/d/y", file("y", 2)) }},
		{"an invalidation", func() { c.Invalidate("/d") }},
		{"Clear", func() { c.Clear() }},
		{"expiry", func() { clk.Advance(time.Minute) }},
	}
	for _, s := range steps {
		c.PutDir("/d", listing)
		c.MarkComplete("/d")
		s.change()
		marked("after "+s.what, false)
	}

	c.PutDir("/d", listing)
	c.Disable()
	c.MarkComplete("/d")
	marked("disabled", false)
	c.Enable()
	marked("enabled again, never marked", false)
}
