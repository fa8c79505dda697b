package ftpfs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
)

// Reply is a server's positive reply to a command sent with
// Fs.Command: its code (1xx to 3xx) and its text, the lines of a
// multi-line reply joined with "\n".
type Reply = ftpconn.Reply

// Command sends one raw FTP command, such as "SITE CHMOD 600 /a" or
// "STAT", on a pooled connection (no login of its own: one round trip),
// and returns the server's reply. A negative reply (4xx, 5xx) is an
// error wrapping a *ReplyError. Names in line are sent as they are: they
// are not resolved under the base directory, and WithEncoding's encoding
// applies to them.
//
// Command refuses, with an error matching errors.ErrUnsupported and
// before anything is sent, the commands that would change what the Fs
// relies on in a connection or that need a data connection: USER, PASS,
// ACCT, REIN, QUIT, AUTH, PBSZ, PROT, CCC, TYPE, MODE, STRU, OPTS, PASV,
// EPSV, PORT, EPRT, REST, LIST, NLST, MLSD, RETR, STOR, STOU and APPE.
// A line with CR, LF or NUL fails with fs.ErrInvalid. Command does not
// know what the command changed: call Invalidate for the names it
// touched.
func (f *Fs) Command(line string) (Reply, error) {
	var r Reply
	if strings.ContainsAny(line, "\x00\r\n") {
		return r, pathErr("command", line, errBadName)
	}
	verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	if refusedCommands[strings.ToUpper(verb)] {
		return r, pathErr("command", verb, fmt.Errorf("%s is the Fs's own business: %w", strings.ToUpper(verb), errors.ErrUnsupported))
	}
	err := f.withSession(change, func(ctx context.Context, s *ftpconn.Session) (err error) {
		r, err = s.Command(ctx, line)
		return err
	})
	return r, pathErr("command", verb, err)
}

// refusedCommands are the commands Command does not send.
var refusedCommands = map[string]bool{
	"USER": true, "PASS": true, "ACCT": true, "REIN": true, "QUIT": true,
	"AUTH": true, "PBSZ": true, "PROT": true, "CCC": true,
	"TYPE": true, "MODE": true, "STRU": true, "OPTS": true,
	"PASV": true, "EPSV": true, "PORT": true, "EPRT": true, "REST": true,
	"LIST": true, "NLST": true, "MLSD": true, "RETR": true, "STOR": true, "STOU": true, "APPE": true,
}
