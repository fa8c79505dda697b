package ftpconn

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/jlaffaye/ftp"
)

// Download is a file transfer from the server (RETR) in progress. The
// client library's Response cannot report a short transfer by itself:
// only the final reply, which Close returns, tells a complete transfer
// from a cut one, so a reader must call Close before it trusts io.EOF.
type Download struct {
	s    *Session
	resp *ftp.Response
	stop func() bool // ends the watch on the context
	ctx  context.Context
	read int64     // bytes read
	eof  bool      // the data connection ended cleanly (io.EOF)
	end  time.Time // when it did
}

// Retr starts a download of p at offset (REST, then RETR). ctx bounds
// the start, and, until Close, every read: when it ends, the transfer
// fails at once. Each read waits at most the timeout for data
// (a *StalledError). One or two round trips and a data connection.
func (s *Session) Retr(ctx context.Context, p string, offset int64) (*Download, error) {
	p, err := s.names.encode(p)
	if err != nil {
		return nil, err
	}
	var resp *ftp.Response
	err = s.runTransfer(ctx, "RETR", func() (err error) {
		resp, err = s.conn.RetrFrom(p, uint64(offset))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Download{s: s, resp: resp, stop: context.AfterFunc(ctx, s.abort), ctx: ctx}, nil
}

func (d *Download) Read(p []byte) (int, error) {
	n, err := d.resp.Read(p)
	d.read += int64(n)
	switch {
	case err == io.EOF && !d.eof:
		d.eof, d.end = true, time.Now()
	case err != nil && err != io.EOF && d.ctx.Err() != nil:
		err = errors.Join(d.ctx.Err(), err) // the context ended the transfer
	}
	return n, err
}

// WriteTo copies the rest of the transfer to w with a pooled buffer.
func (d *Download) WriteTo(w io.Writer) (int64, error) { return CopyBuffered(w, d) }

// Close ends the transfer and returns the server's final reply: nil for
// 226, a *ReplyError for a transfer the server says failed.
func (d *Download) Close() error {
	defer d.done()
	err := asReply("RETR", d.resp.Close())
	if err != nil && d.eof {
		err = lostReply(d.ctx, "RETR", d.read, d.end, err)
	}
	return err
}

// done ends the watch on the context and forgets the data connection.
func (d *Download) done() {
	d.stop()
	d.s.takeData()
}

// Ending a transfer early.
const (
	// drainBelow: a transfer with less than this left is read to its
	// end rather than cut: cheaper than the server's complaint, and some
	// servers (pure-ftpd over TLS) never answer a cut transfer.
	drainBelow = 256 << 10
	// cutShortWait bounds the wait for the reply to a cut transfer; a
	// session that gives none is not reused.
	cutShortWait = 2 * time.Second
)

// Abandon ends a transfer the reader no longer wants, with left bytes
// still to come (as far as the caller knows; -1 when unknown), and
// reports whether the session must not be reused.
func (d *Download) Abandon(left int64) (broken bool) {
	defer d.done()
	if left >= 0 && left < drainBelow {
		n, err := io.Copy(io.Discard, io.LimitReader(d.resp, drainBelow))
		if err == nil && n < drainBelow { // reached the end
			return Broken(d.resp.Close())
		}
	}
	_ = d.resp.SetDeadline(time.Unix(1, 0)) // stop the data connection at once; errors are expected
	timer := time.AfterFunc(cutShortWait, d.s.abort)
	err := d.resp.Close()
	timer.Stop()
	return cutShortBroken(err)
}

// cutShortBroken reports whether a session whose transfer was cut short
// must not be reused: the reply to a cut transfer is a complaint (426,
// 450, 451, 550) or a late 226; anything else means the connection may be
// out of step with its replies.
func cutShortBroken(err error) bool {
	if err == nil {
		return false
	}
	switch Code(err) {
	case 426, 450, 451, 550:
		return false
	}
	return true
}
