package ftpfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
)

// isStalled reports whether err is a data connection that stalled for the
// timeout. A stall is never tried again: it already took the whole
// timeout, and a call must not wait longer than its timeout plus one
// reconnect.
func isStalled(err error) bool {
	var stalled *ftpconn.StalledError
	return errors.As(err, &stalled)
}

// verifyTransfer checks a transfer of p whose final reply was lost (a
// *ftpconn.FinalReplyLostError: every byte moved, then the control
// connection broke or timed out), on a fresh connection, before anything
// is reported: the server holds size bytes (SIZE, or the listing where the
// server has no SIZE) or the transfer failed. A transfer that checks out
// is a success; err is returned as it is when it is no lost reply. While
// the file is short, it asks again for what is left of the timeout after
// the wait for the reply (the last bytes may still be on their way): the
// whole costs at most the timeout and one reconnect.
func (f *Fs) verifyTransfer(p string, size int64, err error) error {
	var lost *ftpconn.FinalReplyLostError
	if !errors.As(err, &lost) || f.ctx.Err() != nil {
		return err
	}
	got, verr := f.sizeOf(p)
	// The bytes sent may still be on their way: the control connection
	// can break before the data connection's last bytes reach the server.
	// Ask again, a little later each time, while the file is short, for
	// what is left of the timeout.
	wait := 50 * time.Millisecond
	for deadline := time.Now().Add(f.cfg.timeout - lost.Waited); verr == nil && got < size && time.Now().Before(deadline); wait = min(2*wait, time.Second) {
		select {
		case <-time.After(min(wait, time.Until(deadline))):
		case <-f.ctx.Done():
			return err
		}
		got, verr = f.sizeOf(p)
	}
	switch {
	case verr != nil:
		return errors.Join(err, fmt.Errorf("verifying the transfer: %w", verr))
	case got != size:
		return fmt.Errorf("%w; the server holds %d of the %d bytes: %w", err, got, size, io.ErrUnexpectedEOF)
	}
	f.cfg.logger.Info("ftpfs: final reply lost; the transfer was verified", "path", p, "size", size, "error", err)
	return nil
}

// sizeOf asks the server the size of the file p, on a fresh connection:
// SIZE, or a fresh listing of its directory where the server has no SIZE.
func (f *Fs) sizeOf(p string) (int64, error) {
	var size int64
	err := f.withSession(query, func(ctx context.Context, s *ftpconn.Session) (err error) {
		size, err = s.Size(ctx, p)
		return err
	})
	if err == nil || !errors.Is(err, errors.ErrUnsupported) {
		return size, err
	}
	f.changed(p, entryOnly) // a listing from before the transfer would not do
	e, err := f.lookup(p)
	if err != nil {
		return 0, err
	}
	return e.Size, nil
}
