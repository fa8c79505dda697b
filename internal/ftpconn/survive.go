package ftpconn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// A session whose data connection stalled, or whose call's context
// ended, is doomed: its control connection's deadline stays in the past,
// whatever the client library sets afterwards. The library waits for the
// final reply of a transfer after the data connection ends, and renews the
// deadline for it (its ShutTimeout): without this, a stalled upload, whose
// server never saw the end of the data, or a cancelled call, would wait
// one more timeout for a reply that cannot come. A doomed session is
// never reused: its next exchange fails as a connection error (Broken).

// expiredDeadline is a deadline long past.
var expiredDeadline = time.Unix(1, 0)

// doom makes every later read and write of the control connection fail.
func (c *control) doom() {
	c.doomed.Store(true)
	_ = c.Conn.SetDeadline(expiredDeadline) // the I/O error reports it
}

// SetDeadline sets the control connection's deadline, unless it is
// doomed.
func (c *control) SetDeadline(t time.Time) error {
	if c.doomed.Load() {
		t = expiredDeadline
	}
	return c.Conn.SetDeadline(t)
}

// SetReadDeadline is SetDeadline for reads.
func (c *control) SetReadDeadline(t time.Time) error {
	if c.doomed.Load() {
		t = expiredDeadline
	}
	return c.Conn.SetReadDeadline(t)
}

// SetWriteDeadline is SetDeadline for writes.
func (c *control) SetWriteDeadline(t time.Time) error {
	if c.doomed.Load() {
		t = expiredDeadline
	}
	return c.Conn.SetWriteDeadline(t)
}

// isDoomed reports whether the session was given up (see doom).
func (s *Session) isDoomed() bool {
	return s.ctl != nil && s.ctl.doomed.Load()
}

// dataStalled is called when the data connection of the transfer in
// progress stalled: the transfer failed, and waiting for its final reply
// could only add a timeout, so the session is doomed.
func (s *Session) dataStalled() {
	s.mu.Lock()
	ctl, tcp := s.ctl, s.tcp
	s.mu.Unlock()
	if ctl != nil {
		ctl.doom()
	}
	if tcp != nil {
		_ = tcp.SetDeadline(expiredDeadline) // the I/O error reports it
	}
}

// errDoomed is what an exchange on a doomed session returns.
var errDoomed = errors.New("ftp: connection given up after a stalled or cancelled transfer")

// FinalReplyLostError reports a transfer whose data connection moved all
// its bytes and ended cleanly, but whose final reply (226) never came: the
// control connection broke or timed out meanwhile, as when a NAT or a
// firewall drops a control connection left idle during a long transfer.
// The transfer may well have succeeded: the caller verifies it (SIZE, or
// the listing) on another connection before it reports anything. It is a
// connection error (Broken): the session is not reused.
type FinalReplyLostError struct {
	Command string // "RETR", "STOR" or "APPE"
	Moved   int64  // the bytes the data connection moved
	Err     error  // why the reply was not read
	// Waited is how long the reply was waited for after the data
	// connection ended: a caller that verifies has the rest of the
	// timeout for it.
	Waited time.Duration
}

func (e *FinalReplyLostError) Error() string {
	return fmt.Sprintf("ftp: %s: all %d bytes moved, but the final reply was lost: %v", e.Command, e.Moved, e.Err)
}

func (e *FinalReplyLostError) Unwrap() error { return e.Err }

// lostReply names err a lost final reply, if it is one: no reply at
// all (a connection error, not a server's verdict), and not the end of
// the call's context. The data connection's side was checked by the
// caller.
func lostReply(ctx context.Context, command string, moved int64, since time.Time, err error) error {
	if Code(err) != 0 || ctx.Err() != nil || errors.Is(err, errDoomed) {
		return err
	}
	var stalled *StalledError
	if errors.As(err, &stalled) {
		return err
	}
	return &FinalReplyLostError{Command: command, Moved: moved, Err: err, Waited: time.Since(since)}
}

// Close closes the data connection and records how that went. A
// connection that failed, stalled or was expired is closed at once: a TLS
// close_notify, or the drain after an upload, could only wait on a
// connection that moves nothing (up to 5 s each).
func (c *dataConn) Close() error {
	var err error
	if t, ok := c.Conn.(*tlsDataConn); ok && (c.failed != nil || c.writeErr != nil || c.expired.Load()) {
		err = t.NetConn().Close()
	} else {
		err = c.Conn.Close()
	}
	c.closed, c.closeErr, c.closedAt = true, err, time.Now()
	return err
}

// eofReader records that its reader reached io.EOF: an upload's source
// was sent whole.
type eofReader struct {
	r   io.Reader
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.eof = true
	}
	return n, err
}

// keepAlive turns TCP keepalive on for a control connection, probing
// after 15 s of silence and then every 15 s: a long transfer leaves the
// control connection idle, and NATs and firewalls drop idle connections
// (often after a few minutes). A connection that is not TCP (a custom
// dialer's) is left as it is.
func keepAlive(c net.Conn) {
	type keepAliver interface {
		SetKeepAliveConfig(net.KeepAliveConfig) error
	}
	if tc, ok := c.(keepAliver); ok {
		_ = tc.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: 15 * time.Second, Interval: 15 * time.Second, Count: 4}) // best effort
	}
}
