package ftpconn

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestCancelEndsStalledTransfers: with a timeout far longer than the
// test, a listing, a download and an upload whose data connection stalls
// (in the proxy) end as soon as the call's context is cancelled, with
// the context's error, and their session is not reused (Broken).
func TestCancelEndsStalledTransfers(t *testing.T) {
	backing := afero.NewMemMapFs()
	_ = afero.WriteFile(backing, "/f", bytes.Repeat([]byte("x"), 3<<20), 0o644)
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	proxy := ftpfstest.NewProxy(srv.Addr())
	defer proxy.Close()
	host, _, _ := net.SplitHostPort(proxy.Addr())
	cfg := &Config{Address: proxy.Addr(), Host: host, User: srv.User(), Password: srv.Password(),
		Dialer:      (&net.Dialer{}).DialContext,
		DialTimeout: 5 * time.Second, Timeout: 10 * time.Minute, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	server := NewServer()
	calls := []struct {
		command string
		dir     ftpfstest.Direction
		run     func(ctx context.Context, s *Session) error
	}{
		{"MLSD", ftpfstest.ToClient, func(ctx context.Context, s *Session) error { _, err := s.List(ctx, "/", false); return err }},
		{"RETR", ftpfstest.ToClient, func(ctx context.Context, s *Session) error {
			d, err := s.Retr(ctx, "/f", 0)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, d)
			_ = d.Close()
			return err
		}},
		{"STOR", ftpfstest.ToServer, func(ctx context.Context, s *Session) error {
			_, err := s.Store(ctx, "/up", strings.NewReader(strings.Repeat("y", 24<<20)), false)
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.command, func(t *testing.T) {
			s, err := Dial(context.Background(), cfg, server, ListDefault)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: c.dir, Command: c.command, After: 10, Action: ftpfstest.Stall, Stall: time.Minute})
			defer proxy.ClearFault()
			ctx, cancel := context.WithCancel(context.Background())
			strikes := proxy.Stats().Strikes
			go func() {
				for proxy.Stats().Strikes == strikes {
					time.Sleep(10 * time.Millisecond)
				}
				time.Sleep(200 * time.Millisecond) // blocked on the stall by now
				cancel()
			}()
			done := make(chan error, 1)
			go func() { done <- c.run(ctx, s) }()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) || !Broken(err) {
					t.Errorf("%s cancelled while stalled = %v; want context.Canceled, and a broken session", c.command, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s still stalled 10 s after its context was cancelled", c.command)
			}
			proxy.ResetAll(ftpfstest.DataConn)
		})
	}
}

// TestPoolDiscardsDoomedSession: a session given up after a stall or a
// cancelled call is closed when it comes back, even when its last error
// was a server's reply (which alone would let it be reused).
func TestPoolDiscardsDoomedSession(t *testing.T) {
	d := &fakeDialer{free: 1}
	p := NewPool(2, 0, d.dial)
	defer p.Close()
	s, err := p.Get(context.Background(), ListDefault)
	if err != nil {
		t.Fatal(err)
	}
	s.ctl = &control{}
	s.ctl.doomed.Store(true)
	p.Put(s, &ReplyError{Code: 550, Command: "RETR"})
	p.mu.Lock()
	idle, live := len(p.idle), p.live
	p.mu.Unlock()
	if idle != 0 || live != 0 {
		t.Errorf("after Put of a doomed session: %d idle, %d live; want it closed", idle, live)
	}
}
