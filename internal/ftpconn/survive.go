package ftpconn

import (
	"errors"
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
