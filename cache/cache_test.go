package cache_test

import (
	"testing"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

func TestGetPut(t *testing.T) {
	c := cache.New(cache.Options{})
	c.Put("/pub/a.txt", file("whatever", 10))
	c.Put("docs/b.txt", file("b.txt", 20))
	c.Put("/", dir("/"))
	tests := []struct{ path, want string }{
		{"/pub/a.txt", "hit a.txt 10"},   // Name is the last element of the key
		{"pub/a.txt", "hit a.txt 10"},    // relative keys are made absolute
		{"/pub//a.txt/", "hit a.txt 10"}, // and cleaned
		{"/x/../pub/./a.txt", "hit a.txt 10"},
		{"/docs/b.txt", "hit b.txt 20"},
		{"/", "hit / 0"}, // the root keeps its name
		{"/pub/other", "miss"},
		{"/pub", "miss"},
	}
	for _, tt := range tests {
		if got := lookup(c, tt.path); got != tt.want {
			t.Errorf("Get(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	check(t, c)
}

func TestPutReplaces(t *testing.T) {
	c := cache.New(cache.Options{})
	c.Put("/a", file("a", 1))
	c.Put("/a", file("a", 2))
	if got, want := lookup(c, "/a"), "hit a 2"; got != want {
		t.Errorf("Get(/a) = %s, want %s", got, want)
	}
	if got, want := c.Len(), 1; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	check(t, c)
}

func TestPutDirServesChildrenAndNegativeLookups(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/pub", []parsers.Entry{file("b", 2), file("a", 1), dir("sub")})
	tests := []struct{ path, want string }{
		{"/pub/a", "hit a 1"},
		{"/pub/b", "hit b 2"},
		{"/pub/sub", "hit sub 0"},
		{"/pub/missing", "not exist"},
		{"/pub/sub/deeper", "miss"}, // only the parent's listing answers
		{"/pub", "miss"},            // a listing is not the directory's own entry
		{"/other/a", "miss"},
	}
	for _, tt := range tests {
		if got := lookup(c, tt.path); got != tt.want {
			t.Errorf("Get(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	check(t, c)
}

func TestRootListing(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/", []parsers.Entry{dir("pub")})
	if got, want := lookup(c, "/pub"), "hit pub 0"; got != want {
		t.Errorf("Get(/pub) = %s, want %s", got, want)
	}
	if got, want := lookup(c, "/etc"), "not exist"; got != want {
		t.Errorf("Get(/etc) = %s, want %s", got, want)
	}
	if got, want := lookup(c, "/"), "miss"; got != want {
		t.Errorf("Get(/) = %s, want %s", got, want)
	}
}

func TestDir(t *testing.T) {
	c := cache.New(cache.Options{})
	if got, ok := c.Dir("/pub"); ok || got != nil {
		t.Errorf("Dir(/pub) on an empty cache = %v, %v, want nil, false", got, ok)
	}
	c.PutDir("/pub/", []parsers.Entry{file("b", 2), file("a", 1)})
	got, ok := c.Dir("pub")
	if !ok || len(got) != 2 || got[0].Name != "a" || got[1].Name != "b" {
		t.Fatalf("Dir(pub) = %v, %v, want [a b] sorted, true", got, ok)
	}
	got[0].Size = 99 // the caller owns the copy
	if again, _ := c.Dir("/pub"); again[0].Size != 1 {
		t.Errorf("Dir(/pub)[0].Size = %d after the caller changed its copy, want 1", again[0].Size)
	}

	c.PutDir("/empty", nil)
	if got, ok := c.Dir("/empty"); !ok || len(got) != 0 {
		t.Errorf("Dir(/empty) = %v, %v, want [], true", got, ok)
	}
	if got, want := lookup(c, "/empty/x"), "not exist"; got != want {
		t.Errorf("Get(/empty/x) = %s, want %s", got, want)
	}
	if got, want := c.Len(), 3+1; got != want {
		t.Errorf("Len() = %d, want %d (1+2 for /pub, 1 for /empty)", got, want)
	}
	check(t, c)
}

func TestPutDirReplacesListing(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/d", []parsers.Entry{file("old", 1), file("keep", 1)})
	c.PutDir("/d", []parsers.Entry{file("keep", 2), file("new", 3)})
	tests := []struct{ path, want string }{
		{"/d/old", "not exist"},
		{"/d/keep", "hit keep 2"},
		{"/d/new", "hit new 3"},
	}
	for _, tt := range tests {
		if got := lookup(c, tt.path); got != tt.want {
			t.Errorf("Get(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	if got, want := c.Len(), 3; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	check(t, c)
}

// Put of a child whose parent's listing is cached updates the listing, so
// the two never disagree.
func TestPutUpdatesParentListing(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/d", []parsers.Entry{file("a", 1), file("c", 3)})
	c.Put("/d/a", file("a", 10)) // replaces
	c.Put("/d/b", file("b", 2))  // joins, in order
	ls, _ := c.Dir("/d")
	var names []string
	for _, e := range ls {
		names = append(names, lookup(c, "/d/"+e.Name))
	}
	want := []string{"hit a 10", "hit b 2", "hit c 3"}
	if len(names) != len(want) {
		t.Fatalf("Dir(/d) has %d entries, want %d", len(names), len(want))
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("Dir(/d)[%d] = %s, want %s", i, names[i], want[i])
		}
	}
	if got, want := c.Len(), 1+3; got != want {
		t.Errorf("Len() = %d, want %d (no separate entries)", got, want)
	}
	check(t, c)
}

// PutDir supersedes separate entries of the directory's children: a child
// the new listing lacks must not come back once the listing is gone.
func TestPutDirSupersedesChildEntries(t *testing.T) {
	c := cache.New(cache.Options{})
	c.Put("/d/gone", file("gone", 1))
	c.Put("/d/kept", file("kept", 1))
	c.Put("/d/sub/deep", file("deep", 1)) // not a direct child: stays
	c.PutDir("/d", []parsers.Entry{file("kept", 2)})
	c.Invalidate("/d/kept") // drops the listing of /d
	tests := []struct{ path, want string }{
		{"/d/gone", "miss"},
		{"/d/kept", "miss"},
		{"/d/sub/deep", "hit deep 1"},
	}
	for _, tt := range tests {
		if got := lookup(c, tt.path); got != tt.want {
			t.Errorf("Get(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	check(t, c)
}

// A listing of a child that the parent's new listing shows as a file, or
// not at all, is dropped; one of a child still a directory stays.
func TestPutDirDropsListingsOfChildrenNoLongerDirs(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/d/now-file", []parsers.Entry{file("x", 1)})
	c.PutDir("/d/gone", []parsers.Entry{file("x", 1)})
	c.PutDir("/d/still", []parsers.Entry{file("x", 1)})
	c.PutDir("/d", []parsers.Entry{file("now-file", 5), dir("still")})
	for _, tt := range []struct {
		dir  string
		want bool
	}{{"/d/now-file", false}, {"/d/gone", false}, {"/d/still", true}} {
		if _, ok := c.Dir(tt.dir); ok != tt.want {
			t.Errorf("Dir(%q) ok = %v, want %v", tt.dir, ok, tt.want)
		}
	}
	check(t, c)
}

// A listing of the parent that does not show the directory as a directory
// is dropped when the directory's own listing arrives.
func TestPutDirDropsContradictingParentListing(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/", []parsers.Entry{file("other", 1)})
	c.PutDir("/d", []parsers.Entry{file("x", 1)})
	if _, ok := c.Dir("/"); ok {
		t.Errorf("Dir(/) ok = true after PutDir(/d) proved it wrong, want false")
	}
	if got, want := lookup(c, "/d"), "miss"; got != want {
		t.Errorf("Get(/d) = %s, want %s", got, want)
	}

	c.PutDir("/", []parsers.Entry{dir("d")})
	c.PutDir("/d", []parsers.Entry{file("y", 1)})
	if _, ok := c.Dir("/"); !ok {
		t.Errorf("Dir(/) ok = false after PutDir(/d) agreed with it, want true")
	}
	check(t, c)
}

// Symbolic links can be listed (FTP servers list through them): a link in
// the parent's listing does not contradict a listing of the link.
func TestListingThroughLink(t *testing.T) {
	link := parsers.Entry{Name: "pub", Type: parsers.TypeLink, LinkTarget: "/srv/ftp"}
	c := cache.New(cache.Options{})
	c.PutDir("/", []parsers.Entry{link})
	c.PutDir("/pub", []parsers.Entry{file("x", 1)})
	c.PutDir("/", []parsers.Entry{link, file("y", 1)})
	c.Put("/pub", link)
	if _, ok := c.Dir("/"); !ok {
		t.Errorf("Dir(/) ok = false, want true")
	}
	if _, ok := c.Dir("/pub"); !ok {
		t.Errorf("Dir(/pub) ok = false, want true")
	}
	if got, want := lookup(c, "/pub/x"), "hit x 1"; got != want {
		t.Errorf("Get(/pub/x) = %s, want %s", got, want)
	}
	check(t, c)
}

// A listing proves its path a directory: a cached entry saying it is a
// file goes.
func TestPutDirDropsContradictingOwnEntry(t *testing.T) {
	c := cache.New(cache.Options{})
	c.Put("/d", file("d", 1))
	c.PutDir("/d", []parsers.Entry{file("x", 1)})
	if got, want := lookup(c, "/d"), "miss"; got != want {
		t.Errorf("Get(/d) = %s, want %s", got, want)
	}
	c.Put("/d", dir("d"))
	c.PutDir("/d", []parsers.Entry{file("y", 1)})
	if got, want := lookup(c, "/d"), "hit d 0"; got != want {
		t.Errorf("Get(/d) = %s, want %s (a directory entry stays)", got, want)
	}
	check(t, c)
}

// Put of a non-directory over a path with a cached listing drops the
// listing: the directory is gone.
func TestPutFileDropsOwnListing(t *testing.T) {
	for _, withParent := range []bool{false, true} {
		c := cache.New(cache.Options{})
		if withParent {
			c.PutDir("/", []parsers.Entry{dir("d")})
		}
		c.PutDir("/d", []parsers.Entry{file("x", 1)})
		c.Put("/d", file("d", 7))
		if _, ok := c.Dir("/d"); ok {
			t.Errorf("parent listed %v: Dir(/d) ok = true after Put of a file, want false", withParent)
		}
		if got, want := lookup(c, "/d"), "hit d 7"; got != want {
			t.Errorf("parent listed %v: Get(/d) = %s, want %s", withParent, got, want)
		}
		check(t, c)
	}
}

func TestPutDirSkipsInvalidNames(t *testing.T) {
	c := cache.New(cache.Options{})
	c.PutDir("/d", []parsers.Entry{{Name: "."}, {Name: ".."}, {Name: ""}, {Name: "a/b"}, file("ok", 1)})
	ls, _ := c.Dir("/d")
	if len(ls) != 1 || ls[0].Name != "ok" {
		t.Errorf("Dir(/d) = %v, want only ok", ls)
	}
	if got, want := lookup(c, "/d/a"), "not exist"; got != want {
		t.Errorf("Get(/d/a) = %s, want %s", got, want)
	}
}

func TestLookupString(t *testing.T) {
	for _, tt := range []struct {
		l    cache.Lookup
		want string
	}{{cache.Miss, "miss"}, {cache.Hit, "hit"}, {cache.NotExist, "not exist"}, {cache.Lookup(9), "miss"}} {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("Lookup(%d).String() = %q, want %q", tt.l, got, tt.want)
		}
	}
}
