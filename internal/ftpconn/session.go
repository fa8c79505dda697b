package ftpconn

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/jlaffaye/ftp"
)

// ListMode is what a session lists with. The client library fixes it
// when it logs in, so the pool keeps sessions of each mode apart.
type ListMode uint8

// The list modes.
const (
	ListDefault ListMode = iota // MLSD where the server has it, else LIST
	ListLIST                    // always LIST: for link targets, which MLSD leaves out
)

// Session is one logged-in control connection. It is not safe for
// concurrent use: the Pool hands it to one caller at a time. Every method
// runs under a deadline (the Config's Timeout, or ctx's, whichever comes
// first) and returns a server's refusal as a *ReplyError naming the
// command.
type Session struct {
	conn   *ftp.ServerConn
	ctl    *control
	tcp    net.Conn    // the TCP connection under the control channel
	tls    *tls.Config // this session's own clone; nil for plain FTP
	cfg    *Config
	mode   ListMode
	server *Server // what is known of the server, shared by its sessions
	names  codec   // the encoding of names on the wire
	used   time.Time

	mu      sync.Mutex // guards data and capture: the dial function runs inside the client library
	data    *dataConn  // the data connection of the transfer in progress
	capture bool       // the next data connection is a listing's
}

// run runs one exchange with the server under the session's deadline:
// the context's, or the per-command timeout, whichever comes first. A
// cancelled context aborts the exchange at once, data connection
// included. command names the exchange in errors.
func (s *Session) run(ctx context.Context, command string, exchange func() error) error {
	deadline := time.Time{}
	if s.cfg.Timeout > 0 {
		deadline = time.Now().Add(s.cfg.Timeout)
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	if s.ctl != nil && s.ctl.doomed.Load() {
		return errDoomed
	}
	if err := s.tcp.SetDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, s.abort)
	err := exchange()
	if !stop() && ctx.Err() != nil {
		// The context ended the exchange: report that, not the I/O error.
		err = errors.Join(ctx.Err(), err)
	}
	s.used = time.Now()
	return asReply(command, err)
}

// runTransfer runs an exchange that opens a data connection (RETR, STOR,
// APPE, a listing). A server that answers 425 could not open the data
// connection (a busy server's passive ports run out), so no byte moved
// and the exchange is tried again, up to dataRetries times, 10, 40 and
// 160 ms apart.
func (s *Session) runTransfer(ctx context.Context, command string, exchange func() error) error {
	for attempt := 0; ; attempt++ {
		err := s.run(ctx, command, exchange)
		if Code(err) != 425 || attempt == dataRetries || !pause(ctx, attempt) {
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

// abort makes every blocked read and write of the session fail at once:
// the control connection's and the data connection's.
func (s *Session) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctl != nil {
		s.ctl.doom()
	}
	if s.tcp != nil {
		_ = s.tcp.SetDeadline(time.Unix(1, 0)) // the I/O error reports it
	}
	if s.data != nil {
		s.data.expire()
	}
}

// Close ends the session politely (QUIT), within a short time.
func (s *Session) Close() {
	if s.tcp != nil {
		_ = s.tcp.SetDeadline(time.Now().Add(2 * time.Second))
	}
	if s.conn != nil {
		_ = s.conn.Quit() // nothing to do about a failed goodbye
	}
}

// Idle returns how long the session has not talked to the server.
func (s *Session) Idle() time.Duration { return time.Since(s.used) }
