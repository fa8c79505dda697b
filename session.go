package ftpfs

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/jlaffaye/ftp"
)

// listMode is how a session lists directories.
type listMode uint8

const (
	listDefault listMode = iota // MLSD where the server has it, else LIST -a
	listLIST                    // always LIST -a: for link targets, which MLSD leaves out
)

// session is one logged-in control connection and what the FTP client
// library lacks: the raw bytes of listings, deadlines on our own
// connection, and its own TLS session cache.
type session struct {
	conn    *ftp.ServerConn
	control net.Conn    // the TCP connection under the control channel
	tls     *tls.Config // this session's own clone; nil for plain FTP
	mode    listMode
	mlsd    bool // List sends MLSD (else LIST)
	timeout time.Duration
	tap     *protocolTap // what the control channel says

	mu      sync.Mutex    // guards capture and data: the dial function runs inside the client library
	capture *bytes.Buffer // set while a listing runs: its data connection is copied here
	data    *dataConn     // the last data connection of a transfer
	// captureErr is the listing's data connection's own failure, if any.
	captureErr error
	lastUsed   time.Time
}

// dialSession connects, logs in and prepares a session. dial makes plain
// TCP connections.
func dialSession(ctx context.Context, cfg *config, t *target, mode listMode) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.dialTimeout)
	defer cancel()
	s := &session{mode: mode, timeout: cfg.timeout}
	if t.security != plainFTP {
		s.tls = sessionTLS(cfg.tlsConfig, t.host)
	}
	controlDialed := false
	dialFunc := func(network, address string) (net.Conn, error) {
		if !controlDialed { // the first connection is the control connection
			controlDialed = true
			return s.dialControl(ctx, cfg, t, network, address)
		}
		return s.dialData(cfg, t, network, address)
	}
	opts := []ftp.DialOption{
		ftp.DialWithDialFunc(dialFunc),
		ftp.DialWithDisabledEPSV(cfg.disableEPSV),
		ftp.DialWithDisabledMLSD(cfg.disableMLSD || mode == listLIST),
		ftp.DialWithForceListHidden(mode == listLIST),
		ftp.DialWithWritingMDTM(true),
		ftp.DialWithShutTimeout(cfg.timeout),
	}
	switch t.security {
	case explicitTLS:
		opts = append(opts, ftp.DialWithExplicitTLS(s.tls))
	case implicitTLS:
		opts = append(opts, ftp.DialWithTLS(s.tls))
	}
	s.tap = newProtocolTap(cfg.logger, t.address)
	opts = append(opts, ftp.DialWithDebugOutput(s.tap))
	stop := context.AfterFunc(ctx, s.abort)
	defer stop()
	var conn *ftp.ServerConn
	err := retryBusy(ctx, func() (err error) {
		controlDialed = false
		conn, err = ftp.Dial(t.address, opts...)
		return err
	})
	if err != nil {
		return nil, dialError(ctx, err)
	}
	s.conn = conn
	if err := conn.Login(t.user, t.password); err != nil {
		_ = conn.Quit() // the login error is what matters
		return nil, dialError(ctx, loginError(err))
	}
	s.mlsd = conn.IsTimePreciseInList()
	s.lastUsed = time.Now()
	cfg.logger.Info("ftpfs: connected", "server", t.address, "mlsd", s.mlsd)
	_ = s.control.SetDeadline(time.Time{}) // run sets a deadline before every exchange
	return s, nil
}

// sessionTLS clones the user's TLS configuration for one control
// connection and its data connections, with a session cache of its own.
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

func (s *session) dialControl(ctx context.Context, cfg *config, t *target, network, address string) (net.Conn, error) {
	raw, err := cfg.dialer(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if _, ok := raw.RemoteAddr().(*net.TCPAddr); !ok {
		// The client library needs the peer as a *net.TCPAddr.
		raw = &tcpAddrConn{Conn: raw, remote: tcpAddr(address)}
	}
	s.mu.Lock()
	s.control = raw
	s.mu.Unlock()
	if deadline, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(deadline) // a failure shows up as an I/O error
	}
	if t.security == implicitTLS {
		return tls.Client(raw, s.tls), nil
	}
	// Plain, or explicit TLS: the client library upgrades the control
	// connection itself after AUTH TLS.
	return raw, nil
}

// dialData opens a data connection. It connects to the control
// connection's host whatever address the server's PASV reply named: a
// server behind NAT often names an address the client cannot reach, and a
// hostile one could name a third party.
func (s *session) dialData(cfg *config, t *target, network, address string) (net.Conn, error) {
	_, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	address = net.JoinHostPort(t.host, port)
	ctx := context.Background()
	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	raw, err := cfg.dialer(ctx, network, address)
	if err != nil {
		return nil, err
	}
	var conn net.Conn = raw
	if s.tls != nil {
		// The handshake happens on first use: some servers start TLS on
		// the data connection only once they have the command.
		conn = &tlsDataConn{Conn: tls.Client(raw, s.tls)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.capture != nil {
		return &captureConn{Conn: conn, buf: s.capture, failed: &s.captureErr}, nil
	}
	s.data = &dataConn{Conn: conn, timeout: s.timeout}
	return s.data, nil
}

// takeSent returns how many bytes the last transfer's data connection
// wrote, and forgets that connection.
func (s *session) takeSent() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data == nil {
		return 0
	}
	n := s.data.written
	s.data = nil
	return n
}

// tlsDataConn closes a TLS data connection so that the server sees the
// end of an upload: TLS 1.3 servers send session tickets the uploader never
// reads, and closing a socket with unread data resets it, which servers
// (vsftpd) report as a failed upload. After writing, Close sends
// close_notify and reads what is left (a little) before it closes.
type tlsDataConn struct {
	*tls.Conn
	wrote bool
}

// drainLimit bounds what Close reads after an upload.
const drainLimit = 64 << 10

func (c *tlsDataConn) Write(p []byte) (int, error) {
	c.wrote = true
	return c.Conn.Write(p)
}

// Handshake is called by the client library for an empty upload, which
// has no Write.
func (c *tlsDataConn) Handshake() error {
	c.wrote = true
	return c.Conn.Handshake()
}

func (c *tlsDataConn) Close() error {
	if c.wrote {
		if err := c.Conn.CloseWrite(); err == nil {
			_ = c.Conn.SetReadDeadline(time.Now().Add(5 * time.Second))    // a failure ends the drain early
			_, _ = io.Copy(io.Discard, io.LimitReader(c.Conn, drainLimit)) // only to empty the socket
		}
	}
	return c.Conn.Close()
}

// captureConn copies what it reads into buf: it gives us the raw bytes of
// a listing, which the client library parses (and drops lines of) itself.
// It also keeps the first error of the connection itself (a reset, a
// timeout), which the server's reply may not show.
type captureConn struct {
	net.Conn
	buf    *bytes.Buffer
	failed *error
}

func (c *captureConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.buf.Write(p[:n])
	if err != nil && err != io.EOF && *c.failed == nil {
		*c.failed = err
	}
	return n, err
}

// list returns the raw listing of dir and whether it is MLSD output.
func (s *session) list(ctx context.Context, dir string) ([]byte, bool, error) {
	var buf bytes.Buffer
	s.mu.Lock()
	s.capture, s.captureErr = &buf, nil
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.capture = nil
		s.mu.Unlock()
	}()
	arg := dir
	if !s.mlsd && s.mode == listDefault {
		arg = "-a " + dir // ForceListHidden is set only for listLIST sessions
	}
	s.tap.takeLast226()
	err := s.runTransfer(ctx, func() error {
		_, err := s.conn.List(arg)
		return err
	})
	command := "LIST"
	if s.mlsd {
		command = "MLSD"
	}
	s.mu.Lock()
	dataErr := s.captureErr
	s.mu.Unlock()
	if dataErr == nil && err == nil && buf.Len() > 0 && !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
		// Every listing line ends with a line break: the data connection
		// was cut in the middle of one.
		dataErr = fmt.Errorf("ends in the middle of a line: %w", io.ErrUnexpectedEOF)
	}
	if dataErr != nil {
		// The data connection broke: whatever the server replied, the
		// listing is incomplete. As a connection error it is retried.
		return nil, s.mlsd, fmt.Errorf("listing's data connection: %w", dataErr)
	}
	if err == nil {
		if reply := s.tap.takeLast226(); strings.Contains(strings.ToLower(reply), "truncated") {
			// pure-ftpd stops at 10,000 entries (its -L option) and says
			// so only in its final reply.
			err = &ListingTruncatedError{Reply: reply}
		}
	}
	return buf.Bytes(), s.mlsd, asReply(command, err)
}

// run runs one exchange with the server under the session's deadline:
// the context's, or the per-command timeout, whichever comes first. A
// cancelled context aborts the exchange at once.
func (s *session) run(ctx context.Context, exchange func() error) error {
	deadline := time.Time{}
	if s.timeout > 0 {
		deadline = time.Now().Add(s.timeout)
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	if err := s.control.SetDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, s.abort)
	err := exchange()
	if !stop() && ctx.Err() != nil {
		// The context ended the exchange: report that, not the I/O error.
		err = errors.Join(ctx.Err(), err)
	}
	s.lastUsed = time.Now()
	return err
}

// runTransfer runs an exchange that opens a data connection (RETR, STOR,
// APPE, a listing). A server that answers 425 could not open the data
// connection (a busy server's passive ports run out), so no byte moved
// and the exchange is tried again, up to dataRetries times, 10, 40 and
// 160 ms apart.
func (s *session) runTransfer(ctx context.Context, exchange func() error) error {
	for attempt := 0; ; attempt++ {
		err := s.run(ctx, exchange)
		if replyCode(err) != 425 || attempt == dataRetries || !pause(ctx, attempt) {
			return err
		}
	}
}

// dataRetries bounds how often an exchange refused with 425 is tried
// again.
const dataRetries = 3

// pause waits a little longer after each attempt (10, 40, 160 ms) and
// reports whether ctx let it.
func pause(ctx context.Context, attempt int) bool {
	timer := time.NewTimer(10 * time.Millisecond << (2 * attempt))
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// abort makes every blocked read and write on the control connection fail
// at once.
func (s *session) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.control != nil {
		_ = s.control.SetDeadline(time.Unix(1, 0)) // the I/O error reports it
	}
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

// close ends the session politely, within a short time.
func (s *session) close() {
	if s.control != nil {
		_ = s.control.SetDeadline(time.Now().Add(2 * time.Second))
	}
	if s.conn != nil {
		_ = s.conn.Quit() // nothing to do about a failed goodbye
	}
}

// broken reports whether err means the control connection cannot be used
// again: anything but an FTP reply, or the reply 421 (service closing).
func broken(err error) bool {
	if err == nil {
		return false
	}
	var tp *textproto.Error
	var r *ReplyError
	var truncated *ListingTruncatedError
	switch {
	case errors.As(err, &truncated):
		return false
	case errors.As(err, &r):
		return r.Code == 421
	case errors.As(err, &tp):
		return tp.Code == 421
	}
	return true
}

// retryBusy dials again, a few times over about a second, while the
// server greets with 421 ("too many connections"): a server that counts
// connections per client may not yet have counted off one just closed.
func retryBusy(ctx context.Context, dial func() error) error {
	wait := 10 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := dial()
		if replyCode(err) != 421 || attempt == 6 {
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
// to PASS as a textproto error, and other refusals as plain text.
func loginError(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return &ReplyError{Code: tp.Code, Message: tp.Msg, Command: "PASS", kind: ErrLogin}
	}
	return errors.Join(ErrLogin, err)
}
