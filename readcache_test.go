package ftpfs_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/fstest"
	"testing/iotest"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// patterned returns n bytes that differ at every nearby offset.
func patterned(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// fstest.TestFS reads each file a byte at a time backwards with ReadAt;
// with the read cache, three small files cost a few transfers each, not
// one per byte (200,116 RETRs before).
func TestSmallReadsFewTransfers(t *testing.T) {
	t.Parallel()
	backing := afero.NewMemMapFs()
	files := map[string]string{
		"a.txt":     string(patterned(3000)),
		"dir/b.bin": string(patterned(70_000)), // over a block
		"dir/c":     "c",
	}
	writeFiles(t, backing, files)
	fsys, srv := serve(t, backing, nil)
	if err := fstest.TestFS(fsys.IOFS(), "a.txt", "dir/b.bin", "dir/c"); err != nil {
		t.Fatal(err)
	}
	t.Logf("fstest.TestFS: %v", srv.Commands())
	// TestFS opens each file about a dozen times; each open file's
	// backward byte-by-byte ReadAt costs one transfer per block.
	if got := srv.Commands()["RETR"]; got > 60 {
		t.Errorf("fstest.TestFS sent %d RETRs, want at most 60", got)
	}
}

// Small Read, Seek and ReadAt at every kind of offset return what a
// bytes.Reader returns, for sizes around the block size.
func TestSmallReadsMatchContent(t *testing.T) {
	t.Parallel()
	sizes := []int{0, 1, 100, 65535, 65536, 65537, 200_000}
	backing := afero.NewMemMapFs()
	files := map[string]string{}
	for _, n := range sizes {
		files[fmt.Sprintf("f%d", n)] = string(patterned(n))
	}
	writeFiles(t, backing, files)
	fsys, _ := serve(t, backing, nil)
	for _, size := range sizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			content := patterned(size)
			f, err := fsys.Open(fmt.Sprintf("f%d", size))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := iotest.TestReader(f, content); err != nil {
				t.Fatal(err)
			}
			want := bytes.NewReader(content)
			rng := rand.New(rand.NewPCG(uint64(size), 1))
			for i := 0; i < 300; i++ {
				off := int64(rng.IntN(size + 2))
				if size == 0 {
					off = 0 // an empty file lists no size: a read past its end costs a refused RETR
				}
				n := rng.IntN(3000) + 1
				if i%7 == 0 {
					n = rng.IntN(100_000) + 1 // a big one now and then
				}
				got, wantBuf := make([]byte, n), make([]byte, n)
				if i%2 == 0 {
					gn, gerr := f.ReadAt(got, off)
					wn, werr := want.ReadAt(wantBuf, off)
					if gn != wn || (gerr == nil) != (werr == nil) || !bytes.Equal(got[:gn], wantBuf[:wn]) {
						t.Fatalf("ReadAt(%d bytes, %d) = %d, %v; want %d, %v", n, off, gn, gerr, wn, werr)
					}
					continue
				}
				if _, err := f.Seek(off, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				if _, err := want.Seek(off, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				gn, gerr := io.ReadFull(f, got)
				wn, werr := io.ReadFull(want, wantBuf)
				if gn != wn || gerr != werr || !bytes.Equal(got[:gn], wantBuf[:wn]) {
					t.Fatalf("Seek(%d) + ReadFull(%d bytes) = %d, %v; want %d, %v", off, n, gn, gerr, wn, werr)
				}
			}
		})
	}
}

// Small ReadAt calls in parallel share the cache safely (run with -race).
func TestSmallReadAtParallel(t *testing.T) {
	t.Parallel()
	content := patterned(300_000)
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"f": string(content)})
	fsys, _ := serve(t, backing, nil, ftpfs.WithMaxConns(4))
	f, err := fsys.Open("f")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 2))
			buf := make([]byte, 512)
			for i := 0; i < 200; i++ {
				off := int64(rng.IntN(len(content) - len(buf)))
				if n, err := f.ReadAt(buf, off); n != len(buf) || err != nil || !bytes.Equal(buf, content[off:off+int64(len(buf))]) {
					t.Errorf("ReadAt(512, %d) = %d, %v, equal %v", off, n, err, bytes.Equal(buf[:n], content[off:off+int64(n)]))
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkSmallReadAt is the steady state of small reads near each
// other: served from the cache, with no allocation.
func BenchmarkSmallReadAt(b *testing.B) {
	content := patterned(1 << 20)
	fsys := benchFs(b, map[string]string{"f": string(content)})
	f, err := fsys.Open("f")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 100)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		off := int64(i % 60_000)
		i += 37
		if _, err := f.ReadAt(buf, off); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadChunks reads files of 1 and 16 MiB with io.Copy: the
// allocations per file are the same for both (the open, the RETR and its
// data connection), so a read chunk in steady state allocates nothing.
func BenchmarkReadChunks(b *testing.B) {
	for _, mib := range []int{1, 16} {
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			content := patterned(mib << 20)
			fsys := benchFs(b, map[string]string{"f": string(content)})
			b.SetBytes(int64(len(content)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := fsys.Open("f")
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, f); err != nil || n != int64(len(content)) {
					b.Fatalf("read %d, %v", n, err)
				}
				f.Close()
			}
		})
	}
}
