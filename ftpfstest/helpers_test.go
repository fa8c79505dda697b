package ftpfstest_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// testTimeout bounds every network wait of a test, so that a hang fails
// the test instead of stalling the run.
const testTimeout = 30 * time.Second

// security is one way of speaking to a server: its options and the
// matching security of our client (internal/ftpconn).
type security struct {
	name string
	opts []ftpfstest.Option
	sec  ftpconn.Security
}

var securities = []security{
	{name: "plain", sec: ftpconn.Plain},
	{name: "explicit-tls", opts: []ftpfstest.Option{ftpfstest.WithExplicitTLS()}, sec: ftpconn.Explicit},
	{name: "implicit-tls", opts: []ftpfstest.Option{ftpfstest.WithImplicitTLS()}, sec: ftpconn.Implicit},
}

// slogDiscard is the Logger of our client: it must have one.
var slogDiscard = slog.New(slog.DiscardHandler)

// backings are the file systems a server is tested over.
var backings = []struct {
	name string
	new  func(t *testing.T) afero.Fs
}{
	{"memmap", func(*testing.T) afero.Fs { return afero.NewMemMapFs() }},
	{"osdir", func(t *testing.T) afero.Fs { return afero.NewBasePathFs(afero.NewOsFs(), t.TempDir()) }},
}

// newServer starts a server over backing that the test closes at its end.
func newServer(t *testing.T, backing afero.Fs, opts ...ftpfstest.Option) *ftpfstest.Server {
	t.Helper()
	srv := ftpfstest.NewServer(backing, opts...)
	t.Cleanup(srv.Close)
	return srv
}

// clientConfig is what our client needs to reach addr with security sec
// and log in as user with pass; tlsCfg is the TLS configuration it trusts
// (nil for plain FTP).
func clientConfig(addr string, sec ftpconn.Security, tlsCfg *tls.Config, user, pass string) *ftpconn.Config {
	host, _, _ := net.SplitHostPort(addr)
	d := &net.Dialer{}
	return &ftpconn.Config{
		Address:     addr,
		Host:        host,
		User:        user,
		Password:    pass,
		Security:    sec,
		TLS:         tlsCfg,
		Dialer:      d.DialContext,
		DialTimeout: testTimeout,
		Timeout:     testTimeout,
		Logger:      slogDiscard,
	}
}

// serverConfig is the configuration that logs in to srv with security
// sec (which must match the server's options) as user with pass.
func serverConfig(srv *ftpfstest.Server, sec security, user, pass string) *ftpconn.Config {
	return clientConfig(srv.Addr(), sec.sec, srv.ClientTLSConfig(), user, pass)
}

// dialSession dials with cfg; the session is closed when the test ends.
func dialSession(t *testing.T, cfg *ftpconn.Config) (*ftpconn.Session, *ftpconn.Server, error) {
	t.Helper()
	server := ftpconn.NewServer()
	s, err := ftpconn.Dial(context.Background(), cfg, server, ftpconn.ListDefault)
	if err != nil {
		return nil, server, err
	}
	// The server may have closed the connection already, and the test is
	// over: Close's QUIT says nothing about the code tested.
	t.Cleanup(s.Close)
	return s, server, nil
}

// login dials srv and logs in with its credentials.
func login(t *testing.T, srv *ftpfstest.Server, sec security) *ftpconn.Session {
	t.Helper()
	s, _, err := dialSession(t, serverConfig(srv, sec, srv.User(), srv.Password()))
	if err != nil {
		t.Fatalf("ftpconn.Dial(%q) as %q = %v, want a session", srv.Addr(), srv.User(), err)
	}
	return s
}

// retr downloads name from offset on and returns its bytes and the first
// error of reading or of the final reply.
func retr(s *ftpconn.Session, name string, offset int64) ([]byte, error) {
	d, err := s.Retr(context.Background(), name, offset)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(d)
	return data, errors.Join(err, d.Close())
}

// store uploads data to name, from its start or, appending, at its end.
func store(s *ftpconn.Session, name string, data io.Reader, appending bool) error {
	_, err := s.Store(context.Background(), name, data, appending)
	return err
}

// list lists dir and parses the listing (MLSD or LIST, whichever the
// session used).
func list(s *ftpconn.Session, dir string) ([]parsers.Entry, error) {
	l, err := s.List(context.Background(), dir, false)
	if err != nil {
		return nil, err
	}
	var p parsers.Parser = parsers.NewAuto()
	if l.MLSD {
		p = parsers.MLSD{}
	}
	return parsers.ParseListing(l.Data, p, parsers.Clock{})
}

// describe renders listing entries for failure messages.
func describe(entries []parsers.Entry) []string {
	var s []string
	for _, e := range entries {
		s = append(s, fmt.Sprintf("%s (%s, %d bytes, %v)", e.Name, e.Type, e.Size, e.ModTime))
	}
	return s
}

// replyCode returns the FTP reply code in err, or 0.
func replyCode(err error) int { return ftpconn.Code(err) }

// rawConn is a bare control connection, for commands our client has no
// method for, for reading reply codes exactly, and for connections that
// must not log in.
type rawConn struct {
	t *testing.T
	*textproto.Conn
}

// dialRaw connects to srv in the clear, or over TLS when cfg is not nil,
// and returns the connection with the greeting's code and text.
func dialRaw(t *testing.T, srv *ftpfstest.Server, cfg *tls.Config) (*rawConn, int, string) {
	t.Helper()
	return dialRawAddr(t, srv.Addr(), cfg)
}

// dialRawAddr is dialRaw to an address (a server's or a proxy's).
func dialRawAddr(t *testing.T, addr string, cfg *tls.Config) (*rawConn, int, string) {
	t.Helper()
	d := &net.Dialer{Timeout: testTimeout}
	var nc net.Conn
	var err error
	if cfg != nil {
		nc, err = tls.DialWithDialer(d, "tcp", addr, cfg)
	} else {
		nc, err = d.Dial("tcp", addr)
	}
	if err != nil {
		t.Fatalf("Dial(%q) = %v, want a connection", addr, err)
	}
	if err := nc.SetDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatalf("SetDeadline: %v", err)
	}
	c := &rawConn{t: t, Conn: textproto.NewConn(nc)}
	t.Cleanup(func() {
		_ = c.Close() // the test is over; the server may be gone
	})
	code, msg, err := c.ReadResponse(0)
	if err != nil && code == 0 {
		t.Fatalf("reading the greeting: %v", err)
	}
	return c, code, msg
}

// cmd sends one command and returns the reply's code and text.
func (c *rawConn) cmd(format string, args ...any) (int, string) {
	c.t.Helper()
	if _, err := c.Cmd(format, args...); err != nil {
		c.t.Fatalf("sending %q: %v", format, err)
	}
	code, msg, err := c.ReadResponse(0)
	if err != nil && code == 0 {
		c.t.Fatalf("reading the reply to %q: %v", format, err)
	}
	return code, msg
}

// rawLogin dials srv in the clear and logs in.
func rawLogin(t *testing.T, srv *ftpfstest.Server) *rawConn {
	t.Helper()
	c, code, msg := dialRaw(t, srv, nil)
	if code != 220 {
		t.Fatalf("greeting = %d %q, want 220", code, msg)
	}
	if code, msg := c.cmd("USER %s", srv.User()); code != 331 {
		t.Fatalf("USER %s = %d %q, want 331", srv.User(), code, msg)
	}
	if code, msg := c.cmd("PASS %s", srv.Password()); code != 230 {
		t.Fatalf("PASS = %d %q, want 230", code, msg)
	}
	return c
}
