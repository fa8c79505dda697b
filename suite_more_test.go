package ftpfs_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// suiteBigDir: a directory of 10,000 entries, made on the server's disk,
// read back with one listing.
func suiteBigDir(t *testing.T, s server) {
	if s.tls != nil {
		t.Skip("listings over TLS are covered by the other cases; this one is long")
	}
	fsys, disk := s.freshDir(t)
	if disk == "" {
		t.Skip("the server's disk is not on this machine")
	}
	const n = 10000
	dir := filepath.Join(disk, "big")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("file %05d.txt", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chownLike(t, dir, disk) // so that the FTP user can remove it
	if s.quirks.listCap > 0 {
		infos, err := fsys.IOFS().(fs.ReadDirFS).ReadDir("big")
		var truncated *ftpfs.ListingTruncatedError
		if want := s.quirks.listCap - 2; !errors.As(err, &truncated) || len(infos) != want {
			t.Errorf("ReadDir past the server's cap = %d entries, %v; want %d and a *ListingTruncatedError", len(infos), err, want)
		}
		return
	}
	infos, err := afero.ReadDir(fsys, "big")
	if err != nil || len(infos) != n {
		t.Fatalf("ReadDir of %d entries = %d, %v", n, len(infos), err)
	}
	for i, info := range infos {
		if want := fmt.Sprintf("file %05d.txt", i); info.Name() != want || info.Size() != 1 {
			t.Fatalf("entry %d = %q (%d bytes), want %q (1 byte)", i, info.Name(), info.Size(), want)
		}
	}
	before := fsys.Cache().Stats()
	if _, err := fsys.Stat("big/file 09999.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Stat("big/missing"); err == nil {
		t.Fatal("Stat of a missing name succeeded")
	}
	if after := fsys.Cache().Stats(); after.Misses != before.Misses {
		t.Errorf("Stat in a listed directory missed the cache (%d misses, was %d)", after.Misses, before.Misses)
	}
}

// suiteBigFile: a large file streamed both ways with identical bytes
// (100 MiB on plain connections, 16 MiB over TLS to keep the run short).
func suiteBigFile(t *testing.T, s server) {
	fsys := s.fresh(t)
	size := int64(100 << 20)
	if s.tls != nil {
		size = 16 << 20
	}
	src := &patternReader{left: size}
	w, err := fsys.Create("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	wantSum := sha256.New()
	if _, err := io.Copy(w, io.TeeReader(src, wantSum)); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("upload Close: %v", err)
	}
	r, err := fsys.Open("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	gotSum := sha256.New()
	n, err := io.Copy(gotSum, r)
	if err != nil || n != size || !bytes.Equal(gotSum.Sum(nil), wantSum.Sum(nil)) {
		t.Fatalf("download = %d bytes, %v; want the %d bytes uploaded", n, err, size)
	}
}

// chownLike gives dir, made by this process, the owner of model.
func chownLike(t *testing.T, dir, model string) {
	t.Helper()
	info, err := os.Stat(model)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || os.Geteuid() != 0 {
		return
	}
	if err := os.Chown(dir, int(st.Uid), int(st.Gid)); err != nil {
		t.Fatal(err)
	}
}

// patternReader yields left bytes of a pattern that shows misplaced
// blocks.
type patternReader struct {
	left, off int64
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	for i := range b {
		x := p.off + int64(i)
		b[i] = byte(x ^ x>>8 ^ x>>16)
	}
	p.off += int64(len(b))
	p.left -= int64(len(b))
	return len(b), nil
}

// suiteConcurrent: 16 goroutines on one Fs, each in a directory of its
// own, all reading one shared file.
func suiteConcurrent(t *testing.T, s server) {
	fsys := s.fresh(t)
	shared := strings.Repeat("shared ", 1000)
	put(t, fsys, map[string]string{"shared.txt": shared})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir := fmt.Sprintf("g%02d", g)
			if err := fsys.Mkdir(dir, 0o755); err != nil {
				errs <- err
				return
			}
			for i := 0; i < 5; i++ {
				name := fmt.Sprintf("%s/f%d", dir, i)
				content := fmt.Sprintf("%s says %d", dir, i)
				if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
					errs <- err
					return
				}
				if got, err := afero.ReadFile(fsys, name); err != nil || string(got) != content {
					errs <- fmt.Errorf("ReadFile(%s) = %q, %v", name, got, err)
					return
				}
				if got, err := afero.ReadFile(fsys, "shared.txt"); err != nil || string(got) != shared {
					errs <- fmt.Errorf("ReadFile(shared.txt) = %d bytes, %v", len(got), err)
					return
				}
			}
			if infos, err := afero.ReadDir(fsys, dir); err != nil || len(infos) != 5 {
				errs <- fmt.Errorf("ReadDir(%s) = %d entries, %v", dir, len(infos), err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// suiteNames: names with blanks, unicode and a leading dash round-trip.
func suiteNames(t *testing.T, s server) {
	fsys := s.fresh(t)
	names := []string{" leading", "inner  blanks", "-dash", "ünïcödé 日本語 🎉", "semi;colon=eq", "%41", "[brackets]"}
	if !s.quirks.renamesNames {
		names = append(names, "trailing ")
	}
	for _, name := range names {
		if err := afero.WriteFile(fsys, name, []byte(name), 0o644); err != nil {
			t.Errorf("WriteFile(%q): %v", name, err)
			continue
		}
		if got, err := afero.ReadFile(fsys, name); err != nil || string(got) != name {
			t.Errorf("ReadFile(%q) = %q, %v", name, got, err)
		}
	}
	infos, err := afero.ReadDir(fsys, ".")
	if err != nil || len(infos) != len(names) {
		t.Fatalf("ReadDir = %d entries, %v; want %d", len(infos), err, len(names))
	}
	for _, name := range names {
		if err := fsys.Remove(name); err != nil {
			t.Errorf("Remove(%q): %v", name, err)
		}
	}
}
