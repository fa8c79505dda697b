package ftpconn

import (
	"context"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// Reply is a server's positive reply to a raw command.
type Reply struct {
	Code    int
	Message string // lines joined with "\n"
}

// Command sends one raw command that opens no data connection (SITE,
// STAT, HELP, …) and returns the server's reply: a positive one (1xx to
// 3xx) as a Reply, a negative one as a *ReplyError. One round trip.
func (s *Session) Command(ctx context.Context, line string) (Reply, error) {
	verb, _, _ := strings.Cut(line, " ")
	verb = strings.ToUpper(verb)
	var r Reply
	line, err := s.names.encode(line)
	if err != nil {
		return r, err
	}
	err = s.run(ctx, verb, func() (err error) {
		r.Code, r.Message, err = s.ctl.exchange(0, line)
		return err
	})
	if err == nil && r.Code >= 400 {
		err = asReply(verb, &textproto.Error{Code: r.Code, Msg: r.Message})
	}
	return r, err
}

// Pwd returns the working directory. One round trip.
func (s *Session) Pwd(ctx context.Context) (string, error) {
	var dir string
	err := s.run(ctx, "PWD", func() (err error) { dir, err = s.conn.CurrentDir(); return err })
	if err != nil {
		return "", err
	}
	return s.names.decode([]byte(dir))
}

// Noop checks that the session still works. One round trip.
func (s *Session) Noop(ctx context.Context) error {
	return s.run(ctx, "NOOP", s.conn.NoOp)
}

// Mkdir makes a directory (MKD). One round trip.
func (s *Session) Mkdir(ctx context.Context, p string) error {
	p, err := s.names.encode(p)
	if err != nil {
		return err
	}
	return s.run(ctx, "MKD", func() error { return s.conn.MakeDir(p) })
}

// Rmdir removes an empty directory (RMD). One round trip.
func (s *Session) Rmdir(ctx context.Context, p string) error {
	p, err := s.names.encode(p)
	if err != nil {
		return err
	}
	return s.run(ctx, "RMD", func() error { return s.conn.RemoveDir(p) })
}

// Delete removes a file (DELE). One round trip.
func (s *Session) Delete(ctx context.Context, p string) error {
	p, err := s.names.encode(p)
	if err != nil {
		return err
	}
	return s.run(ctx, "DELE", func() error { return s.conn.Delete(p) })
}

// Rename renames from to to (RNFR, RNTO). Two round trips.
func (s *Session) Rename(ctx context.Context, from, to string) error {
	from, err := s.names.encode(from)
	if err != nil {
		return err
	}
	to, err = s.names.encode(to)
	if err != nil {
		return err
	}
	return s.run(ctx, "RNFR/RNTO", func() error { return s.conn.Rename(from, to) })
}

// Size returns a file's size in bytes (SIZE, RFC 3659). One round trip;
// none, and an error matching errors.ErrUnsupported, on a server known
// not to have SIZE.
func (s *Session) Size(ctx context.Context, p string) (int64, error) {
	if s.server.isRefused("SIZE") {
		return 0, &unsupportedError{"SIZE"}
	}
	p, err := s.names.encode(p)
	if err != nil {
		return 0, err
	}
	var r Reply
	err = s.run(ctx, "SIZE", func() (err error) {
		r.Code, r.Message, err = s.ctl.exchange(213, "SIZE "+p)
		return err
	})
	if err != nil {
		s.server.refuse("SIZE", err)
		return 0, err
	}
	// Decimal only: "010" is ten bytes, not octal eight.
	size, err := strconv.ParseInt(strings.TrimSpace(r.Message), 10, 64)
	if err != nil || size < 0 {
		return 0, fmt.Errorf("ftp: SIZE: bad reply %q", r.Message)
	}
	return size, nil
}

// SetTime sets a file's modification time (MFMT, or MDTM with a time on
// servers without MFMT). One round trip; none, and an error matching
// errors.ErrUnsupported, on a server that has neither.
func (s *Session) SetTime(ctx context.Context, p string, t time.Time) error {
	if !s.conn.IsSetTimeSupported() || s.server.isRefused("MFMT") {
		return &unsupportedError{"MFMT"}
	}
	p, err := s.names.encode(p)
	if err != nil {
		return err
	}
	err = s.run(ctx, "MFMT", func() error { return s.conn.SetTime(p, t) })
	s.server.refuse("MFMT", err)
	return err
}

// Site sends "SITE <args>" (SITE CHMOD, …) and expects a 2xx reply. One
// round trip; none, and an error matching errors.ErrUnsupported, once the
// server refused that SITE command as unknown.
func (s *Session) Site(ctx context.Context, args string) error {
	sub, _, _ := strings.Cut(args, " ")
	key := "SITE " + strings.ToUpper(sub)
	if s.server.isRefused(key) {
		return &unsupportedError{key}
	}
	r, err := s.Command(ctx, "SITE "+args)
	if err == nil && r.Code/100 != 2 {
		err = asReply("SITE", &textproto.Error{Code: r.Code, Msg: r.Message})
	}
	s.server.refuse(key, err)
	return err
}

// Store uploads r to p, from its start (STOR) or at its end (APPE), and
// returns the bytes sent and the server's verdict. A refused command is a
// *ReplyError; a data connection that stalls for the timeout is a
// *StalledError.
func (s *Session) Store(ctx context.Context, p string, r io.Reader, appending bool) (int64, error) {
	command := "STOR"
	if appending {
		command = "APPE"
	}
	p, err := s.names.encode(p)
	if err != nil {
		return 0, err
	}
	src := &eofReader{r: r}
	err = s.runTransfer(ctx, command, func() error {
		if appending {
			return s.conn.Append(p, src)
		}
		return s.conn.Stor(p, src)
	})
	var sent int64
	d := s.takeData()
	if d != nil {
		sent = d.written
	}
	if err != nil && src.eof && d != nil && d.writeErr == nil && d.closed && d.closeErr == nil {
		err = lostReply(ctx, command, sent, d.closedAt, err)
	}
	return sent, err
}
