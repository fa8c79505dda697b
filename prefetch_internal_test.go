package ftpfs

import (
	"fmt"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// prefetchTree is a base with 3 directories of 2 subdirectories of one
// file each: 9 directories below the base.
func prefetchTree(t *testing.T) afero.Fs {
	t.Helper()
	backing := afero.NewMemMapFs()
	for i := range 3 {
		for j := range 2 {
			name := fmt.Sprintf("/d%d/s%d/f", i, j)
			if err := afero.WriteFile(backing, name, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return backing
}

// mountForPrefetch serves backing and mounts it with three sessions
// open: prefetching uses connections beyond the one a walk lists on.
func mountForPrefetch(t *testing.T, backing afero.Fs, opts ...Option) (*Fs, *ftpfstest.Server) {
	t.Helper()
	srv := ftpfstest.NewServer(backing)
	t.Cleanup(srv.Close)
	f, err := Dial(t.Context(), srv.URL(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	openSessions(t, f, 3)
	srv.ResetCommands()
	return f, srv
}

// openSessions makes f's pool hold n open, idle sessions.
func openSessions(t *testing.T, f *Fs, n int) {
	t.Helper()
	held := make([]*ftpconn.Session, 0, n)
	for range n {
		s, err := f.pool.Get(t.Context(), ftpconn.ListDefault)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, s)
	}
	for _, s := range held {
		f.pool.Put(s, nil)
	}
}

// eventually polls cond until it holds, or fails the test after a while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not true: %s", what)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// settle waits until prefetching has nothing left to do.
func settle(t *testing.T, f *Fs) {
	t.Helper()
	eventually(t, "prefetching is idle", func() bool {
		f.prefetch.mu.Lock()
		defer f.prefetch.mu.Unlock()
		return f.prefetch.running == 0 && len(f.prefetch.inflight) == 0
	})
}

// A ReadDir lists the directory's subdirectories ahead, into the cache;
// the walk that follows finds them there: still one listing per directory.
func TestPrefetchServesWalkFromCache(t *testing.T) {
	f, srv := mountForPrefetch(t, prefetchTree(t))
	if _, err := fs.ReadDir(f.IOFS(), "."); err != nil {
		t.Fatal(err)
	}
	settle(t, f)
	if n := srv.Commands()["MLSD"]; n != 10 {
		t.Errorf("after ReadDir(.) and prefetching: %d listings, want 10 (the base and 9 directories below)", n)
	}
	var names []string
	err := fs.WalkDir(f.IOFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if _, err := d.Info(); err != nil {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(names); n != 16 {
		t.Errorf("walk visited %d names, want 16: %v", n, names)
	}
	if n := srv.Commands()["MLSD"]; n != 10 {
		t.Errorf("after the walk: %d listings, want still 10", n)
	}
}

// fs.WalkDir with prefetching lists each directory once, and SkipDir
// keeps what lies below out of the walk.
func TestPrefetchWalkListsEachDirectoryOnce(t *testing.T) {
	for _, skip := range []string{"", "d1"} {
		t.Run("skip="+skip, func(t *testing.T) {
			f, srv := mountForPrefetch(t, prefetchTree(t))
			var visited []string
			err := fs.WalkDir(f.IOFS(), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				visited = append(visited, p)
				if p == skip {
					return fs.SkipDir
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, f)
			want := 16
			if skip != "" {
				want = 12
			}
			if len(visited) != want {
				t.Errorf("visited %d names, want %d: %v", len(visited), want, visited)
			}
			if n := srv.Commands()["MLSD"]; n > 10 {
				t.Errorf("%d listings, want at most one per directory (10)", n)
			}
		})
	}
}

// blockingFs blocks the server's listing of one directory after it has
// read the directory, until release is closed.
type blockingFs struct {
	afero.Fs
	dir      string
	entered  chan struct{}
	release  chan struct{}
	once     sync.Once // blocks the first listing only
	released sync.Once
}

func (b *blockingFs) unblock() { b.released.Do(func() { close(b.release) }) }

func (b *blockingFs) Open(name string) (afero.File, error) {
	file, err := b.Fs.Open(name)
	if err != nil || name != b.dir {
		return file, err
	}
	return &blockingDir{File: file, fs: b}, nil
}

type blockingDir struct {
	afero.File
	fs *blockingFs
}

func (d *blockingDir) Readdir(n int) ([]os.FileInfo, error) {
	infos, err := d.File.Readdir(n)
	d.fs.once.Do(func() {
		close(d.fs.entered)
		<-d.fs.release
	})
	return infos, err
}

func newBlockingFs(t *testing.T, backing afero.Fs, dir string) *blockingFs {
	b := &blockingFs{Fs: backing, dir: dir, entered: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(b.unblock)
	return b
}

// A change the Fs learns of while a prefetch of the directory is in
// flight keeps that listing, which may predate the change, out of the
// cache.
func TestPrefetchRacingAChangeIsNotCached(t *testing.T) {
	backing := prefetchTree(t)
	block := newBlockingFs(t, backing, "/d0")
	f, _ := mountForPrefetch(t, block)
	if _, err := fs.ReadDir(f.IOFS(), "."); err != nil {
		t.Fatal(err)
	}
	<-block.entered // the server has read /d0 for a prefetch
	if err := afero.WriteFile(backing, "/d0/new", []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.Invalidate("d0"); err != nil {
		t.Fatal(err)
	}
	block.unblock()
	entries, err := fs.ReadDir(f.IOFS(), "d0")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Contains(names, "new") {
		t.Errorf("ReadDir(d0) = %v after the change, want it to show new", names)
	}
}

// Close stops prefetching, even a listing the server holds up, and
// leaves no goroutine behind.
func TestPrefetchStopsOnClose(t *testing.T) {
	before := runtime.NumGoroutine()
	block := newBlockingFs(t, prefetchTree(t), "/d0")
	srv := ftpfstest.NewServer(block)
	f, err := Dial(t.Context(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	openSessions(t, f, 2) // a second session open: prefetching may run
	f.prefetch.read("/", []parsers.Entry{{Name: "d0", Type: parsers.TypeDir}})
	<-block.entered
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	f.prefetch.mu.Lock()
	running := f.prefetch.running
	f.prefetch.mu.Unlock()
	if running != 0 {
		t.Errorf("%d prefetch workers running after Close", running)
	}
	block.unblock()
	srv.Close()
	eventually(t, "no goroutine left", func() bool { return runtime.NumGoroutine() <= before })
}

// WithoutPrefetch lists nothing ahead.
func TestWithoutPrefetch(t *testing.T) {
	f, srv := mountForPrefetch(t, prefetchTree(t), WithoutPrefetch())
	if f.prefetch != nil {
		t.Fatal("WithoutPrefetch: the Fs has a prefetcher")
	}
	if _, err := fs.ReadDir(f.IOFS(), "."); err != nil {
		t.Fatal(err)
	}
	if n := srv.Commands()["MLSD"]; n != 1 {
		t.Errorf("%d listings, want 1", n)
	}
}

// Prefetching follows the walk: what sorts at or before the last
// directory read is dropped, the rest is listed in walk order.
func TestPrefetchQueueFollowsTheWalk(t *testing.T) {
	p := &prefetcher{inflight: map[string]chan struct{}{}, ahead: map[string]aheadListing{}}
	dirs := func(names ...string) []parsers.Entry {
		var out []parsers.Entry
		for _, n := range names {
			out = append(out, parsers.Entry{Name: n, Type: parsers.TypeDir})
		}
		return append(out, parsers.Entry{Name: "file"})
	}
	p.add("/", dirs("b", "a", "a-z"))
	p.add("/a", dirs("y", "x"))
	want := []string{"/a", "/a/x", "/a/y", "/a-z", "/b"}
	if !slices.Equal(p.queue, want) {
		t.Errorf("queue = %v, want %v", p.queue, want)
	}
	p.ahead["/a/x"] = aheadListing{entries: 3}
	p.aheadN = 3
	p.mu.Lock()
	p.closed = true // start nothing
	p.mu.Unlock()
	p.passed("/a/y")
	p.closed = false
	if want := []string{"/a-z", "/b"}; !slices.Equal(p.queue, want) {
		t.Errorf("queue after passing /a/y = %v, want %v", p.queue, want)
	}
	if len(p.ahead) != 0 || p.aheadN != 0 {
		t.Errorf("ahead after passing /a/y = %v (%d entries), want none", p.ahead, p.aheadN)
	}
	p.add("/a", dirs("x", "z"))
	if want := []string{"/a/z", "/a-z", "/b"}; !slices.Equal(p.queue, want) {
		t.Errorf("queue after adding /a's again = %v, want %v", p.queue, want)
	}
}

func TestWalkCompare(t *testing.T) {
	ordered := []string{"/", "/a", "/a/b", "/a/b/c", "/a/c", "/a b", "/a-z", "/a.txt", "/ab", "/b"}
	for i := range ordered {
		for j := range ordered {
			got := walkCompare(ordered[i], ordered[j])
			if (got < 0) != (i < j) || (got == 0) != (i == j) {
				t.Errorf("walkCompare(%q, %q) = %d, want the sign of %d", ordered[i], ordered[j], got, i-j)
			}
		}
	}
}
