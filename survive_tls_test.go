package ftpfs_test

// Lost final replies over TLS. The proxy of survive_test.go cannot see
// inside TLS, so here the network faults sit in the client's dialer,
// below TLS: the transfer's data connection pauses once, and the control
// connection, idle meanwhile, is forgotten as a NAT forgets it.

import (
	"bytes"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestLostFinalReplyTLS: an upload and a download over explicit TLS
// outlast the idle limit of their control connection, which is then
// forgotten: silently (what arrives is dropped, what is sent goes
// nowhere) or with a FIN. Every byte of the data moves; the 226 is lost.
// Silently forgotten, the server stores the whole upload, and both
// transfers must be verified on a new connection and succeed. Closed, the
// server (ftpserverlib) may end the upload short: then it must fail, and
// nothing may take the target's name.
func TestLostFinalReplyTLS(t *testing.T) {
	for _, op := range []string{"upload", "download"} {
		for _, forget := range []string{"silence", "FIN"} {
			t.Run(op+"/"+forget, func(t *testing.T) {
				t.Parallel()
				backing := afero.NewMemMapFs()
				// Bigger than the socket buffers: the server still sends
				// when the control connection is forgotten.
				data := rlBytes(35, stallUploadSize)
				writeFiles(t, backing, map[string]string{"big": string(data)})
				srv := ftpfstest.NewServer(backing, ftpfstest.WithExplicitTLS())
				t.Cleanup(srv.Close)
				ln := &lossyNet{control: srv.Addr(), fin: forget == "FIN"}
				t.Cleanup(ln.close)
				fsys, err := ftpfs.Dial(t.Context(), srv.URL(), ftpfs.WithTLSConfig(srv.ClientTLSConfig()),
					ftpfs.WithDialer(ln.dial), ftpfs.WithTimeout(lostTimeout), ftpfs.WithAtomicWrites(), ftpfs.WithoutPrefetch())
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = fsys.Close() })
				if _, err := fsys.Stat("big"); err != nil {
					t.Fatal(err)
				}
				ln.arm(100_000, lostStall)
				var got []byte
				err = boundedCall(t, op, lostBound, func() (err error) {
					if op == "upload" {
						return afero.WriteFile(fsys, "up", data[:300_000], 0o644)
					}
					got, err = afero.ReadFile(fsys, "big")
					return err
				})
				if ln.forgotten.Load() == 0 {
					t.Fatalf("%s: the control connection was not forgotten during the transfer", op)
				}
				stored, readErr := afero.ReadFile(backing, "/up")
				switch {
				case op == "download" && (err != nil || !bytes.Equal(got, data)):
					t.Errorf("ReadFile whose final reply was lost = %d bytes, %v; want all %d, verified", len(got), err, len(data))
				case op == "upload" && forget == "silence" && err != nil:
					t.Errorf("WriteFile whose final reply was lost = %v; want nil (verified with SIZE)", err)
				case op == "upload" && err == nil && (readErr != nil || !bytes.Equal(stored, data[:300_000])):
					t.Errorf("WriteFile = nil, but the server holds %d bytes (%v) under the name; want all 300000", len(stored), readErr)
				case op == "upload" && err != nil && readErr == nil:
					t.Errorf("WriteFile = %v, but the server holds %d bytes under the name", err, len(stored))
				}
			})
		}
	}
}

// lossyNet is the client's network in TestLostFinalReplyTLS. Once armed,
// the first data connection dialled pauses once, for pause, after moving
// after bytes; and each control connection dialled before arm that then
// stays idle for lostIdle is forgotten.
type lossyNet struct {
	control string // the server's control address
	fin     bool   // forget with a FIN; else silently

	mu       sync.Mutex
	controls []*forgettableConn
	armed    bool
	pauseHit bool // the armed pause was handed to a data connection
	after    int64
	pause    time.Duration

	forgotten atomic.Int32
	stop      chan struct{}
}

func (ln *lossyNet) dial(ctx context.Context, network, address string) (net.Conn, error) {
	conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	ln.mu.Lock()
	defer ln.mu.Unlock()
	if address == ln.control {
		c := &forgettableConn{Conn: conn, fin: ln.fin}
		c.touch()
		if !ln.armed {
			ln.controls = append(ln.controls, c)
		}
		return c, nil
	}
	if ln.armed && !ln.pauseHit {
		ln.pauseHit = true
		return &pausingConn{Conn: conn, after: ln.after, pause: ln.pause}, nil
	}
	return conn, nil
}

// arm sets the faults, and starts watching the control connections.
func (ln *lossyNet) arm(after int64, pause time.Duration) {
	ln.mu.Lock()
	ln.armed, ln.after, ln.pause = true, after, pause
	controls := ln.controls
	ln.stop = make(chan struct{})
	stop := ln.stop
	ln.mu.Unlock()
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			for _, c := range controls {
				if c.idle() >= lostIdle && c.forget() {
					ln.forgotten.Add(1)
				}
			}
		}
	}()
}

func (ln *lossyNet) close() {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	if ln.stop != nil {
		close(ln.stop)
		ln.stop = nil
	}
}

// forgettableConn is a control connection a NAT may forget: then, with
// fin, it is closed; else what arrives is dropped (a read returns only
// the error that ends it: its deadline, or the close) and what is
// written goes nowhere.
type forgettableConn struct {
	net.Conn
	fin       bool
	last      atomic.Int64 // UnixNano of the last byte moved
	forgotten atomic.Bool
}

func (c *forgettableConn) touch() { c.last.Store(time.Now().UnixNano()) }

func (c *forgettableConn) idle() time.Duration {
	return time.Since(time.Unix(0, c.last.Load()))
}

// forget forgets the connection, and reports whether it was not already.
func (c *forgettableConn) forget() bool {
	if c.forgotten.Swap(true) {
		return false
	}
	if c.fin {
		_ = c.Conn.Close()
	}
	return true
}

func (c *forgettableConn) Read(p []byte) (int, error) {
	for {
		n, err := c.Conn.Read(p)
		if !c.forgotten.Load() {
			if n > 0 {
				c.touch()
			}
			return n, err
		}
		if err != nil {
			return 0, err
		}
	}
}

func (c *forgettableConn) Write(p []byte) (int, error) {
	if c.forgotten.Load() {
		return len(p), nil
	}
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.touch()
	}
	return n, err
}

// pausingConn is a data connection that, once it has moved after bytes
// either way, stops for pause, once.
type pausingConn struct {
	net.Conn
	after  int64
	pause  time.Duration
	moved  atomic.Int64
	paused atomic.Bool
}

func (c *pausingConn) maybePause() {
	if c.moved.Load() >= c.after && !c.paused.Swap(true) {
		time.Sleep(c.pause)
	}
}

func (c *pausingConn) Read(p []byte) (int, error) {
	c.maybePause()
	n, err := c.Conn.Read(p)
	c.moved.Add(int64(n))
	return n, err
}

func (c *pausingConn) Write(p []byte) (int, error) {
	c.maybePause()
	n, err := c.Conn.Write(p)
	c.moved.Add(int64(n))
	return n, err
}
