package cache

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// node is everything the cache holds for one path: the path's own entry,
// the listing of the path as a directory, or both. One node is one go-cache
// item, one LRU element and one slot in Cache.nodes.
type node struct {
	key string

	entry    parsers.Entry
	entryAt  time.Time // when entry was stored
	hasEntry bool

	list    []parsers.Entry // sorted by Name, names unique; never shared
	listAt  time.Time       // when list was stored
	hasList bool
	// listComplete: MarkComplete marked list since it was stored or
	// patched.
	listComplete bool

	weight     int   // slots counted against the bound, see cost
	prev, next *node // LRU neighbours
	idx        int   // index in Cache.nodes
}

// cost is the number of slots n takes: one for the entry, one for the
// listing itself (so empty directories are not free) and one per child.
func (n *node) cost() int {
	w := 0
	if n.hasEntry {
		w++
	}
	if n.hasList {
		w += 1 + len(n.list)
	}
	return w
}

// find returns where name is, or would be inserted, in a listing sorted by
// name, and whether it is there.
func find(list []parsers.Entry, name string) (int, bool) {
	return slices.BinarySearchFunc(list, name, func(e parsers.Entry, name string) int {
		return strings.Compare(e.Name, name)
	})
}

// listable reports whether a path with entry e can have a listing: it is
// a directory, or a symbolic link, which may point to one (FTP servers
// list through links, and /pub is often one).
func listable(e *parsers.Entry) bool {
	return e.Type == parsers.TypeDir || e.Type == parsers.TypeLink
}

// listableIn reports whether a sorted listing has a child called name that
// can have a listing.
func listableIn(list []parsers.Entry, name string) bool {
	i, ok := find(list, name)
	return ok && listable(&list[i])
}

// makeListing returns a sorted copy of entries with one entry per name,
// the first listed, leaving out entries whose name cannot be a child.
func makeListing(entries []parsers.Entry) []parsers.Entry {
	out := make([]parsers.Entry, 0, len(entries))
	for _, e := range entries {
		if validName(e.Name) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b parsers.Entry) int { return strings.Compare(a.Name, b.Name) })
	return slices.CompactFunc(out, func(a, b parsers.Entry) bool { return a.Name == b.Name })
}

// validName reports whether name can be the name of a directory's child.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.Contains(name, "/")
}

// cleanKey turns a path into a cache key: absolute and cleaned. It
// allocates only when p is relative or not already clean.
func cleanKey(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	return path.Clean(p)
}

// split splits a key into its parent directory's key and its last
// element. ok is false for the root, which has no parent.
func split(key string) (dir, name string, ok bool) {
	if key == "/" {
		return "", "", false
	}
	i := strings.LastIndexByte(key, '/')
	if i == 0 {
		return "/", key[1:], true
	}
	return key[:i], key[i+1:], true
}

// under reports whether key is strictly below dir. "/ab" is not under
// "/a".
func under(key, dir string) bool {
	if dir == "/" {
		return key != "/"
	}
	if len(key) <= len(dir) || key[len(dir)] != '/' {
		return false
	}
	// Compare from the end: siblings share their parent's prefix, so a
	// path beside dir differs near the end of dir, and the scan in
	// InvalidateTree rejects it after a byte or two.
	for i := len(dir) - 1; i >= 0; i-- {
		if key[i] != dir[i] {
			return false
		}
	}
	return true
}

// childOf reports whether key is directly inside dir, and returns its name.
func childOf(key, dir string) (string, bool) {
	if !under(key, dir) {
		return "", false
	}
	rest := key[len(dir):]
	if dir != "/" {
		rest = rest[1:] // the slash after dir
	}
	if strings.IndexByte(rest, '/') >= 0 {
		return "", false
	}
	return rest, true
}
