package cache_test

import (
	"testing"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

// fill returns a cache holding entries and listings in and around "/a".
func fill() *cache.Cache {
	c := cache.New(cache.Options{})
	c.PutDir("/", []parsers.Entry{dir("a"), dir("ab")})
	c.PutDir("/a", []parsers.Entry{file("f", 1), dir("sub")})
	c.PutDir("/a/sub", []parsers.Entry{file("g", 1)})
	c.Put("/a/sub/deep/h", file("h", 1))
	c.PutDir("/ab", []parsers.Entry{file("x", 1), file("y", 1)})
	c.Put("/abc/z", file("z", 1)) // no listing of "/abc" is cached: a separate entry
	c.Put("/other/o", file("o", 1))
	return c
}

func TestInvalidate(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		gone  []string // Get misses afterwards
		kept  []string // Get still hits
		dirs  []string // Dir still answers
		nodir []string // Dir no longer answers
	}{
		{
			name:  "file in a listed directory",
			path:  "/a/f",
			gone:  []string{"/a/f", "/a/sub"},
			kept:  []string{"/a", "/a/sub/g", "/a/sub/deep/h"},
			dirs:  []string{"/", "/a/sub", "/ab"},
			nodir: []string{"/a"},
		},
		{
			name:  "directory: its own listing goes, paths below stay",
			path:  "/a/sub",
			gone:  []string{"/a/sub/g", "/a/f"},
			kept:  []string{"/a/sub/deep/h", "/a"},
			dirs:  []string{"/"},
			nodir: []string{"/a/sub", "/a"},
		},
		{
			name: "separate entry",
			path: "/a/sub/deep/h",
			gone: []string{"/a/sub/deep/h"},
			kept: []string{"/a/sub/g", "/a/f"},
			dirs: []string{"/a/sub", "/a"},
		},
		{
			name:  "unclean path",
			path:  "a/./f/",
			gone:  []string{"/a/f"},
			nodir: []string{"/a"},
		},
		{
			name:  "root",
			path:  "/",
			kept:  []string{"/a/f", "/ab/y"},
			nodir: []string{"/"},
			gone:  []string{"/a", "/ab"},
		},
		{
			name: "path not cached",
			path: "/nowhere/x",
			kept: []string{"/a/f", "/a", "/other/o"},
			dirs: []string{"/", "/a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fill()
			c.Invalidate(tt.path)
			expect(t, c, tt.gone, tt.kept, tt.dirs, tt.nodir)
		})
	}
}

func TestInvalidateTree(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		gone  []string
		kept  []string
		dirs  []string
		nodir []string
	}{
		{
			name:  "subtree, not its namesakes",
			path:  "/a",
			gone:  []string{"/a", "/a/f", "/a/sub/g", "/a/sub/deep/h"},
			kept:  []string{"/ab/x", "/ab/y", "/abc/z", "/other/o"},
			dirs:  []string{"/ab"},
			nodir: []string{"/", "/a", "/a/sub"},
		},
		{
			name:  "leaf",
			path:  "/a/sub/deep/h",
			gone:  []string{"/a/sub/deep/h"},
			kept:  []string{"/a/sub/g"},
			dirs:  []string{"/a/sub", "/a"},
			nodir: []string{},
		},
		{
			name:  "root clears",
			path:  "/",
			gone:  []string{"/a/f", "/ab/y", "/other/o", "/abc/z", "/a/sub/deep/h"},
			nodir: []string{"/", "/a", "/ab", "/a/sub"},
		},
		{
			name: "relative path",
			path: "ab",
			gone: []string{"/ab/x", "/ab/y", "/ab"},
			kept: []string{"/abc/z", "/a/f"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fill()
			c.InvalidateTree(tt.path)
			expect(t, c, tt.gone, tt.kept, tt.dirs, tt.nodir)
		})
	}
}

func TestClear(t *testing.T) {
	c := fill()
	c.Get("/a/f")
	c.Clear()
	if got, want := c.Len(), 0; got != want {
		t.Errorf("Len() after Clear = %d, want %d", got, want)
	}
	if got, want := lookup(c, "/a/f"), "miss"; got != want {
		t.Errorf("Get(/a/f) after Clear = %s, want %s", got, want)
	}
	if got, want := c.Stats().Hits, uint64(1); got != want {
		t.Errorf("Stats().Hits after Clear = %d, want %d (counters survive)", got, want)
	}
	c.Put("/n", file("n", 1)) // usable after Clear
	if got, want := lookup(c, "/n"), "hit n 1"; got != want {
		t.Errorf("Get(/n) = %s, want %s", got, want)
	}
	check(t, c)
}

// expect checks Get misses for gone and hits for kept, and which listings
// Dir still answers.
func expect(t *testing.T, c *cache.Cache, gone, kept, dirs, nodir []string) {
	t.Helper()
	check(t, c)
	for _, p := range gone {
		if _, l := c.Get(p); l == cache.Hit {
			t.Errorf("Get(%q) = hit, want no hit", p)
		}
	}
	for _, p := range kept {
		if _, l := c.Get(p); l != cache.Hit {
			t.Errorf("Get(%q) = %v, want hit", p, l)
		}
	}
	for _, p := range dirs {
		if _, ok := c.Dir(p); !ok {
			t.Errorf("Dir(%q) ok = false, want true", p)
		}
	}
	for _, p := range nodir {
		if _, ok := c.Dir(p); ok {
			t.Errorf("Dir(%q) ok = true, want false", p)
		}
	}
}
