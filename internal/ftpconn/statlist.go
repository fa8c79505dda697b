package ftpconn

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Listing on the control connection. "STAT <path>" makes many servers
// send the listing LIST would send, as the lines of a 2xx reply of
// several lines, with no data connection: one round trip where LIST
// costs a passive-mode command, a connection and two replies (on vsftpd
// 0.13 ms against 0.84 ms). Servers differ in what STAT sends, so it is
// trusted only after a probe: the first plain LIST of a server is followed
// by a STAT of the same directory, and STAT lists from then on only if it
// sent the same lines. A STAT refused where LIST then works turns it off
// for good, and a listing of statListMax lines or more is made again with
// LIST.

// statListMax is the most lines a STAT listing may have: a longer one is
// listed again with LIST, because no server says in STAT's reply that it
// cut the listing short, and some do cut (pure-ftpd at 10,000 entries,
// which its LIST's final reply tells).
const statListMax = 1000

// statList lists with "STAT arg" (arg as LIST would take it). ok is false
// when STAT did not send a listing (a reply of one line, or a refusal):
// LIST must tell. err is a broken connection, or what makes the lines
// unusable.
func (s *Session) statList(ctx context.Context, arg string) (l Listing, ok bool, err error) {
	var code int
	var lines [][]byte
	err = s.run(ctx, "STAT", func() (err error) {
		code, lines, err = s.ctl.multiline("STAT "+arg, s.renewReadDeadline(ctx))
		return err
	})
	if err != nil || code < 200 || code >= 300 || lines == nil {
		return Listing{}, false, err
	}
	var data []byte
	for _, line := range lines {
		// Some servers indent every line, as RFC 959 asks of lines
		// that begin with a digit; no listing line begins with a blank.
		data = append(data, bytes.TrimLeft(line, " ")...)
		data = append(data, '\r', '\n')
	}
	l.Data, l.BadNames = s.names.decodeListing(data)
	if msg, bad := errorText(l.Data); bad {
		return Listing{}, true, &ReplyError{Code: 550, Message: msg, Command: "STAT"}
	}
	return l, true, nil
}

// renewReadDeadline returns a function that moves the control
// connection's read deadline a timeout ahead (or to ctx's deadline, if
// sooner): a long listing on the control connection fails when it
// stalls, not when it is long.
func (s *Session) renewReadDeadline(ctx context.Context) func() {
	return func() {
		if s.cfg.Timeout <= 0 {
			return
		}
		deadline := time.Now().Add(s.cfg.Timeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		_ = s.tcp.SetReadDeadline(deadline) // a failure shows up as an I/O error
	}
}

// multiline sends line and reads its reply, calling renew before each
// line read. For a reply of several lines ("213-…" up to "213 …") it
// returns the lines between the first and the last, as sent; for a reply
// of one line, the code and nil lines.
func (c *control) multiline(line string, renew func()) (int, [][]byte, error) {
	if _, err := c.Write([]byte(line + "\r\n")); err != nil {
		return 0, nil, err
	}
	readLine := func() ([]byte, error) {
		renew()
		b, err := c.r.ReadBytes('\n')
		if err != nil {
			return nil, err
		}
		return bytes.TrimRight(b, "\r\n"), nil
	}
	first, err := readLine()
	if err != nil {
		return 0, nil, err
	}
	code, err := replyCode(first)
	if err != nil {
		return 0, nil, err
	}
	if len(first) < 4 || first[3] != '-' {
		return code, nil, nil
	}
	end := append(slices.Clone(first[:3]), ' ')
	lines := [][]byte{}
	for {
		b, err := readLine()
		if err != nil {
			return 0, nil, err
		}
		if bytes.HasPrefix(b, end) || bytes.Equal(b, first[:3]) {
			return code, lines, nil
		}
		lines = append(lines, b)
	}
}

// replyCode reads the code at the start of a reply's first line.
func replyCode(line []byte) (int, error) {
	if len(line) < 3 {
		return 0, fmt.Errorf("ftp: malformed reply %q", line)
	}
	code, err := strconv.Atoi(string(line[:3]))
	if err != nil || code < 100 || code > 599 || len(line) > 3 && line[3] != ' ' && line[3] != '-' {
		return 0, fmt.Errorf("ftp: malformed reply %q", line)
	}
	return code, nil
}

// sameListing reports whether two listings of one directory hold the
// same lines, in any order, blanks at either end aside.
func sameListing(a, b []byte) bool {
	return slices.Equal(listingLines(a), listingLines(b))
}

func listingLines(data []byte) []string {
	var lines []string
	for _, line := range bytes.Split(data, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			lines = append(lines, string(line))
		}
	}
	slices.Sort(lines)
	return lines
}
