package ftpfs

import (
	"path"
	"strings"
	"testing"
)

// FuzzParseURL: any string gives a target or an error, never a panic, and
// never an error or a redacted URL that shows the password.
func FuzzParseURL(f *testing.F) {
	for _, seed := range []string{
		"ftp://u:p@host:21/dir", "ftpes://u:secret@h/%2Fabs", "ftps://h", "ftp://[::1]:2121/x y",
		"ftp://u:pa%0Ass@h/", "ftp://h/%zz", "http://h/", "ftp://u@h:99999/", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tgt, err := parseURL(raw)
		if err != nil {
			return
		}
		if tgt.password != "" && tgt.password != "anonymous@" && len(tgt.password) >= 4 &&
			strings.Contains(tgt.redacted, tgt.password) && !strings.Contains(tgt.host+tgt.user+tgt.base, tgt.password) {
			t.Errorf("parseURL(%q).redacted = %q shows the password", raw, tgt.redacted)
		}
		if !path.IsAbs(tgt.base) || path.Clean(tgt.base) != tgt.base {
			t.Errorf("parseURL(%q).base = %q, not a clean absolute path", raw, tgt.base)
		}
		if strings.ContainsAny(tgt.user+tgt.password+tgt.base, "\r\n\x00") {
			t.Errorf("parseURL(%q) let CR, LF or NUL through", raw)
		}
	})
}

// FuzzResolve: any name resolves inside the base or is refused; nothing
// that could inject a command reaches the wire.
func FuzzResolve(f *testing.F) {
	for _, seed := range []string{"a/b", "../../etc", "/x/../../y", "a\r\nDELE b", ".", "", " a ", "日本/../x"} {
		f.Add("/srv/base", seed)
	}
	f.Fuzz(func(t *testing.T, base, name string) {
		base = path.Clean("/" + base)
		if strings.ContainsAny(base, "\r\n\x00") {
			return
		}
		fsys := &Fs{core: &core{base: base}}
		p, err := fsys.resolve(name)
		if err != nil {
			return
		}
		if strings.ContainsAny(p, "\r\n\x00") {
			t.Fatalf("resolve(%q) = %q lets CR, LF or NUL through", name, p)
		}
		if p != base && !strings.HasPrefix(p, strings.TrimSuffix(base, "/")+"/") {
			t.Fatalf("resolve(%q) under %q = %q, outside the base", name, base, p)
		}
	})
}
