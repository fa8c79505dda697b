package ftpfs_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// put writes files through the Fs itself (a name ending in "/" is a
// directory).
func put(t *testing.T, fsys afero.Fs, files map[string]string) {
	t.Helper()
	for name, content := range files {
		dir := name
		if !strings.HasSuffix(name, "/") {
			dir = name[:strings.LastIndexByte("/"+name, '/')]
		}
		if dir != "" {
			if err := fsys.MkdirAll(dir, 0o755); err != nil {
				t.Fatalf("MkdirAll(%q): %v", dir, err)
			}
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
			t.Fatalf("WriteFile(%q): %v", name, err)
		}
	}
}

// testTree is the tree fstest.TestFS checks (suiteTestFS).
var testTree = map[string]string{
	"hello.txt":               "hello, world\n",
	"empty":                   "",
	"dir/nested/deep.txt":     "deep",
	"dir/a b c.txt":           "spaces",
	"dir/ leading":            "lead",
	"dir/trailing ":           "trail",
	"unicode/日本語.txt":         "ニホンゴ",
	"unicode/émoji 🎉":         "party",
	"emptydir/":               "",
	"dir/nested/another/x.md": "# x",
}

// suiteTestFS: fstest.TestFS over the io/fs view of testTree.
func suiteTestFS(t *testing.T, s server) {
	fsys := s.fresh(t)
	tree := map[string]string{}
	var expected []string
	for name, content := range testTree {
		if s.quirks.renamesNames && strings.HasSuffix(name, " ") {
			continue // stored as "trailing_": see the README's server notes
		}
		tree[name] = content
		if !strings.HasSuffix(name, "/") {
			expected = append(expected, name)
		}
	}
	put(t, fsys, tree)
	if err := fstest.TestFS(fsys.IOFS(), expected...); err != nil {
		t.Fatal(err)
	}
}

func suiteReadWrite(t *testing.T, s server) {
	fsys := s.fresh(t)
	big := make([]byte, 3<<20+17)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	if err := afero.WriteFile(fsys, "big.bin", big, 0o644); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	got, err := afero.ReadFile(fsys, "big.bin")
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("ReadFile = %d bytes, %v; want the %d bytes written", len(got), err, len(big))
	}
	info, err := fsys.Stat("big.bin")
	if err != nil || info.Size() != int64(len(big)) {
		t.Fatalf("Stat = %v, %v", info, err)
	}
	f, err := fsys.Open("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	part := make([]byte, 10)
	if n, err := f.ReadAt(part, 1<<20); err != nil || !bytes.Equal(part[:n], big[1<<20:1<<20+10]) {
		t.Errorf("ReadAt(10, 1 MiB) = %x, %v", part[:n], err)
	}
	if _, err := f.Seek(3<<20, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	tail, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(tail, big[3<<20:]) {
		t.Errorf("ReadAll after Seek = %d bytes, %v", len(tail), err)
	}
	// Close in the middle of a transfer; the Fs stays usable.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(part); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close mid-transfer: %v", err)
	}
	if _, err := fsys.Stat("big.bin"); err != nil {
		t.Errorf("Stat after an early Close: %v", err)
	}

	a, err := fsys.OpenFile("log.txt", os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Write([]byte("one\n")); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("append to a new file: %v", err)
	}
	a, err = fsys.OpenFile("log.txt", os.O_WRONLY|os.O_APPEND, 0)
	if s.quirks.noAppend {
		// The refusal is the server's policy: no retry can change it.
		var reply *ftpfs.ReplyError
		if !errors.As(err, &reply) || reply.Code != 451 || reply.Command != "APPE" || !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("append to an existing file on a server that refuses it = %v; want the server's 451 for APPE, matching errors.ErrUnsupported, at open", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	_, werr := a.Write([]byte("two\n"))
	if err := errors.Join(werr, a.Close()); err != nil {
		t.Fatalf("append: %v", err)
	}
	got, err = afero.ReadFile(fsys, "log.txt")
	if err != nil || string(got) != "one\ntwo\n" {
		t.Errorf("after two appends: %q, %v", got, err)
	}
}

// suiteMissingBase: an Fs whose base directory does not exist yet says
// so (Stat of "." and writes fail with fs.ErrNotExist), and MkdirAll(".")
// makes it, parents included, after which the Fs works.
func suiteMissingBase(t *testing.T, s server) {
	fsys := s.fresh(t)
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	// fresh's Fs has the new directory as its base: go one level down.
	base := u.JoinPath(path.Base(strings.TrimSuffix(fsys.Name(), "/")), "not", "yet")
	opts := []ftpfs.Option{}
	if s.tls != nil {
		opts = append(opts, ftpfs.WithTLSConfig(s.tls))
	}
	missing, err := ftpfs.Dial(t.Context(), base.String(), opts...)
	if err != nil {
		t.Fatalf("Dial of a missing base = %v; want an Fs that says the base is missing", err)
	}
	defer missing.Close()
	if _, err := missing.Stat("."); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf(`Stat(".") of a missing base = %v, want fs.ErrNotExist`, err)
	}
	if err := afero.WriteFile(missing, "f.txt", []byte("x"), 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("WriteFile into a missing base = %v, want fs.ErrNotExist", err)
	}
	if err := missing.MkdirAll(".", 0o755); err != nil {
		t.Fatalf(`MkdirAll(".") of a missing base = %v`, err)
	}
	if info, err := missing.Stat("."); err != nil || !info.IsDir() {
		t.Errorf(`Stat(".") after MkdirAll = %v, %v; want a directory`, info, err)
	}
	if err := afero.WriteFile(missing, "f.txt", []byte("x"), 0o644); err != nil {
		t.Errorf("WriteFile after MkdirAll = %v", err)
	}
	if data, err := afero.ReadFile(fsys, "not/yet/f.txt"); err != nil || string(data) != "x" {
		t.Errorf("the file seen from the parent's Fs = %q, %v", data, err)
	}
}

// suiteOSIsNotExist: os.IsNotExist, which afero's helpers use, sees no
// further than the *fs.PathError: a missing name, in a missing directory
// too, is bare fs.ErrNotExist there.
func suiteOSIsNotExist(t *testing.T, s server) {
	fsys := s.fresh(t)
	if err := fsys.Mkdir("dir", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"nope", "dir/nope", "nodir/nope", "nodir/deeper/nope"} {
		if _, err := fsys.Stat(name); !os.IsNotExist(err) {
			t.Errorf("os.IsNotExist(Stat(%q)) = false for %v", name, err)
		}
		if ok, err := afero.Exists(fsys, name); ok || err != nil {
			t.Errorf("afero.Exists(%q) = %v, %v; want false, nil", name, ok, err)
		}
	}
}

// suiteEmptyUploads: an empty file made by Create, by OpenFile with
// O_APPEND|O_CREATE, and by an append of nothing, is there and empty
// (over TLS the data connection of an empty upload still needs its
// handshake, which the client library makes for STOR only).
func suiteEmptyUploads(t *testing.T, s server) {
	fsys := s.fresh(t)
	for _, flag := range []int{os.O_WRONLY | os.O_CREATE | os.O_TRUNC, os.O_WRONLY | os.O_CREATE | os.O_APPEND} {
		name := fmt.Sprintf("empty-%x", flag)
		f, err := fsys.OpenFile(name, flag, 0o644)
		if err != nil {
			t.Fatalf("OpenFile(%s, %#x): %v", name, flag, err)
		}
		if err := f.Close(); err != nil {
			t.Errorf("Close of an empty upload (%#x): %v", flag, err)
		}
		if info, err := fsys.Stat(name); err != nil || info.Size() != 0 {
			t.Errorf("Stat(%s) = %v, %v; want an empty file", name, info, err)
		}
	}
}
