package ftpfs

import (
	"errors"

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
