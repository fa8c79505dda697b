//go:build linux

package ftpconn

import (
	"context"
	"io"
	"log/slog"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestControlConnectionKeepAlive: the control connection has TCP
// keepalive on, probing after 15 s of silence, so that a NAT or firewall
// sees traffic on it during a long transfer; data connections are left
// as the dialer made them.
func TestControlConnectionKeepAlive(t *testing.T) {
	srv := ftpfstest.NewServer(afero.NewMemMapFs())
	defer srv.Close()
	var conns []*net.TCPConn
	dialer := func(ctx context.Context, network, address string) (net.Conn, error) {
		c, err := (&net.Dialer{KeepAlive: -1}).DialContext(ctx, network, address) // keepalive off, as a custom dialer may leave it
		if err == nil {
			conns = append(conns, c.(*net.TCPConn))
		}
		return c, err
	}
	host, _, _ := net.SplitHostPort(srv.Addr())
	cfg := &Config{Address: srv.Addr(), Host: host, User: srv.User(), Password: srv.Password(), Dialer: dialer,
		DialTimeout: 5 * time.Second, Timeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s, err := Dial(context.Background(), cfg, NewServer(), ListDefault)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(conns) == 0 {
		t.Fatal("no connection dialed")
	}
	raw, err := conns[0].SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var on, idle int
	var sockErr error
	_ = raw.Control(func(fd uintptr) {
		on, sockErr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
		if sockErr == nil {
			idle, sockErr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE)
		}
	})
	if sockErr != nil {
		t.Fatal(sockErr)
	}
	if on == 0 || idle != 15 {
		t.Errorf("control connection: SO_KEEPALIVE=%d TCP_KEEPIDLE=%d; want on, 15 s", on, idle)
	}
}
