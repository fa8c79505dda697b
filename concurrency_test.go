package ftpfs_test

// Concurrency: many goroutines on one *ftpfs.Fs. Run with -race. Workers
// never call t.Fatal (only the test goroutine may); they report with
// t.Errorf, and a hang is turned into a failure by ccWait, which waits
// until just before the test binary's own deadline.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

const ccWorkers = 16

// ccShared is the content of the file every worker reads.
var ccShared = bytes.Repeat([]byte("shared\r\n\x00bytes "), 3000) // 45 KB: several reads per transfer

// ccSharedDir is the directory every worker lists.
var ccSharedDir = []string{" lead", "a", "b c", "trail ", "z-last", "日本語"}

// ccSetup fills backing with the shared file and directory.
func ccSetup(t *testing.T, backing afero.Fs) {
	t.Helper()
	files := map[string]string{"shared/common.bin": string(ccShared)}
	for _, name := range ccSharedDir {
		files["shared/dir/"+name] = name
	}
	writeFiles(t, backing, files)
}

// ccContent is what worker w writes in iteration i: different for each,
// with bytes a text-mode transfer would change.
func ccContent(w, i int) []byte {
	return bytes.Repeat(fmt.Appendf(nil, "w%02d-i%02d\r\n\x00", w, i), 1+(w*7+i*13)%300)
}

// ccWait waits for wg, or fails the test just before the test binary's
// deadline (go test -timeout) with what is stuck, instead of letting the
// binary panic. It is not a speed assertion: without -timeout it waits
// for ever, as the binary would.
func ccWait(t *testing.T, what string, done <-chan struct{}) {
	t.Helper()
	deadline, ok := t.Deadline()
	if !ok {
		<-done
		return
	}
	left := time.Until(deadline)
	timer := time.NewTimer(left - min(10*time.Second, left/2))
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("%s: still blocked at the test deadline", what)
	}
}

// ccRun runs work(w) for every worker and waits for all of them.
func ccRun(t *testing.T, what string, workers int, work func(w int)) {
	t.Helper()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	ccWait(t, what, done)
}

// ccWorker is one worker's round of mixed operations in its own
// directory, plus reads of the shared file and directory. It reports with
// t.Errorf and returns at the first failure.
func ccWorker(t *testing.T, fsys afero.Fs, w, iterations int) {
	dir := fmt.Sprintf("w%02d", w)
	errorf := func(format string, args ...any) {
		t.Errorf("worker %d: "+format, append([]any{w}, args...)...)
	}
	if err := fsys.MkdirAll(dir+"/sub/deeper", 0o755); err != nil {
		errorf("MkdirAll(%q) = %v, want nil", dir+"/sub/deeper", err)
		return
	}
	var kept []string // names under dir/sub, sorted at the end
	for i := range iterations {
		name := fmt.Sprintf("%s/f%02d", dir, i)
		data := ccContent(w, i)
		if err := afero.WriteFile(fsys, name, data, 0o644); err != nil {
			errorf("WriteFile(%q) = %v, want nil", name, err)
			return
		}
		more := []byte(fmt.Sprintf("+appended by %d/%d", w, i))
		f, err := fsys.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			errorf("OpenFile(%q, O_APPEND) = %v, want nil", name, err)
			return
		}
		_, werr := f.Write(more)
		if err := errors.Join(werr, f.Close()); err != nil {
			errorf("append to %q = %v, want nil", name, err)
			return
		}
		data = append(data, more...)

		if got, err := afero.ReadFile(fsys, name); err != nil || !bytes.Equal(got, data) {
			errorf("ReadFile(%q) = %d bytes, %v; want %d bytes, nil", name, len(got), err, len(data))
			return
		}
		if fi, err := fsys.Stat(name); err != nil || fi.Size() != int64(len(data)) || fi.IsDir() {
			errorf("Stat(%q) = %v, %v; want a file of %d bytes", name, fi, err, len(data))
			return
		}

		// The shared file: whole, and a part after a Seek.
		if got, err := afero.ReadFile(fsys, "shared/common.bin"); err != nil || !bytes.Equal(got, ccShared) {
			errorf("ReadFile(shared/common.bin) = %d bytes, %v; want %d bytes, nil", len(got), err, len(ccShared))
			return
		}
		if err := ccReadAt(fsys, "shared/common.bin", int64(w*1000+i)); err != nil {
			errorf("%v", err)
			return
		}
		if err := ccReadDirIs(fsys, "shared/dir", ccSharedDir); err != nil {
			errorf("%v", err)
			return
		}

		// Move the file down, so that the cache must forget the old name.
		moved := fmt.Sprintf("%s/sub/g%02d", dir, i)
		if err := fsys.Rename(name, moved); err != nil {
			errorf("Rename(%q, %q) = %v, want nil", name, moved, err)
			return
		}
		if _, err := fsys.Stat(name); !errors.Is(err, fs.ErrNotExist) {
			errorf("Stat(%q) after Rename = %v, want fs.ErrNotExist", name, err)
			return
		}
		if got, err := afero.ReadFile(fsys, moved); err != nil || !bytes.Equal(got, data) {
			errorf("ReadFile(%q) = %d bytes, %v; want %d bytes, nil", moved, len(got), err, len(data))
			return
		}
		kept = append(kept, path.Base(moved))
		if i == iterations/2 {
			if err := fsys.Chmod(moved, 0o600); err != nil {
				errorf("Chmod(%q) = %v, want nil", moved, err)
				return
			}
		}
		if i%2 == 1 { // remove every other one again
			if err := fsys.Remove(moved); err != nil {
				errorf("Remove(%q) = %v, want nil", moved, err)
				return
			}
			kept = kept[:len(kept)-1]
		}
		if err := ccReadDirIs(fsys, dir+"/sub", append(slices.Clone(kept), "deeper")); err != nil {
			errorf("%v", err)
			return
		}
	}
	if err := fsys.RemoveAll(dir); err != nil {
		errorf("RemoveAll(%q) = %v, want nil", dir, err)
		return
	}
	if _, err := fsys.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		errorf("Stat(%q) after RemoveAll = %v, want fs.ErrNotExist", dir, err)
	}
}

// ccReadAt checks a ReadAt of the shared file, then a read after a Seek.
// (In this order: a ReadAt while the file's own transfer is open needs a
// second connection, see TestReadAtWhileReading.)
func ccReadAt(fsys afero.Fs, name string, off int64) error {
	off %= int64(len(ccShared))
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("Open(%q) = %v, want nil", name, err)
	}
	defer f.Close() //nolint:errcheck // read-only
	want := ccShared[off:min(off+100, int64(len(ccShared)))]
	buf := make([]byte, 100)
	n, err := f.ReadAt(buf[:10], off)
	if n != min(10, len(want)) || !bytes.Equal(buf[:n], want[:n]) || (err != nil && err != io.EOF) {
		return fmt.Errorf("ReadAt(10 bytes, %d) of %q = %q, %v; want %q", off, name, buf[:n], err, want[:min(10, len(want))])
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("Seek(%d) = %v, want nil", off, err)
	}
	n, err = io.ReadFull(f, buf)
	if !bytes.Equal(buf[:n], want) || (err != nil && n != len(want)) {
		return fmt.Errorf("Read at %d of %q = %q, %v; want %q", off, name, buf[:n], err, want)
	}
	return nil
}

// ccReadDirIs checks the names of a directory.
func ccReadDirIs(fsys afero.Fs, dir string, want []string) error {
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("ReadDir(%q) = %v, want nil", dir, err)
	}
	var got []string
	for _, fi := range infos {
		got = append(got, fi.Name())
	}
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		return fmt.Errorf("ReadDir(%q) = %q, want %q", dir, got, want)
	}
	return nil
}

// TestConcurrentMixed runs 16 workers on one Fs with the default pool of
// connections, each in a directory of its own, all reading the same file
// and listing the same directory.
func TestConcurrentMixed(t *testing.T) {
	for _, tc := range []struct {
		name       string
		srvOpts    []ftpfstest.Option
		opts       []ftpfs.Option
		iterations int
	}{
		{name: "mlsd", iterations: 6},
		{name: "list", srvOpts: []ftpfstest.Option{ftpfstest.WithoutMLSD()}, iterations: 4},
		// Every Stat lists again: fewer rounds, as many goroutines.
		{name: "nocache", opts: []ftpfs.Option{ftpfs.WithoutCache()}, iterations: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			backing := afero.NewMemMapFs()
			ccSetup(t, backing)
			fsys, _ := serve(t, backing, tc.srvOpts, tc.opts...)
			ccRun(t, "workers", ccWorkers, func(w int) { ccWorker(t, fsys, w, tc.iterations) })
			// Every worker removed its own directory. (A listing of "/"
			// fetched before a removal and cached after it shows here
			// by chance: see TestConcurrentStaleListing.)
			if err := ccReadDirIs(fsys, "/", []string{"shared"}); err != nil {
				onDisk, _ := afero.ReadDir(backing, "/")
				t.Errorf("%v (the server has %d entries: the cache is stale)", err, len(onDisk))
			}
		})
	}
}

// TestConcurrentMaxConns: with WithMaxConns(2), 16 goroutines wait for
// the two connections instead of failing, and the Fs never has more than
// two open: the server refuses a third (WithMaxClients(2)).
func TestConcurrentMaxConns(t *testing.T) {
	backing := afero.NewMemMapFs()
	ccSetup(t, backing)
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithMaxClients(2)}, ftpfs.WithMaxConns(2))
	ccRun(t, "16 workers on 2 connections", ccWorkers, func(w int) {
		dir := fmt.Sprintf("m%02d", w)
		if err := fsys.Mkdir(dir, 0o755); err != nil {
			t.Errorf("worker %d: Mkdir(%q) = %v, want nil", w, dir, err)
			return
		}
		for i := range 3 {
			name := fmt.Sprintf("%s/f%d", dir, i)
			data := ccContent(w, i)
			if err := afero.WriteFile(fsys, name, data, 0o644); err != nil {
				t.Errorf("worker %d: WriteFile(%q) = %v, want nil", w, name, err)
				return
			}
			if got, err := afero.ReadFile(fsys, name); err != nil || !bytes.Equal(got, data) {
				t.Errorf("worker %d: ReadFile(%q) = %d bytes, %v; want %d bytes, nil", w, name, len(got), err, len(data))
				return
			}
			if got, err := afero.ReadFile(fsys, "shared/common.bin"); err != nil || !bytes.Equal(got, ccShared) {
				t.Errorf("worker %d: ReadFile(shared/common.bin) = %d bytes, %v; want %d bytes, nil", w, len(got), err, len(ccShared))
				return
			}
			if err := ccReadDirIs(fsys, "shared/dir", ccSharedDir); err != nil {
				t.Errorf("worker %d: %v", w, err)
				return
			}
		}
		if err := fsys.RemoveAll(dir); err != nil {
			t.Errorf("worker %d: RemoveAll(%q) = %v, want nil", w, dir, err)
		}
	})
}

// TestConcurrentMaxConnsWithChmod: Chmod (SITE CHMOD on a connection of
// its own) must also stay within WithMaxConns, even when the pool keeps
// idle connections: two idle sessions plus the SITE connection make three.
//
// Bug: rawcmd.go withSlot takes a pool token but does not close an idle
// session first, so the Fs opens a third connection and this server
// (WithMaxClients(2), like many real ones) answers 421.
func TestConcurrentMaxConnsWithChmod(t *testing.T) {
	backing := afero.NewMemMapFs()
	ccSetup(t, backing)
	writeFiles(t, backing, map[string]string{"other.bin": string(ccShared)})
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithMaxClients(2)}, ftpfs.WithMaxConns(2))
	// Two transfers at once leave two idle sessions in the pool.
	a, err := fsys.Open("shared/common.bin")
	if err != nil {
		t.Fatal(err)
	}
	b, err := fsys.Open("other.bin")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	for _, f := range []afero.File{a, b} {
		if _, err := f.Read(buf); err != nil {
			t.Fatalf("Read(%s) = %v, want nil", f.Name(), err)
		}
	}
	for _, f := range []afero.File{a, b} {
		if err := f.Close(); err != nil {
			t.Fatalf("Close(%s) = %v, want nil", f.Name(), err)
		}
	}
	if err := fsys.Chmod("other.bin", 0o600); err != nil {
		t.Errorf("Chmod(other.bin, 0600) with 2 idle connections and WithMaxConns(2) = %v, want nil", err)
	}
	// The same from many goroutines at once.
	ccRun(t, "chmod workers", 8, func(w int) {
		if err := fsys.Chmod("other.bin", 0o640); err != nil {
			t.Errorf("worker %d: Chmod(other.bin) = %v, want nil", w, err)
		}
		if _, err := fsys.Stat("shared/common.bin"); err != nil {
			t.Errorf("worker %d: Stat(shared/common.bin) = %v, want nil", w, err)
		}
	})
}

// TestOpenReaderDoesNotBlockStat: a file open mid-transfer holds one of
// two connections; Stat, ReadDir and ReadFile still run on the other,
// and the transfer then goes on where it was.
func TestOpenReaderDoesNotBlockStat(t *testing.T) {
	backing := afero.NewMemMapFs()
	ccSetup(t, backing)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB: more than the socket buffers
	writeFiles(t, backing, map[string]string{"big.bin": string(big)})
	// Without the cache, every Stat goes to the server.
	fsys, srv := serve(t, backing, nil, ftpfs.WithMaxConns(2), ftpfs.WithoutCache())
	f, err := fsys.Open("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() //nolint:errcheck // read-only
	head := make([]byte, 1000)
	if _, err := io.ReadFull(f, head); err != nil {
		t.Fatalf("ReadFull(big.bin, 1000) = %v, want nil", err)
	}
	listings := srv.Commands()["MLSD"]

	done := make(chan struct{})
	var statErr, dirErr, readErr error
	var data []byte
	go func() {
		defer close(done)
		for range 5 {
			if _, err := fsys.Stat("shared/common.bin"); err != nil {
				statErr = err
				return
			}
		}
		dirErr = ccReadDirIs(fsys, "shared/dir", ccSharedDir)
		data, readErr = afero.ReadFile(fsys, "shared/common.bin")
	}()
	ccWait(t, "Stat while a transfer holds one of two connections", done)
	if statErr != nil || dirErr != nil || readErr != nil {
		t.Fatalf("with a transfer open: Stat = %v, ReadDir = %v, ReadFile = %v; want nil, nil, nil", statErr, dirErr, readErr)
	}
	if !bytes.Equal(data, ccShared) {
		t.Errorf("ReadFile(shared/common.bin) = %d bytes, want %d", len(data), len(ccShared))
	}
	if got := srv.Commands()["MLSD"] - listings; got < 5 {
		t.Errorf("MLSD sent %d times during the transfer, want at least 5 (WithoutCache)", got)
	}
	rest, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(append(head, rest...), big) {
		t.Errorf("the rest of big.bin = %d bytes, %v; want %d bytes, nil", len(rest), err, len(big)-len(head))
	}
}

// ccParked waits until done is closed (it returns false) or until some
// goroutine is parked (in select, chan send or receive) with every one of
// frames on its stack (it returns true). Use it only where such a wait
// cannot end: it proves a deadlock without guessing a duration. It reads
// function names of the library, so a rename makes it wait for done, and
// ccWait then catches the hang.
func ccParked(done <-chan struct{}, frames ...string) bool {
	buf := make([]byte, 1<<20)
	for {
		select {
		case <-done:
			return false
		default:
		}
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			header, _, _ := strings.Cut(g, "\n")
			if !strings.Contains(header, "[select") && !strings.Contains(header, "[chan ") {
				continue
			}
			all := true
			for _, f := range frames {
				all = all && strings.Contains(g, f)
			}
			if all {
				return true
			}
		}
		runtime.Gosched()
	}
}

// TestReadAtWhileReading: ReadAt on a file whose own transfer is open
// (Read stopped mid-file) must not wait for a connection that only the
// same file can give back.
//
// Bug: readfile.go ReadAt always takes a second connection from the pool
// (withSession) while the file's stream keeps its own, a hold-and-wait:
// with WithMaxConns(1) one goroutine blocks for ever, and with the
// default of 4, any 4 goroutines doing Read then ReadAt on their own
// files (io.SectionReader, archive/zip) deadlock together. Closing the Fs
// releases it.
func TestReadAtWhileReading(t *testing.T) {
	backing := afero.NewMemMapFs()
	ccSetup(t, backing)
	fsys, _ := serve(t, backing, nil, ftpfs.WithMaxConns(1))
	f, err := fsys.Open("shared/common.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() //nolint:errcheck // read-only
	head := make([]byte, 100)
	if _, err := io.ReadFull(f, head); err != nil {
		t.Fatalf("ReadFull(100 bytes) = %v, want nil", err)
	}
	done := make(chan struct{})
	var n int
	var readAtErr error
	buf := make([]byte, 10)
	go func() {
		defer close(done)
		n, readAtErr = f.ReadAt(buf, 1000)
	}()
	if ccParked(done, "(*File).ReadAt", "(*pool).get") {
		_ = fsys.Close() // lets the ReadAt go, with an error
		<-done
		t.Fatalf("ReadAt(10 bytes, 1000) during a Read with WithMaxConns(1): blocked for ever waiting for a connection held by the same file (after Fs.Close: %d, %v); want %q, nil",
			n, readAtErr, ccShared[1000:1010])
	}
	if readAtErr != nil || !bytes.Equal(buf[:n], ccShared[1000:1010]) {
		t.Errorf("ReadAt(10 bytes, 1000) = %q, %v; want %q, nil", buf[:n], readAtErr, ccShared[1000:1010])
	}
	rest, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(append(head, rest...), ccShared) {
		t.Errorf("the rest after ReadAt = %d bytes, %v; want %d bytes, nil", len(rest), err, len(ccShared)-100)
	}
}

// ccGate is a dialer for WithDialer that, once armed, holds the first
// read of the next data connection until released: the listing is on
// its way (the server wrote it when it got the command), but the client
// has not read it yet.
type ccGate struct {
	control string // the server's control address: other dials are data connections

	mu      sync.Mutex
	armed   bool
	blocked chan struct{} // closed when the held read starts
	release chan struct{} // closed by the test to let it go on
}

func (g *ccGate) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = true
	g.blocked = make(chan struct{})
	g.release = make(chan struct{})
}

func (g *ccGate) dial(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, address)
	if err != nil || address == g.control {
		return c, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.armed {
		return c, nil
	}
	g.armed = false
	return &ccHeldConn{Conn: c, blocked: g.blocked, release: g.release}, nil
}

type ccHeldConn struct {
	net.Conn
	once    sync.Once
	blocked chan struct{}
	release chan struct{}
}

func (c *ccHeldConn) Read(p []byte) (int, error) {
	c.once.Do(func() {
		close(c.blocked)
		<-c.release
	})
	return c.Conn.Read(p)
}

// TestConcurrentStaleListing: a listing that was taken before a Remove
// but arrives after it must not be cached over the Remove's
// invalidation. Goroutine A's Stat lists "/" while "victim" still exists
// and is held before it reads the listing; meanwhile Remove("victim")
// succeeds and invalidates "/"; then A goes on.
//
// Bug: stat.go listDir caches what it fetched (cache.PutDir) whatever
// happened meanwhile, so the stale listing wins and Stat("victim") finds
// a file that Remove deleted, until the entry ages out. TestConcurrentMixed
// shows the same by chance: ReadDir("/") lists directories that every
// worker had removed (RemoveAll, then Stat saying fs.ErrNotExist).
func TestConcurrentStaleListing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		srvOpts []ftpfstest.Option
	}{
		{name: "mlsd"},
		{name: "list", srvOpts: []ftpfstest.Option{ftpfstest.WithoutMLSD()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			backing := afero.NewMemMapFs()
			writeFiles(t, backing, map[string]string{"victim": "v", "other": "o"})
			srv := ftpfstest.NewServer(backing, tc.srvOpts...)
			t.Cleanup(srv.Close)
			gate := &ccGate{control: srv.Addr()}
			fsys, err := ftpfs.Dial(context.Background(), srv.URL(), ftpfs.WithDialer(gate.dial), ftpfs.WithMaxConns(2))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = fsys.Close() })

			gate.arm()
			done := make(chan struct{})
			go func() {
				defer close(done)
				_, _ = fsys.Stat("other") // exists either way; what matters is what it caches
			}()
			select {
			case <-gate.blocked:
			case <-done:
				t.Fatal("Stat(other) listed without a data connection; cannot hold its listing")
			}
			if err := fsys.Remove("victim"); err != nil {
				t.Fatalf("Remove(victim) while another listing is in flight = %v, want nil", err)
			}
			close(gate.release)
			ccWait(t, "Stat(other)", done)

			if ok, _ := afero.Exists(backing, "/victim"); ok {
				t.Fatal("the server still has victim after Remove")
			}
			if fi, err := fsys.Stat("victim"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat(victim) after Remove(victim) = %v, %v; want fs.ErrNotExist (a listing older than the Remove was cached after it)", fi, err)
			}
			if err := ccReadDirIs(fsys, "/", []string{"other"}); err != nil {
				t.Errorf("after Remove(victim): %v", err)
			}
		})
	}
}
