package ftpfs

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		base, name, want string
	}{
		{"/", "", "/"},
		{"/", ".", "/"},
		{"/", "a/b", "/a/b"},
		{"/", "/a/b/", "/a/b"},
		{"/srv", "a", "/srv/a"},
		{"/srv", "/a", "/srv/a"},
		{"/srv", "..", "/srv"},
		{"/srv", "../../etc/passwd", "/srv/etc/passwd"},
		{"/srv", "a/../../b", "/srv/b"},
		{"/srv", "a//b/./c", "/srv/a/b/c"},
		{"/srv", " leading and trailing ", "/srv/ leading and trailing "},
		{"/srv", "日本語/ü", "/srv/日本語/ü"},
		{"/srv", strings.Repeat("d/", 2000) + "f", "/srv/" + strings.Repeat("d/", 2000) + "f"},
	}
	for _, tt := range tests {
		f := &Fs{core: &core{base: tt.base}}
		got, err := f.resolve(tt.name)
		if err != nil || got != tt.want {
			t.Errorf("resolve(%q) under %q = %q, %v; want %q", tt.name, tt.base, got, err, tt.want)
		}
	}
}

func TestResolveRejectsControlCharacters(t *testing.T) {
	f := &Fs{core: &core{base: "/"}}
	for _, name := range []string{"a\r\nDELE b", "a\nb", "a\rb", "a\x00b"} {
		if got, err := f.resolve(name); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("resolve(%q) = %q, %v; want fs.ErrInvalid", name, got, err)
		}
	}
}

func TestSplitPath(t *testing.T) {
	tests := []struct{ in, dir, name string }{
		{"/", "/", ""},
		{"/a", "/", "a"},
		{"/a/b", "/a", "b"},
		{"/a/ b ", "/a", " b "},
	}
	for _, tt := range tests {
		if dir, name := splitPath(tt.in); dir != tt.dir || name != tt.name {
			t.Errorf("splitPath(%q) = %q, %q; want %q, %q", tt.in, dir, name, tt.dir, tt.name)
		}
	}
}
