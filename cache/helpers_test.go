package cache_test

import (
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func file(name string, size int64) parsers.Entry {
	return parsers.Entry{Name: name, Type: parsers.TypeFile, Size: size, Mode: 0o644}
}

func dir(name string) parsers.Entry {
	return parsers.Entry{Name: name, Type: parsers.TypeDir, Mode: fs.ModeDir | 0o755}
}

// check fails t if c's internal views disagree.
func check(t *testing.T, c *cache.Cache) {
	t.Helper()
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// lookup returns what Get(p) says, as "hit <name> <size>", "not exist" or
// "miss".
func lookup(c *cache.Cache, p string) string {
	e, l := c.Get(p)
	if l != cache.Hit {
		return l.String()
	}
	return fmt.Sprintf("hit %s %d", e.Name, e.Size)
}
