package cache

import (
	"testing"

	"github.com/ftpfs/ftpfs/parsers"
)

func TestCleanKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{".", "/"},
		{"/", "/"},
		{"a", "/a"},
		{"a/b", "/a/b"},
		{"/a/b/", "/a/b"},
		{"/a/./b", "/a/b"},
		{"/x/../a/b", "/a/b"},
		{"//a//b", "/a/b"},
		{"../..", "/"},
		{"/..", "/"},
	}
	for _, tt := range tests {
		if got := cleanKey(tt.in); got != tt.want {
			t.Errorf("cleanKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanKeyDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = cleanKey("/pub/dir/file.txt") }); n != 0 {
		t.Errorf("cleanKey of a clean path: %v allocs, want 0", n)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		key, dir, name string
		ok             bool
	}{
		{"/", "", "", false},
		{"/a", "/", "a", true},
		{"/a/b", "/a", "b", true},
		{"/a/b/c", "/a/b", "c", true},
	}
	for _, tt := range tests {
		dir, name, ok := split(tt.key)
		if dir != tt.dir || name != tt.name || ok != tt.ok {
			t.Errorf("split(%q) = %q, %q, %v, want %q, %q, %v", tt.key, dir, name, ok, tt.dir, tt.name, tt.ok)
		}
	}
}

func TestUnderAndChildOf(t *testing.T) {
	tests := []struct {
		key, dir string
		under    bool
		child    string // "" when not a direct child
	}{
		{"/a", "/a", false, ""},
		{"/a/b", "/a", true, "b"},
		{"/a/b/c", "/a", true, ""},
		{"/ab", "/a", false, ""},
		{"/ab/c", "/a", false, ""},
		{"/a", "/", true, "a"},
		{"/a/b", "/", true, ""},
		{"/", "/", false, ""},
		{"/", "/a", false, ""},
	}
	for _, tt := range tests {
		if got := under(tt.key, tt.dir); got != tt.under {
			t.Errorf("under(%q, %q) = %v, want %v", tt.key, tt.dir, got, tt.under)
		}
		name, ok := childOf(tt.key, tt.dir)
		if ok != (tt.child != "") || name != tt.child {
			t.Errorf("childOf(%q, %q) = %q, %v, want %q, %v", tt.key, tt.dir, name, ok, tt.child, tt.child != "")
		}
	}
}

func TestMakeListing(t *testing.T) {
	in := []parsers.Entry{
		{Name: "b", Size: 1}, {Name: "."}, {Name: "a"}, {Name: ".."},
		{Name: ""}, {Name: "x/y"}, {Name: "b", Size: 2}, {Name: " c "},
	}
	got := makeListing(in)
	want := []string{" c ", "a", "b"}
	if len(got) != len(want) {
		t.Fatalf("makeListing: %d entries, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.Name != want[i] {
			t.Errorf("makeListing()[%d].Name = %q, want %q", i, e.Name, want[i])
		}
	}
	if got[2].Size != 1 {
		t.Errorf("makeListing kept the duplicate with Size %d, want the first (1)", got[2].Size)
	}
}
