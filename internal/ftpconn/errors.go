package ftpconn

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/textproto"
	"time"
)

// ReplyError is an FTP server's negative reply to a command. The root
// package documents it (as ftpfs.ReplyError, an alias); every Session
// method returns its refusals as one, tagged with the command's verb.
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
// 500, 502 and 504 mean errors.ErrUnsupported; 530 and 532
// fs.ErrPermission; 553 fs.ErrInvalid; other replies mean what the Fs
// found them to mean (see Classified).
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
		return e.kind == nil && target == fs.ErrInvalid
	}
	return false
}

// Temporary reports whether the reply is a transient negative completion
// (4xx), which RFC 959 says may succeed if tried again.
func (e *ReplyError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// Unwrap returns the reply as a *textproto.Error, and the kind found.
func (e *ReplyError) Unwrap() []error {
	errs := []error{&textproto.Error{Code: e.Code, Msg: e.Message}}
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	return errs
}

// Classified records in err what an ambiguous reply was found to mean
// (fs.ErrNotExist for a 550 whose name the parent's listing lacks, say),
// so that errors.Is(err, kind) holds. An err without a reply is joined
// with kind.
func Classified(err, kind error) error {
	var r *ReplyError
	if errors.As(err, &r) {
		r.kind = kind
		return err
	}
	return fmt.Errorf("%w: %w", kind, err)
}

// asReply turns a *textproto.Error from the FTP client into a ReplyError
// for command; io.EOF (the control connection closed mid-command) becomes
// io.ErrUnexpectedEOF, so that it is never taken for the end of a file;
// any other error is returned as it is.
func asReply(command string, err error) error {
	var tp *textproto.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tp):
		msg := tp.Msg
		if len(msg) > maxReplyText {
			msg = msg[:maxReplyText] + "…"
		}
		return &ReplyError{Code: tp.Code, Message: msg, Command: command}
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%s: connection closed: %w", command, io.ErrUnexpectedEOF)
	}
	return err
}

// maxReplyText bounds the server's text kept in a ReplyError: a hostile
// server may send megabytes.
const maxReplyText = 1024

// Code returns the FTP reply code in err, or 0.
func Code(err error) int {
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

// Broken reports whether err means the session cannot be used again:
// anything but an FTP reply, or the reply 421 (service closing).
func Broken(err error) bool {
	if err == nil {
		return false
	}
	var truncated *ListingTruncatedError
	if errors.As(err, &truncated) {
		return false
	}
	var unsupported *unsupportedError
	if errors.As(err, &unsupported) {
		return false
	}
	var badName *EncodingError // found before anything was sent
	if errors.As(err, &badName) {
		return false
	}
	if code := Code(err); code != 0 {
		return code == 421
	}
	return true
}

// ErrLogin is matched by the error Dial returns when the server refuses
// the user name or password.
var ErrLogin = errors.New("ftpfs: login refused")

// ErrTLS is matched by the error Dial returns when TLS could not be set
// up: the server refused AUTH TLS, or its certificate was not trusted.
var ErrTLS = errors.New("ftpfs: TLS with the server failed")

// ListingTruncatedError reports a listing the server cut short, as its
// final reply said.
type ListingTruncatedError struct {
	Reply string // the server's final reply, such as "226 Output truncated to 10000 matches"
}

// Error names the server's reply.
func (e *ListingTruncatedError) Error() string {
	return "ftpfs: the server cut the listing short: " + e.Reply
}

// unsupportedError is what a Session method returns, without a round
// trip, for a command the server is known not to have.
type unsupportedError struct{ command string }

func (e *unsupportedError) Error() string {
	return "ftp: the server has no " + e.command
}

func (e *unsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }

// StalledError reports a data connection on which nothing moved for the
// Fs's timeout.
type StalledError struct {
	Err   error         // the network's timeout error
	After time.Duration // how long nothing moved
}

func (e *StalledError) Error() string {
	return fmt.Sprintf("ftp: data connection stalled: nothing moved for %v", e.After)
}

func (e *StalledError) Unwrap() error { return e.Err }

// Timeout reports true: a stall is a timeout.
func (e *StalledError) Timeout() bool { return true }
