package ftpfstest_test

import (
	"crypto/tls"
	"net"
	"net/textproto"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/jlaffaye/ftp"
	"github.com/spf13/afero"
)

// testTimeout bounds every network wait of a test, so that a hang fails
// the test instead of stalling the run.
const testTimeout = 30 * time.Second

// security is one way of speaking to a server: its options and the
// matching jlaffaye/ftp dial options.
type security struct {
	name string
	opts []ftpfstest.Option
	dial func(*ftpfstest.Server) []ftp.DialOption
}

var securities = []security{
	{
		name: "plain",
		dial: func(*ftpfstest.Server) []ftp.DialOption { return nil },
	},
	{
		name: "explicit-tls",
		opts: []ftpfstest.Option{ftpfstest.WithExplicitTLS()},
		dial: func(s *ftpfstest.Server) []ftp.DialOption {
			return []ftp.DialOption{ftp.DialWithExplicitTLS(s.ClientTLSConfig())}
		},
	},
	{
		name: "implicit-tls",
		opts: []ftpfstest.Option{ftpfstest.WithImplicitTLS()},
		dial: func(s *ftpfstest.Server) []ftp.DialOption {
			return []ftp.DialOption{ftp.DialWithTLS(s.ClientTLSConfig())}
		},
	},
}

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

// dial connects to srv with jlaffaye/ftp without logging in; the
// connection is closed when the test ends.
func dial(t *testing.T, srv *ftpfstest.Server, sec security) *ftp.ServerConn {
	t.Helper()
	opts := append([]ftp.DialOption{
		ftp.DialWithTimeout(testTimeout),
		ftp.DialWithShutTimeout(testTimeout),
	}, sec.dial(srv)...)
	c, err := ftp.Dial(srv.Addr(), opts...)
	if err != nil {
		t.Fatalf("ftp.Dial(%q) = %v, want a connection", srv.Addr(), err)
	}
	t.Cleanup(func() {
		// The server may have closed the connection already, and the
		// test is over: the error says nothing about the code tested.
		_ = c.Quit()
	})
	return c
}

// login dials srv and logs in with its credentials.
func login(t *testing.T, srv *ftpfstest.Server, sec security) *ftp.ServerConn {
	t.Helper()
	c := dial(t, srv, sec)
	if err := c.Login(srv.User(), srv.Password()); err != nil {
		t.Fatalf("Login(%q, %q) = %v, want nil", srv.User(), srv.Password(), err)
	}
	return c
}

// rawConn is a bare control connection, for commands jlaffaye/ftp has no
// method for and for reading reply codes exactly.
type rawConn struct {
	t *testing.T
	*textproto.Conn
}

// dialRaw connects to srv in the clear, or over TLS when cfg is not nil,
// and returns the connection with the greeting's code and text.
func dialRaw(t *testing.T, srv *ftpfstest.Server, cfg *tls.Config) (*rawConn, int, string) {
	t.Helper()
	d := &net.Dialer{Timeout: testTimeout}
	var nc net.Conn
	var err error
	if cfg != nil {
		nc, err = tls.DialWithDialer(d, "tcp", srv.Addr(), cfg)
	} else {
		nc, err = d.Dial("tcp", srv.Addr())
	}
	if err != nil {
		t.Fatalf("Dial(%q) = %v, want a connection", srv.Addr(), err)
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
