package ftpfstest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/textproto"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/spf13/afero"
)

// pxData returns n reproducible bytes that do not repeat in short cycles,
// so a misplaced or missing byte shows.
func pxData(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// pxSetup starts a server over a MemMapFs holding files, and a proxy in
// front of it; both close when the test ends.
func pxSetup(t *testing.T, files map[string][]byte) (*ftpfstest.Proxy, *ftpfstest.Server, afero.Fs) {
	t.Helper()
	backing := afero.NewMemMapFs()
	for name, data := range files {
		if err := afero.WriteFile(backing, name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := newServer(t, backing)
	p := ftpfstest.NewProxy(srv.Addr())
	t.Cleanup(p.Close)
	return p, srv, backing
}

// pxLogin connects to addr in the clear with our client, after configure
// changed its configuration, and logs in; the session is closed when the
// test ends.
func pxLogin(t *testing.T, addr string, configure ...func(*ftpconn.Config)) *ftpconn.Session {
	t.Helper()
	cfg := clientConfig(addr, ftpconn.Plain, nil, ftpfstest.DefaultUser, ftpfstest.DefaultPassword)
	for _, f := range configure {
		f(cfg)
	}
	c, _, err := dialSession(t, cfg)
	if err != nil {
		t.Fatalf("ftpconn.Dial(%q) through the proxy = %v, want a session", addr, err)
	}
	return c
}

// pxRetr downloads name, returning what arrived and the first error of
// reading or of the final reply.
func pxRetr(c *ftpconn.Session, name string) ([]byte, error) { return retr(c, name, 0) }

// pxEventually polls cond, yielding in between, until it holds or
// testTimeout passes.
func pxEventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s after %v", what, testTimeout)
		}
		runtime.Gosched()
	}
}

// TestProxyTransfer sends downloads, uploads and listings through the
// proxy, with EPSV and with PASV, and checks every byte and that the data
// connections did pass through the proxy.
func TestProxyTransfer(t *testing.T) {
	for _, tc := range []struct {
		name        string
		disableEPSV bool
	}{
		{"EPSV", false},
		{"PASV", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			down := pxData(1, 300_000)
			p, _, backing := pxSetup(t, map[string][]byte{"/down.bin": down})
			c := pxLogin(t, p.Addr(), func(cfg *ftpconn.Config) { cfg.DisableEPSV = tc.disableEPSV })

			got, err := pxRetr(c, "/down.bin")
			if err != nil || !bytes.Equal(got, down) {
				t.Fatalf("Retr(/down.bin) = %d bytes (equal: %t), %v; want the %d bytes stored", len(got), bytes.Equal(got, down), err, len(down))
			}
			up := pxData(2, 200_000)
			if err := store(c, "/up.bin", bytes.NewReader(up), false); err != nil {
				t.Fatalf("Stor(/up.bin) = %v, want nil", err)
			}
			if stored, err := afero.ReadFile(backing, "/up.bin"); err != nil || !bytes.Equal(stored, up) {
				t.Fatalf("the server stored %d bytes (equal: %t), %v; want the %d bytes sent", len(stored), bytes.Equal(stored, up), err, len(up))
			}
			entries, err := list(c, "/")
			if err != nil || len(entries) != 2 {
				t.Fatalf("List(/) = %d entries, %v; want 2", len(entries), err)
			}
			if s := p.Stats(); s.ControlConns != 1 || s.DataConns != 3 {
				t.Errorf("Stats() = %+v, want 1 control and 3 data connections", s)
			}
		})
	}
}

// TestProxyRewritesPassiveReplies reads the 227 and 229 replies as the
// client sees them: they name the proxy's host and a port of the proxy,
// and a listing fetched there arrives through it.
func TestProxyRewritesPassiveReplies(t *testing.T) {
	p, srv, _ := pxSetup(t, map[string][]byte{"/a": []byte("a")})
	nc, err := net.DialTimeout("tcp", p.Addr(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.SetDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	c := textproto.NewConn(nc)
	expect := func(code int, format string, args ...any) string {
		t.Helper()
		if format != "" {
			if _, err := c.Cmd(format, args...); err != nil {
				t.Fatalf("sending %q: %v", format, err)
			}
		}
		_, msg, err := c.ReadResponse(code)
		if err != nil {
			t.Fatalf("reply to %q = %v, want %d", format, err, code)
		}
		return msg
	}
	expect(220, "")
	expect(331, "USER %s", srv.User())
	expect(230, "PASS %s", srv.Password())

	msg := expect(227, "PASV")
	var h1, h2, h3, h4, p1, p2 int
	if _, err := fmt.Sscanf(msg[strings.Index(msg, "("):], "(%d,%d,%d,%d,%d,%d)", &h1, &h2, &h3, &h4, &p1, &p2); err != nil {
		t.Fatalf("PASV reply %q: %v", msg, err)
	}
	if got := fmt.Sprintf("%d.%d.%d.%d", h1, h2, h3, h4); got != "127.0.0.1" {
		t.Errorf("PASV reply names host %s, want the proxy's 127.0.0.1", got)
	}
	data, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p1<<8|p2), testTimeout)
	if err != nil {
		t.Fatalf("connecting to the port of the PASV reply: %v", err)
	}
	expect(150, "NLST /")
	listing, err := io.ReadAll(data)
	_ = data.Close() // read to the end already
	expect(226, "")
	if err != nil || !strings.Contains(string(listing), "a") {
		t.Errorf("NLST through the proxy = %q, %v; want a listing naming a", listing, err)
	}

	msg = expect(229, "EPSV")
	var port int
	if _, err := fmt.Sscanf(msg[strings.Index(msg, "("):], "(|||%d|)", &port); err != nil {
		t.Fatalf("EPSV reply %q: %v", msg, err)
	}
	if s := p.Stats(); s.DataConns != 1 {
		t.Errorf("Stats().DataConns = %d before the EPSV port is used, want 1", s.DataConns)
	}
	data, err = net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), testTimeout)
	if err != nil {
		t.Fatalf("connecting to the port of the EPSV reply: %v", err)
	}
	defer data.Close()
	pxEventually(t, "the second data connection", func() bool { return p.Stats().DataConns == 2 })
}

// TestProxyDrop cuts a connection after a number of bytes, in each
// direction, and checks that exactly those bytes got through and that a
// fault that struck once is disarmed.
func TestProxyDrop(t *testing.T) {
	content := pxData(3, 64<<10)
	t.Run("download", func(t *testing.T) {
		p, _, _ := pxSetup(t, map[string][]byte{"/f": content})
		c := pxLogin(t, p.Addr())
		p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, After: 1000, Action: ftpfstest.Drop})
		got, _ := pxRetr(c, "/f") // the final reply may be 226 or 426
		if !bytes.Equal(got, content[:1000]) {
			t.Errorf("Retr with a drop after 1000 bytes = %d bytes (a prefix: %t), want the first 1000", len(got), bytes.HasPrefix(content, got))
		}
		if s := p.Stats(); s.Strikes != 1 {
			t.Errorf("Stats().Strikes = %d, want 1", s.Strikes)
		}
		if got, err := pxRetr(c, "/f"); err != nil || !bytes.Equal(got, content) {
			t.Errorf("Retr after the fault struck once = %d bytes, %v; want all %d", len(got), err, len(content))
		}
	})
	t.Run("upload", func(t *testing.T) {
		p, _, backing := pxSetup(t, nil)
		c := pxLogin(t, p.Addr())
		p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 1000, Action: ftpfstest.Drop})
		_ = store(c, "/up", bytes.NewReader(content), false) // returns once the server has replied
		stored, err := afero.ReadFile(backing, "/up")
		if err != nil || !bytes.Equal(stored, content[:1000]) {
			t.Errorf("the server stored %d bytes, %v; want the first 1000 sent", len(stored), err)
		}
	})
	t.Run("control", func(t *testing.T) {
		p, _, _ := pxSetup(t, nil)
		c := pxLogin(t, p.Addr())
		p.SetFault(ftpfstest.Fault{Conns: ftpfstest.ControlConn, Dir: ftpfstest.ToClient, Command: "PWD", Action: ftpfstest.Drop})
		if err := c.Noop(context.Background()); err != nil {
			t.Fatalf("Noop with a fault waiting for PWD = %v, want nil", err)
		}
		if dir, err := c.Pwd(context.Background()); err == nil {
			t.Errorf("Pwd with its reply dropped = %q, nil; want an error", dir)
		}
		if s := p.Stats(); s.Strikes != 1 {
			t.Errorf("Stats().Strikes = %d, want 1", s.Strikes)
		}
		pxEventually(t, "the dropped connection to close", func() bool { return p.Stats().OpenControl == 0 })
	})
	t.Run("times", func(t *testing.T) {
		p, _, _ := pxSetup(t, map[string][]byte{"/f": content})
		c := pxLogin(t, p.Addr())
		p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Command: "RETR", After: 100, Action: ftpfstest.Drop, Times: 2})
		for i := range 2 {
			if got, _ := pxRetr(c, "/f"); len(got) != 100 {
				t.Errorf("Retr %d under a fault striking twice = %d bytes, want 100", i+1, len(got))
			}
		}
		if got, err := pxRetr(c, "/f"); err != nil || len(got) != len(content) {
			t.Errorf("Retr 3 = %d bytes, %v; want all %d", len(got), err, len(content))
		}
	})
}

// TestProxyReset aborts a download with a TCP reset, which the client
// sees as such, unlike a drop.
func TestProxyReset(t *testing.T) {
	content := pxData(4, 4<<20)
	p, _, _ := pxSetup(t, map[string][]byte{"/big": content})
	c := pxLogin(t, p.Addr())
	p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, After: 1000, Action: ftpfstest.Reset})
	r, err := c.Retr(context.Background(), "/big", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	_ = r.Close() // the transfer is broken; its reply does not matter
	if !errors.Is(err, syscall.ECONNRESET) || len(got) > 1000 {
		t.Errorf("reading a download reset after 1000 bytes = %d bytes, %v; want at most 1000 and ECONNRESET", len(got), err)
	}
}

// TestProxyStall holds a download for a while: a read deadline inside the
// stall expires, and afterwards the rest arrives intact.
func TestProxyStall(t *testing.T) {
	content := pxData(5, 64<<10)
	p, _, _ := pxSetup(t, map[string][]byte{"/f": content})
	// The session's timeout is the deadline of every read of a data
	// connection: a fraction of the stall, so that a read inside it
	// expires. It is set after the login, which a loaded machine may not
	// finish within it.
	const timeout = 200 * time.Millisecond
	var conf *ftpconn.Config
	c := pxLogin(t, p.Addr(), func(cfg *ftpconn.Config) { conf = cfg })
	conf.Timeout = timeout
	p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, After: 1000, Action: ftpfstest.Stall, Stall: 4 * timeout})
	r, err := c.Retr(context.Background(), "/f", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close() // its reply does not matter: the bytes are checked below
	first := make([]byte, 1000)
	if _, err := io.ReadFull(r, first); err != nil {
		t.Fatalf("reading the bytes before the stall: %v", err)
	}
	var stalled *ftpconn.StalledError
	if n, err := r.Read(make([]byte, 10)); !errors.As(err, &stalled) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read during the stall = %d, %v; want a deadline error", n, err)
	}
	// Every read waits the timeout afresh: read on through the rest of the
	// stall.
	var rest []byte
	buf := make([]byte, 8<<10)
	giveUp := time.Now().Add(testTimeout)
	for {
		n, err := r.Read(buf)
		rest = append(rest, buf[:n]...)
		if err == io.EOF {
			break
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && time.Now().Before(giveUp) {
			continue
		}
		if err != nil {
			t.Fatalf("reading after the stall = %v, after %d more bytes", err, len(rest))
		}
	}
	if !bytes.Equal(append(first, rest...), content) {
		t.Errorf("after the stall: %d more bytes; want the other %d", len(rest), len(content)-1000)
	}
}

// TestProxyDelay slows every read: a NOOP's round trip takes at least the
// delay (a lower bound, which only a broken delay can miss).
func TestProxyDelay(t *testing.T) {
	p, _, _ := pxSetup(t, nil)
	c := pxLogin(t, p.Addr())
	const delay = 30 * time.Millisecond
	p.SetDelay(delay)
	start := time.Now()
	if err := c.Noop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("Noop with a delay of %v took %v", delay, elapsed)
	}
	p.SetDelay(0)
	if err := c.Noop(context.Background()); err != nil {
		t.Errorf("Noop after the delay was turned off = %v", err)
	}
}

// TestProxyMaxConns refuses a third connection with 421, and takes one
// again once a slot is free.
func TestProxyMaxConns(t *testing.T) {
	p, _, _ := pxSetup(t, nil)
	p.SetMaxConns(2)
	first := pxLogin(t, p.Addr())
	pxLogin(t, p.Addr())
	// A raw connection: our client would dial again after a 421, a few
	// times, and each would be refused and counted.
	if _, code, msg := dialRawAddr(t, p.Addr(), nil); code != 421 {
		t.Fatalf("greeting of a third connection under a limit of 2 = %d %q, want 421", code, msg)
	}
	if s := p.Stats(); s.Refused != 1 || s.ControlConns != 2 {
		t.Errorf("Stats() = %+v, want 1 refused and 2 forwarded", s)
	}
	if r, err := first.Command(context.Background(), "QUIT"); err != nil || r.Code != 221 {
		t.Fatalf("QUIT = %v, %v; want 221", r, err)
	}
	pxEventually(t, "the first connection to close", func() bool { return p.Stats().OpenControl == 1 })
	pxLogin(t, p.Addr())
}

// TestProxyDropAllAndResetAll cut every open control connection at once.
func TestProxyDropAllAndResetAll(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  func(*ftpfstest.Proxy, ftpfstest.ConnKind) int
	}{
		{"DropAll", (*ftpfstest.Proxy).DropAll},
		{"ResetAll", (*ftpfstest.Proxy).ResetAll},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _, _ := pxSetup(t, nil)
			a, b := pxLogin(t, p.Addr()), pxLogin(t, p.Addr())
			if n := tc.cut(p, ftpfstest.DataConn); n != 0 {
				t.Errorf("%s(DataConn) with no transfer = %d, want 0", tc.name, n)
			}
			if n := tc.cut(p, ftpfstest.ControlConn); n != 2 {
				t.Errorf("%s(ControlConn) = %d, want 2", tc.name, n)
			}
			for i, c := range []*ftpconn.Session{a, b} {
				if err := c.Noop(context.Background()); err == nil {
					t.Errorf("Noop on connection %d after %s = nil, want an error", i+1, tc.name)
				}
			}
			pxLogin(t, p.Addr()) // new connections still pass
		})
	}
}

// TestProxyClose leaves connections in every state (a download held by a
// stall, idle, a passive port announced but unused), closes the proxy,
// and checks that
// the clients are cut off and that no goroutine is left behind. It must
// not run in parallel with other tests.
func TestProxyClose(t *testing.T) {
	before := runtime.NumGoroutine()
	backing := afero.NewMemMapFs()
	if err := afero.WriteFile(backing, "/big", pxData(6, 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	p := ftpfstest.NewProxy(srv.Addr())
	defer p.Close()

	down := pxLogin(t, p.Addr())
	// The download stalls after its first byte until Close.
	p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Command: "RETR", After: 1, Action: ftpfstest.Stall, Stall: time.Hour})
	r, err := down.Retr(context.Background(), "/big", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(r, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	idle := pxLogin(t, p.Addr())
	// A passive port announced and never used.
	pending, err := net.DialTimeout("tcp", p.Addr(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer pending.Close()
	if err := pending.SetDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	pc := textproto.NewConn(pending)
	for _, step := range []struct {
		cmd  string
		code int
	}{{"", 220}, {"USER " + srv.User(), 331}, {"PASS " + srv.Password(), 230}, {"EPSV", 229}} {
		if step.cmd != "" {
			if _, err := pc.Cmd("%s", step.cmd); err != nil {
				t.Fatal(err)
			}
		}
		if _, msg, err := pc.ReadResponse(step.code); err != nil {
			t.Fatalf("reply to %q = %q, %v; want %d", step.cmd, msg, err, step.code)
		}
	}

	p.Close()
	p.Close() // a second Close does nothing

	if n, err := io.Copy(io.Discard, r); err == nil || n+1 == 4<<20 {
		t.Errorf("download across Close = %d bytes, %v; want it cut off with an error", n+1, err)
	}
	_ = r.Close() // broken, as checked above
	if err := idle.Noop(context.Background()); err == nil {
		t.Errorf("Noop after Close = nil, want an error")
	}
	if c, err := net.DialTimeout("tcp", p.Addr(), testTimeout); err == nil {
		_ = c.Close()
		t.Errorf("connecting after Close succeeded, want it refused")
	}
	srv.Close()
	_ = pending.Close() // the proxy closed its side already
	deadline := time.Now().Add(testTimeout)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after Close, want at most %d:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
	}
}
