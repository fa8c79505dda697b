package cache_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

// TestConcurrent runs every operation from many goroutines at once over a
// small tree, so that they collide on the same paths; run it with -race.
// Afterwards the cache's internal views must still agree.
func TestConcurrent(t *testing.T) {
	clk := newClock()
	c := cache.New(cache.Options{MaxEntries: 64, MaxAge: time.Second, Now: clk.Now})
	paths := make([]string, 0, 64)
	for _, d := range []string{"/", "/a", "/a/b", "/ab", "/c"} {
		for i := range 12 {
			paths = append(paths, fmt.Sprintf("%s/f%d", d, i))
		}
	}
	dirs := []string{"/", "/a", "/a/b", "/ab", "/c", "/nowhere"}
	listing := []parsers.Entry{file("f1", 1), file("f2", 2), dir("b"), file("f3", 3)}

	const goroutines, ops = 16, 2000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range ops {
				p := paths[r.IntN(len(paths))]
				d := dirs[r.IntN(len(dirs))]
				switch r.IntN(12) {
				case 0, 1, 2:
					c.Get(p)
				case 3:
					c.Put(p, file("", r.Int64N(100)))
				case 4:
					c.Put(d, dir(""))
				case 5:
					c.PutDir(d, listing[:r.IntN(len(listing)+1)])
				case 6:
					if ls, ok := c.Dir(d); ok && len(ls) > 0 {
						ls[0].Size = -1 // our copy: must not race with the cache
					}
				case 7:
					c.Invalidate(p)
				case 8:
					c.InvalidateTree(d)
				case 9:
					c.Resize(8 + r.IntN(64))
				case 10:
					clk.Advance(time.Duration(r.IntN(100)) * time.Millisecond)
				case 11:
					switch r.IntN(8) {
					case 0:
						c.Disable()
					case 1:
						c.SetMaxAge(time.Duration(r.IntN(3)) * time.Second)
					case 2:
						c.Clear()
					default:
						c.Enable()
					}
					_ = c.Stats()
					_ = c.Len()
					if err := c.CheckInvariants(); err != nil {
						t.Error(err) // Error, not Fatal: this is not the test goroutine
						return
					}
				}
			}
		})
	}
	wg.Wait()
	check(t, c)
	s := c.Stats()
	if s.Hits+s.NegativeHits+s.Misses == 0 {
		t.Errorf("Stats() = %+v: no lookups counted", s)
	}
}
