package ftpfs

import (
	"errors"
	"fmt"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// ReplyError is an FTP server's negative reply to a command. The Fs wraps
// it in an *fs.PathError (or an *os.LinkError for Rename), so find it with
// errors.As:
//
//	var reply *ftpfs.ReplyError
//	if errors.As(err, &reply) && reply.Code == 553 { … }
//
// Its fields are Code (such as 550), Message (the server's text) and
// Command (the verb refused, such as "RETR"); Error returns "ftp: RETR:
// 550 No such file or directory". errors.Is matches a ReplyError against
// the io/fs sentinels it stands for: errors.ErrUnsupported for 500, 502
// and 504; fs.ErrPermission for 530 and 532; fs.ErrInvalid for 553. A
// 550 or 450 reply (or 501 to a listing, 553 to an upload) means
// different things on different servers ("no such file", "permission
// denied", "file exists"), so the Fs checks the parent directory's
// listing before it says which, and records its finding in the error.
// Temporary reports a 4xx reply, which RFC 959 says may succeed if tried
// again; it says nothing of whether the Fs retries.
type ReplyError = ftpconn.ReplyError

// ErrLogin is matched (with errors.Is) by the error Dial returns when the
// server refuses the user name or password.
var ErrLogin = ftpconn.ErrLogin

// ErrTLS is matched (with errors.Is) by the error Dial returns when TLS
// cannot be set up: the server refused AUTH TLS (it has no TLS), or its
// certificate is not trusted (the error wraps the x509 error; pass your
// CA with WithTLSConfig). It is never ErrLogin.
var ErrTLS = ftpconn.ErrTLS

// ListingTruncatedError reports a listing the server cut short, as its
// final reply said. ReadDir returns it with the entries it did receive.
// Its Reply field is the server's final reply, such as "226 Output
// truncated to 10000 matches".
type ListingTruncatedError = ftpconn.ListingTruncatedError

// StalledError reports a transfer or listing whose data connection
// moved no byte for the Fs's timeout (WithTimeout). It is a timeout:
// os.IsTimeout and its Timeout method say so.
type StalledError = ftpconn.StalledError

// replyCode returns the FTP reply code in err, or 0.
func replyCode(err error) int { return ftpconn.Code(err) }

// isAmbiguous reports whether err is a reply whose meaning depends on the
// server: 450 and 550 ("file unavailable"), 501 (what some servers
// answer MLSD of a missing directory), 553 (what some answer STOR into a
// missing directory) and 451 (pure-ftpd's "Rename/move failure: No such
// file or directory").
func isAmbiguous(err error) bool {
	switch replyCode(err) {
	case 450, 451, 550, 501, 553:
		return true
	}
	return false
}

// withKind records what an ambiguous reply was found to mean.
func withKind(err, kind error) error { return ftpconn.Classified(err, kind) }

// TimeShiftError reports a time shift that is not a multiple of 15
// minutes within ±24 hours.
type TimeShiftError struct {
	Shift time.Duration
}

// Error says what the shift should have been.
func (e *TimeShiftError) Error() string {
	return fmt.Sprintf("ftpfs: time shift %v is not a multiple of 15 minutes within ±24h", e.Shift)
}

// Errors for what FTP cannot do or the Fs refuses before any I/O.
var (
	errLinkLoop     = errors.New("too many levels of symbolic links")
	errReadWrite    = fmt.Errorf("ftp cannot open a file for reading and writing at once: %w", errors.ErrUnsupported)
	errPartialWrite = fmt.Errorf("ftp can only replace a whole file or append to it: %w", errors.ErrUnsupported)
	errBadName      = fmt.Errorf("name contains NUL, CR or LF: %w", fs.ErrInvalid)
	errClosedFs     = ftpconn.ErrClosed
	errRemoveBase   = fmt.Errorf("cannot remove the base directory: %w", fs.ErrPermission)
	errNotDir       = syscall.ENOTDIR
	errIsDir        = syscall.EISDIR
	errNotEmpty     = syscall.ENOTEMPTY
)

// pathErr builds the *fs.PathError every method returns.
func pathErr(op, name string, err error) error {
	if err == nil {
		return nil
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// linkErr builds the *os.LinkError that Rename returns.
func linkErr(oldname, newname string, err error) error {
	if err == nil {
		return nil
	}
	return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: err}
}

// ExhaustedError is what a call returns when it needed a connection while
// every connection the Fs may open (WithMaxConns) was held, and none came
// back for the Fs's timeout (WithTimeout): files left open hold them. It
// names the number held; it is a timeout (os.IsTimeout). Close files, or
// raise WithMaxConns.
type ExhaustedError = ftpconn.ExhaustedError
