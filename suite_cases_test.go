package ftpfs_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
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
	if err != nil {
		t.Fatal(err)
	}
	_, werr := a.Write([]byte("two\n"))
	err = errors.Join(werr, a.Close())
	if s.quirks.noAppend {
		var reply *ftpfs.ReplyError
		if !errors.As(err, &reply) || reply.Code != 451 || reply.Command != "APPE" {
			t.Errorf("append to an existing file on a server that refuses it = %v; want the server's 451 for APPE", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("append: %v", err)
	}
	got, err = afero.ReadFile(fsys, "log.txt")
	if err != nil || string(got) != "one\ntwo\n" {
		t.Errorf("after two appends: %q, %v", got, err)
	}
}
