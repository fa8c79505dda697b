package ftpconn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Listing is a directory's listing as the server sent it.
type Listing struct {
	Data []byte // the raw lines (decoded to UTF-8 with the Config's Encoding)
	MLSD bool   // Data is MLSD output (else LIST output)
	// BadNames reports the lines that were not valid in the Config's
	// Encoding, left out of Data: one *parsers.ParseError per line.
	BadNames error
}

// List lists the directory dir: with MLSD on a ListDefault session of a
// server that has it, else with LIST. It works around the dialects of
// LIST, learning once per server what works:
//
//   - "LIST -a <dir>" (hidden files shown) where the server takes the
//     option; a server that refuses it (or takes "-a" for a path) gets
//     "LIST <dir>" from then on: one extra round trip, once;
//   - a name with blanks or characters a shell would read (some servers
//     run ls on LIST's words) is listed from inside: CWD to it, then LIST
//     with no path; inside asks for that for any name (a link to a
//     directory, which LIST of the name describes as the link);
//   - an error message sent as the listing ("ls: cannot access …") is a
//     550 reply, as the server should have sent;
//   - an MLSD or LIST that ends with another 2xx than 226 is a success.
//
// A listing whose data connection broke or stalled, or that ends in the
// middle of a line, is an error (a connection error: Broken), never a
// short listing. A listing the server says it cut short is returned with
// a *ListingTruncatedError. Costs: one round trip and a data connection;
// two with CWD.
func (s *Session) List(ctx context.Context, dir string, inside bool) (Listing, error) {
	dir, err := s.names.encode(dir) // plainName looks at the bytes sent
	if err != nil {
		return Listing{}, err
	}
	if s.mode == ListDefault && s.conn.IsTimePreciseInList() {
		return s.list(ctx, "MLSD", dir)
	}
	if inside || !plainName(dir) {
		if err := s.run(ctx, "CWD", func() error { return s.conn.ChangeDir(dir) }); err != nil {
			return Listing{}, err
		}
		return s.listLIST(ctx, "")
	}
	return s.listLIST(ctx, dir)
}

// listLIST lists dir (the working directory when empty) with LIST -a,
// or LIST where the server refuses the option: a server whose refusal is
// not known yet gets LIST -a, and after a refusal LIST, once; if LIST
// works, the option is refused for good.
func (s *Session) listLIST(ctx context.Context, dir string) (Listing, error) {
	withA := strings.TrimSpace("-a " + dir)
	switch s.server.listDashA() {
	case unsupported:
		return s.list(ctx, "LIST", dir)
	case supported:
		return s.list(ctx, "LIST", withA)
	}
	l, err := s.list(ctx, "LIST", withA)
	if Code(err) == 0 {
		if err == nil {
			s.server.setListDashA(supported)
		}
		return l, err
	}
	// Refused: the option, or the directory? LIST without the option
	// tells.
	plain, plainErr := s.list(ctx, "LIST", dir)
	if plainErr != nil {
		return l, err
	}
	s.server.setListDashA(unsupported)
	return plain, nil
}

// plainName reports whether p can be given to LIST as it is: no blanks,
// no characters that a shell or ls would read, no leading "-".
func plainName(p string) bool {
	for _, elem := range strings.Split(p, "/") {
		if strings.HasPrefix(elem, "-") {
			return false
		}
	}
	return !strings.ContainsAny(p, " \t*?[]{}~\\'\"$`!&;|<>()#")
}

// list runs one listing command (MLSD or LIST, as the session's mode
// says) with arg.
func (s *Session) list(ctx context.Context, command, arg string) (Listing, error) {
	s.mu.Lock()
	s.capture = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.capture = false
		s.mu.Unlock()
	}()
	s.ctl.tap.takeLast226()
	mlsd := command == "MLSD"
	err := s.runTransfer(ctx, command, func() error {
		_, err := s.conn.List(arg)
		return err
	})
	l := Listing{MLSD: mlsd}
	var dataErr error
	if d := s.takeData(); d != nil {
		l.Data, dataErr = d.capture.Bytes(), d.failed
	}
	if code := Code(err); code >= 200 && code < 300 {
		err = nil // some servers end a listing with 200 or 250
	}
	if dataErr == nil && err == nil && len(l.Data) > 0 && !bytes.HasSuffix(l.Data, []byte("\n")) {
		// Every listing line ends with a line break: the data connection
		// was cut in the middle of one.
		dataErr = fmt.Errorf("ends in the middle of a line: %w", io.ErrUnexpectedEOF)
	}
	if dataErr != nil {
		// The data connection broke: whatever the server replied, the
		// listing is incomplete. As a connection error it is retried.
		return Listing{MLSD: mlsd}, errors.Join(ctx.Err(), fmt.Errorf("%s: listing's data connection: %w", command, dataErr))
	}
	if err != nil {
		return l, err
	}
	l.Data, l.BadNames = s.names.decodeListing(l.Data)
	if msg, ok := errorText(l.Data); ok {
		return Listing{MLSD: mlsd}, &ReplyError{Code: 550, Message: msg, Command: command}
	}
	if reply := s.ctl.tap.takeLast226(); strings.Contains(strings.ToLower(reply), "truncated") {
		// pure-ftpd stops at 10,000 entries (its -L option) and says
		// so only in its final reply.
		return l, &ListingTruncatedError{Reply: reply}
	}
	return l, nil
}

// errorText reports whether a listing is an error message that the
// server sent as the listing (a server that runs ls sends ls's complaint
// about a missing path on the data connection, and 226), and returns the
// message.
func errorText(data []byte) (string, bool) {
	text := strings.TrimSpace(string(data))
	if text == "" || strings.Count(text, "\n") > 2 {
		return "", false
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		lower := strings.ToLower(line)
		if !strings.Contains(lower, "no such file or directory") && !strings.HasPrefix(lower, "ls: ") && !strings.HasPrefix(lower, "/bin/ls: ") {
			return "", false
		}
	}
	return text, true
}
