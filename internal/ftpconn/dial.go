package ftpconn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"

	"github.com/jlaffaye/ftp"
)

// Dial connects to the server, logs in and prepares a session of the
// given mode. server collects what the server can do: the first session
// learns it (FEAT), the others use it.
//
// Errors: ErrLogin when the server refuses the user or password, ErrTLS
// when TLS cannot be set up (AUTH TLS refused, certificate not trusted),
// a *ReplyError 421 when the server has no room for one more connection,
// the network's error otherwise, and ctx's when it ends first. The
// Config's DialTimeout bounds it all.
func Dial(ctx context.Context, cfg *Config, server *Server, mode ListMode) (*Session, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	s := &Session{cfg: cfg, mode: mode, server: server, names: newCodec(cfg.Encoding)}
	if cfg.Security != Plain {
		s.tls = sessionTLS(cfg.TLS, cfg.Host)
	}
	tap := newProtocolTap(cfg.Logger, cfg.Address)
	controlDialed := false
	dialFunc := func(network, address string) (net.Conn, error) {
		if !controlDialed { // the first connection is the control connection
			controlDialed = true
			return s.dialControl(ctx, tap, network, address)
		}
		return s.dialData(network, address)
	}
	opts := []ftp.DialOption{
		ftp.DialWithDialFunc(dialFunc),
		ftp.DialWithDisabledEPSV(cfg.DisableEPSV),
		ftp.DialWithDisabledMLSD(cfg.DisableMLSD || mode == ListLIST),
		ftp.DialWithWritingMDTM(true),
		ftp.DialWithShutTimeout(cfg.Timeout),
		ftp.DialWithDisabledUTF8(!s.names.utf8()), // no OPTS UTF8 ON for names in another encoding
	}
	stop := context.AfterFunc(ctx, s.abort)
	defer stop()
	var conn *ftp.ServerConn
	err := retryBusy(ctx, func() (err error) {
		controlDialed = false
		conn, err = ftp.Dial(cfg.Address, opts...)
		return err
	})
	if err != nil {
		return nil, dialError(ctx, err)
	}
	s.conn = conn
	if err := conn.Login(cfg.User, cfg.Password); err != nil {
		_ = conn.Quit() // the login error is what matters
		return nil, dialError(ctx, loginError(err))
	}
	if err := s.prepare(ctx); err != nil {
		_ = conn.Quit() // the preparation's error is what matters
		return nil, dialError(ctx, err)
	}
	s.used = time.Now()
	cfg.Logger.Info("ftpfs: connected", "server", cfg.Address, "mlsd", server.MLSD())
	_ = s.tcp.SetDeadline(time.Time{}) // run sets a deadline before every exchange
	return s, nil
}

// prepare finishes a login: data connections under TLS (the client
// library would send PBSZ and PROT itself only if it did TLS itself), and
// what the server is learned once (FEAT), then its facts selected.
func (s *Session) prepare(ctx context.Context) error {
	if s.tls != nil {
		if _, _, err := s.ctl.exchange(2, "PBSZ 0"); err != nil {
			return asReply("PBSZ", err)
		}
		if _, _, err := s.ctl.exchange(2, "PROT P"); err != nil {
			return asReply("PROT", err)
		}
	}
	if err := s.server.learn(ctx, s); err != nil {
		return err
	}
	return s.server.selectFacts(s)
}

// sessionTLS clones the user's TLS configuration for one control
// connection and its data connections, with a session cache of its own:
// servers that demand TLS session reuse on data connections (vsftpd's
// require_ssl_reuse) accept only the control connection's session, and
// sharing one cache across connections would offer them another's.
func sessionTLS(base *tls.Config, host string) *tls.Config {
	var c *tls.Config
	if base != nil {
		c = base.Clone()
	} else {
		c = &tls.Config{}
	}
	if c.ServerName == "" {
		c.ServerName = host
	}
	c.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	return c
}

// dialControl makes the control connection and sets up its TLS: the
// client library then sees a connection that greets with 220 and speaks
// in the clear, and never learns of TLS. We do TLS ourselves (instead of
// the library's DialWithExplicitTLS) so that the connection the library
// reads is ours above TLS, which raw commands need (see control), and so
// that a refused AUTH TLS or an untrusted certificate can be named.
func (s *Session) dialControl(ctx context.Context, tap *protocolTap, network, address string) (net.Conn, error) {
	raw, err := s.cfg.Dialer(ctx, network, address)
	if err != nil {
		return nil, err
	}
	keepAlive(raw)
	if _, ok := raw.RemoteAddr().(*net.TCPAddr); !ok {
		// The client library needs the peer as a *net.TCPAddr.
		raw = &tcpAddrConn{Conn: raw, remote: tcpAddr(address)}
	}
	s.mu.Lock()
	s.tcp = raw
	s.mu.Unlock()
	if deadline, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(deadline) // a failure shows up as an I/O error
	}
	var replay []byte
	var c net.Conn = raw
	switch s.cfg.Security {
	case Implicit:
		c, err = handshake(ctx, raw, s.tls)
	case Explicit:
		replay, err = authTLS(newControl(raw, nil, tap))
		if err == nil {
			c, err = handshake(ctx, raw, s.tls)
		}
	}
	if err != nil {
		_ = raw.Close() // the TLS error is what matters
		return nil, err
	}
	ctl := newControl(c, replay, tap)
	s.mu.Lock() // abort reads it
	s.ctl = ctl
	s.mu.Unlock()
	return ctl, nil
}

// authTLS reads the greeting, which it returns for the client library to
// read again, and asks for TLS.
func authTLS(plain *control) ([]byte, error) {
	code, msg, err := plain.reply(0)
	if err != nil {
		return nil, err
	}
	if code != 220 {
		return nil, &textproto.Error{Code: code, Msg: msg} // 421: busy, tried again
	}
	if _, _, err := plain.exchange(234, "AUTH TLS"); err != nil {
		return nil, fmt.Errorf("%w: the server refused AUTH TLS: %w", ErrTLS, asReply("AUTH", err))
	}
	return []byte("220 " + strings.ReplaceAll(msg, "\n", " ") + "\r\n"), nil
}

// handshake runs a TLS handshake on raw, so that its failure (an
// untrusted certificate) is named as one.
func handshake(ctx context.Context, raw net.Conn, cfg *tls.Config) (net.Conn, error) {
	c := tls.Client(raw, cfg)
	if err := c.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTLS, err)
	}
	return c, nil
}

// tcpAddrConn gives a connection from a custom dialer the *net.TCPAddr
// peer address the client library expects.
type tcpAddrConn struct {
	net.Conn
	remote *net.TCPAddr
}

func (c *tcpAddrConn) RemoteAddr() net.Addr { return c.remote }

func tcpAddr(address string) *net.TCPAddr {
	host, port, _ := net.SplitHostPort(address)
	a := &net.TCPAddr{IP: net.ParseIP(host)}
	a.Port, _ = net.LookupPort("tcp", port)
	if a.IP == nil {
		// A host name: the library uses the address only to name data
		// connections, and dialData replaces it by the host name.
		a.IP = net.IPv4zero
	}
	return a
}

// retryBusy dials again, a few times over about a second, while the
// server turns the connection away as busy (see busy): a server that
// counts connections per client may not yet have counted off one just
// closed.
func retryBusy(ctx context.Context, dial func() error) error {
	wait := 10 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := dial()
		if !busy(err) || attempt == 6 {
			return err
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return err
		}
		wait *= 2
	}
}

func dialError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errors.Join(ctx.Err(), err)
	}
	return err
}

// loginError names a failed login: the client library returns the reply
// to PASS as a textproto error, and other refusals as plain text. A
// refusal that says the server is full is a 421, whatever its code, so
// that the pool waits for room (see busy).
func loginError(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		if busyText(tp.Msg) {
			return &ReplyError{Code: 421, Message: tp.Msg, Command: "PASS"}
		}
		return &ReplyError{Code: tp.Code, Message: tp.Msg, Command: "PASS", kind: ErrLogin}
	}
	if busyText(err.Error()) {
		return &ReplyError{Code: 421, Message: err.Error(), Command: "USER"}
	}
	return errors.Join(ErrLogin, err)
}

// busy reports whether err turns a connection away for want of room: a
// 421, or a refusal whose text says there are too many connections
// (servers say it with 530 or 550 at USER or PASS too).
func busy(err error) bool {
	if err == nil {
		return false
	}
	if Code(err) == 421 {
		return true
	}
	var r *ReplyError
	return errors.As(err, &r) && busyText(r.Message)
}

// busyText reports whether a server's text says it has no room for one
// more connection.
func busyText(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"too many", "maximum number", "max number", "limit of", "connection limit", "no more connections", "try again later"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}
