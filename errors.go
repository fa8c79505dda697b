package ftpfs

import (
	"errors"
	"fmt"
	"io/fs"
	"net/textproto"
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
// errors.Is matches a ReplyError against the io/fs sentinels it stands
// for: errors.ErrUnsupported for 500, 502 and 504; fs.ErrPermission for
// 530 and 532; fs.ErrInvalid for 553. A 550 or 450 reply means different
// things on different servers ("no such file", "permission denied", "file
// exists"), so the Fs checks the parent directory's listing before it
// says which, and records its finding in the error.
type ReplyError struct {
	Code    int    // the reply code, such as 550
	Message string // the server's text
	Command string // the command verb that was refused, such as "RETR"

	kind error // the io/fs sentinel this reply was found to mean, if any
}

// Error returns "ftp: RETR: 550 No such file or directory".
func (e *ReplyError) Error() string {
	return fmt.Sprintf("ftp: %s: %d %s", e.Command, e.Code, e.Message)
}

// Is reports whether the reply means target: one of fs.ErrNotExist,
// fs.ErrExist, fs.ErrPermission, fs.ErrInvalid or errors.ErrUnsupported.
func (e *ReplyError) Is(target error) bool {
	if e.kind != nil && target == e.kind {
		return true
	}
	switch e.Code {
	case 500, 502, 504:
		return target == errors.ErrUnsupported
	case 530, 532:
		return target == fs.ErrPermission
	case 553:
		return target == fs.ErrInvalid
	}
	return false
}

// Temporary reports whether the reply is a transient negative completion
// (4xx), which RFC 959 says may succeed if tried again. It says nothing of
// whether the Fs retries: see the package documentation.
func (e *ReplyError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// Unwrap returns the reply as a *textproto.Error.
func (e *ReplyError) Unwrap() error { return &textproto.Error{Code: e.Code, Msg: e.Message} }

// asReply turns a *textproto.Error from the FTP client into a ReplyError
// for command; any other error is returned as it is.
func asReply(command string, err error) error {
	var tp *textproto.Error
	if err == nil || !errors.As(err, &tp) {
		return err
	}
	msg := tp.Msg
	if len(msg) > maxReplyText {
		msg = msg[:maxReplyText] + "…"
	}
	return &ReplyError{Code: tp.Code, Message: msg, Command: command}
}

// maxReplyText bounds the server's text kept in a ReplyError: a hostile
// server may send megabytes.
const maxReplyText = 1024

// replyCode returns the FTP reply code in err, or 0.
func replyCode(err error) int {
	var r *ReplyError
	if errors.As(err, &r) {
		return r.Code
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	return 0
}

// isAmbiguous reports whether err is a reply whose meaning depends on the
// server: 450 and 550 ("file unavailable").
func isAmbiguous(err error) bool {
	code := replyCode(err)
	return code == 450 || code == 550
}

// withKind records what an ambiguous reply was found to mean.
func withKind(err error, kind error) error {
	var r *ReplyError
	if errors.As(err, &r) {
		r.kind = kind
		return err
	}
	return fmt.Errorf("%w: %w", kind, err)
}

// ErrLogin is matched (with errors.Is) by the error Dial returns when the
// server refuses the user name or password.
var ErrLogin = errors.New("ftpfs: login refused")

// ListingTruncatedError reports a listing the server cut short, as its
// final reply said. ReadDir returns it with the entries it did receive.
type ListingTruncatedError struct {
	Reply string // the server's final reply, such as "226 Output truncated to 10000 matches"
}

// Error names the server's reply.
func (e *ListingTruncatedError) Error() string {
	return "ftpfs: the server cut the listing short: " + e.Reply
}

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
	errClosedFs     = fmt.Errorf("ftpfs: file system is closed: %w", fs.ErrClosed)
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
