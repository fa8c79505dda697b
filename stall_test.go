package ftpfs_test

// Stalls (issue "transfers that survive", item 1): a data connection that
// stops moving bytes, of a listing, a download or an upload, plain or
// TLS, must end the call within the Fs's timeout with an error that says
// it stalled; closing the Fs ends a stalled call at once. The plain cases
// stall in a proxy (a real network stall); the TLS cases, which the proxy
// cannot read, stall under the TLS layer of the client, in its dialer.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// stallTimeout is WithTimeout in the stall tests; a stall lasts
// stallFor, far longer.
const (
	stallTimeout = 700 * time.Millisecond
	stallFor     = time.Minute
)

// stallBound is the longest any stalled call may take: the timeout, one
// reconnect and a generous margin for a loaded machine.
const stallBound = stallTimeout + 5*time.Second

// stallingConn is a connection that, once armed, stops moving bytes in
// one direction (its reads, or its writes) until its deadline passes or it
// is closed, as a stalled network looks from the client: the stall
// honours SetDeadline, SetReadDeadline and SetWriteDeadline as a real
// socket would.
type stallingConn struct {
	net.Conn
	armed     func() bool // asked before every read and write
	reads     bool        // stall reads (downloads, listings); else writes
	mu        sync.Mutex
	readDL    time.Time
	writeDL   time.Time
	changed   chan struct{} // closed and replaced when a deadline changes
	closed    chan struct{}
	closeOnce sync.Once
}

func newStallingConn(c net.Conn, reads bool, armed func() bool) *stallingConn {
	return &stallingConn{Conn: c, reads: reads, armed: armed, changed: make(chan struct{}), closed: make(chan struct{})}
}

func (c *stallingConn) setDeadlines(read, write bool, t time.Time) {
	c.mu.Lock()
	if read {
		c.readDL = t
	}
	if write {
		c.writeDL = t
	}
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

func (c *stallingConn) SetDeadline(t time.Time) error {
	c.setDeadlines(true, true, t)
	return c.Conn.SetDeadline(t)
}

func (c *stallingConn) SetReadDeadline(t time.Time) error {
	c.setDeadlines(true, false, t)
	return c.Conn.SetReadDeadline(t)
}

func (c *stallingConn) SetWriteDeadline(t time.Time) error {
	c.setDeadlines(false, true, t)
	return c.Conn.SetWriteDeadline(t)
}

// stall blocks until the deadline of the direction passes (an
// os.ErrDeadlineExceeded) or the connection closes.
func (c *stallingConn) stall(read bool) error {
	for {
		c.mu.Lock()
		dl, changed := c.writeDL, c.changed
		if read {
			dl = c.readDL
		}
		c.mu.Unlock()
		var expired <-chan time.Time
		if !dl.IsZero() {
			t := time.NewTimer(time.Until(dl))
			defer t.Stop()
			expired = t.C
		}
		select {
		case <-expired:
			return fmt.Errorf("stalled: %w", os.ErrDeadlineExceeded)
		case <-c.closed:
			return net.ErrClosed
		case <-changed:
		}
	}
}

func (c *stallingConn) Read(p []byte) (int, error) {
	if c.reads && c.armed() {
		return 0, c.stall(true)
	}
	return c.Conn.Read(p)
}

func (c *stallingConn) Write(p []byte) (int, error) {
	if !c.reads && c.armed() {
		return 0, c.stall(false)
	}
	return c.Conn.Write(p)
}

func (c *stallingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// stallDialer returns a dialer whose data connections (any address but
// control's) stall reads or writes after about after bytes, while
// armed is set.
func stallDialer(control string, reads bool, after int64, armed *atomic.Bool) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
		if err != nil || address == control {
			return conn, err
		}
		var moved atomic.Int64
		counting := &countingConn{Conn: conn, n: &moved}
		return newStallingConn(counting, reads, func() bool { return armed.Load() && moved.Load() >= after }), nil
	}
}

// countingConn counts the bytes that move either way.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// stallCall is one call of the Fs that moves data: what it does, the
// command whose data connection the stall hits, and whether the stall
// hits reads (to the client) or writes.
type stallCall struct {
	name    string
	command string // "MLSD", "LIST", "RETR", "STOR"
	reads   bool
	noMLSD  bool
	run     func(fsys *ftpfs.Fs) error
}

// stallUploadSize is big enough to fill the socket buffers between the
// client and a stalled proxy (several MiB on loopback), so that the
// client's writes block.
const stallUploadSize = 24 << 20

// stallCalls are the calls that the stall tests stall, uploads of
// uploadSize bytes. The tree holds dir/ with files a, b, and big
// (stallBigSize bytes).
func stallCalls(uploadSize int) []stallCall {
	walk := func(fsys *ftpfs.Fs) error {
		return afero.Walk(fsys, ".", func(_ string, _ os.FileInfo, err error) error { return err })
	}
	return []stallCall{
		{name: "ReadDir/MLSD", command: "MLSD", reads: true, run: func(fsys *ftpfs.Fs) error { _, err := afero.ReadDir(fsys, "dir"); return err }},
		{name: "ReadDir/LIST", command: "LIST", reads: true, noMLSD: true, run: func(fsys *ftpfs.Fs) error { _, err := afero.ReadDir(fsys, "dir"); return err }},
		{name: "Stat", command: "MLSD", reads: true, run: func(fsys *ftpfs.Fs) error { _, err := fsys.Stat("dir/a"); return err }},
		// Open itself needs no data connection (MLST); reading the
		// directory it opened lists.
		{name: "Open", command: "MLSD", reads: true, run: func(fsys *ftpfs.Fs) error {
			f, err := fsys.Open("dir")
			if err == nil {
				_, err = f.Readdir(-1)
				_ = f.Close()
			}
			return err
		}},
		{name: "RemoveAll", command: "MLSD", reads: true, run: func(fsys *ftpfs.Fs) error { return fsys.RemoveAll("dir") }},
		{name: "Walk", command: "MLSD", reads: true, run: walk},
		{name: "ReadFile", command: "RETR", reads: true, run: func(fsys *ftpfs.Fs) error { _, err := afero.ReadFile(fsys, "dir/big"); return err }},
		{name: "WriteFile", command: "STOR", run: func(fsys *ftpfs.Fs) error {
			return afero.WriteFile(fsys, "up", make([]byte, uploadSize), 0o644)
		}},
	}
}

const stallBigSize = 3 << 20

func stallTree(t *testing.T) afero.Fs {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"dir/a": "a", "dir/b": "bb", "dir/big": strings.Repeat("x", stallBigSize)})
	return backing
}

// isStalled reports whether err says a data connection stalled.
func isStalled(err error) bool {
	var stalled *ftpfs.StalledError
	return errors.As(err, &stalled) && os.IsTimeout(stalled) && strings.Contains(err.Error(), "stalled")
}

// boundedCall runs op and fails the test if it takes longer than bound.
func boundedCall(t *testing.T, what string, bound time.Duration, op func() error) error {
	t.Helper()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- op() }()
	select {
	case err := <-done:
		return err
	case <-time.After(bound):
	}
	t.Errorf("%s still running after %v: hangs", what, bound)
	select {
	case err := <-done:
		t.Logf("%s ended after %v: %v", what, time.Since(start).Round(time.Millisecond), err)
		return err
	case <-time.After(2 * stallFor):
		t.Fatalf("%s never ended", what)
		return nil
	}
}

// TestStallPlainEndsWithinTimeout: through the proxy, the data connection
// of each call stalls for a minute after a few bytes; the call fails
// within the timeout (plus a margin) with a *StalledError, and the Fs
// works afterwards.
func TestStallPlainEndsWithinTimeout(t *testing.T) {
	for _, c := range stallCalls(stallUploadSize) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opts := []ftpfs.Option{ftpfs.WithTimeout(stallTimeout), ftpfs.WithoutPrefetch()}
			if c.noMLSD {
				opts = append(opts, ftpfs.WithoutMLSD())
			}
			e := rlSetupFs(t, stallTree(t), nil, opts...)
			dir := ftpfstest.ToClient
			if !c.reads {
				dir = ftpfstest.ToServer
			}
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: dir, Command: c.command, After: 10, Action: ftpfstest.Stall, Stall: stallFor})
			err := boundedCall(t, c.name, stallBound, func() error { return c.run(e.fsys) })
			if !isStalled(err) {
				t.Errorf("%s with its data connection stalled = %v; want a *StalledError", c.name, err)
			}
			e.proxy.ClearFault()
			e.proxy.ResetAll(ftpfstest.DataConn) // release the stalled transfer
			e.fsys.Cache().Clear()
			if _, err := afero.ReadDir(e.fsys, "."); err != nil {
				t.Errorf("ReadDir after the stall = %v", err)
			}
		})
	}
}

// TestStallTLSEndsWithinTimeout: over explicit TLS, the data connection of
// each call stalls under the TLS layer; the call fails within the timeout
// with a *StalledError.
func TestStallTLSEndsWithinTimeout(t *testing.T) {
	for _, c := range stallCalls(300_000) { // the dialer stalls writes itself: no need to fill buffers
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := ftpfstest.NewServer(stallTree(t), ftpfstest.WithExplicitTLS())
			t.Cleanup(srv.Close)
			var armed atomic.Bool
			opts := []ftpfs.Option{
				ftpfs.WithTimeout(stallTimeout), ftpfs.WithoutPrefetch(), ftpfs.WithTLSConfig(srv.ClientTLSConfig()),
				ftpfs.WithDialer(stallDialer(srv.Addr(), c.reads, 2000, &armed)),
			}
			if c.noMLSD {
				opts = append(opts, ftpfs.WithoutMLSD())
			}
			fsys, err := ftpfs.Dial(t.Context(), srv.URL(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = fsys.Close() })
			armed.Store(true)
			err = boundedCall(t, c.name, stallBound, func() error { return c.run(fsys) })
			if !isStalled(err) {
				t.Errorf("%s over TLS with its data connection stalled = %v; want a *StalledError", c.name, err)
			}
			armed.Store(false)
			fsys.Cache().Clear()
			if _, err := afero.ReadDir(fsys, "."); err != nil {
				t.Errorf("ReadDir after the stall = %v", err)
			}
		})
	}
}

// TestStallEndsWhenTheFsCloses: with a timeout far longer than the test,
// a stalled listing, download or upload ends as soon as the Fs is closed.
func TestStallEndsWhenTheFsCloses(t *testing.T) {
	for _, c := range stallCalls(stallUploadSize) {
		if c.name != "ReadDir/MLSD" && c.name != "ReadFile" && c.name != "WriteFile" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := rlSetupFs(t, stallTree(t), nil, ftpfs.WithTimeout(10*time.Minute), ftpfs.WithoutPrefetch())
			dir := ftpfstest.ToClient
			if !c.reads {
				dir = ftpfstest.ToServer
			}
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: dir, Command: c.command, After: 10, Action: ftpfstest.Stall, Stall: stallFor})
			strikes := e.proxy.Stats().Strikes
			done := make(chan error, 1)
			go func() { done <- c.run(e.fsys) }()
			if !rlEventually(func() bool { return e.proxy.Stats().Strikes > strikes }) {
				t.Fatal("the stall never struck")
			}
			time.Sleep(200 * time.Millisecond) // let the call block on it
			closed := time.Now()
			_ = e.fsys.Close()
			select {
			case err := <-done:
				if err == nil {
					t.Errorf("%s ended by Close = nil; want an error", c.name)
				}
				t.Logf("%s ended %v after Close: %v", c.name, time.Since(closed).Round(time.Millisecond), err)
			case <-time.After(5 * time.Second):
				t.Fatalf("%s still stalled 5 s after the Fs closed", c.name)
			}
		})
	}
}
