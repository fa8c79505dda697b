package ftpconn

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
)

// levelProtocol is the level at which commands and replies are logged.
const levelProtocol = slog.LevelDebug

// protocolTap sees the plain text of a session's control channel, both
// ways (see control). It logs it line by line at debug level, with the
// argument of PASS hidden, and remembers the last "226" reply, whose text
// tells of a listing the server cut short, and the reply to the FEAT the
// client library sends at login, so that the server's features are
// learned without asking twice.
type protocolTap struct {
	logger *slog.Logger // nil: no logging
	server string

	mu      sync.Mutex
	partial []byte // the unfinished last line received
	last226 string
	feat    *featReply // the reply to the last FEAT sent; nil before one
}

// featReply is a FEAT reply as the tap saw it.
type featReply struct {
	lines []string
	done  bool // its final line was seen
}

func newProtocolTap(l *slog.Logger, server string) *protocolTap {
	t := &protocolTap{server: server}
	if l.Enabled(context.Background(), levelProtocol) {
		t.logger = l
	}
	return t
}

// sent logs the commands in p, and notes a FEAT.
func (t *protocolTap) sent(p []byte) {
	if bytes.EqualFold(bytes.TrimRight(p, "\r\n"), []byte("FEAT")) {
		t.mu.Lock()
		t.feat = &featReply{}
		t.mu.Unlock()
	}
	if t.logger == nil {
		return
	}
	for _, line := range strings.Split(strings.TrimRight(string(p), "\r\n"), "\n") {
		t.logger.Log(context.Background(), levelProtocol, "ftp", "server", t.server, "sent", redactLine(strings.TrimRight(line, "\r")))
	}
}

// received logs the reply lines in p and remembers the last 226.
func (t *protocolTap) received(p []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rest := p
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			if len(t.partial) < maxReplyText {
				t.partial = append(t.partial, rest...)
			}
			return
		}
		line := rest[:i]
		if len(t.partial) > 0 {
			line = append(t.partial, line...)
			t.partial = t.partial[:0]
		}
		t.line(bytes.TrimRight(line, "\r"))
		rest = rest[i+1:]
	}
}

func (t *protocolTap) line(line []byte) {
	if bytes.HasPrefix(line, []byte("226")) {
		t.last226 = string(line)
	}
	if f := t.feat; f != nil && !f.done {
		f.lines = append(f.lines, string(line))
		f.done = endsReply(f.lines[0], line)
	}
	if t.logger != nil {
		t.logger.Log(context.Background(), levelProtocol, "ftp", "server", t.server, "received", string(line))
	}
}

// takeLast226 returns the last 226 reply line seen since the previous call.
func (t *protocolTap) takeLast226() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.last226
	t.last226 = ""
	return s
}

// takeFeat returns the lines of the reply to the FEAT sent last, once
// whole, and forgets it; false when there is none.
func (t *protocolTap) takeFeat() ([]string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.feat
	if f == nil || !f.done {
		return nil, false
	}
	t.feat = nil
	return f.lines, true
}

// endsReply reports whether line ends the reply that began with first:
// a reply of one line ("211 End") ends with it; one of several
// ("211-Features:") ends at a line with the same code and a space. Lines
// that start otherwise (a garbled code) are taken as replies of one line.
func endsReply(first string, line []byte) bool {
	if len(first) < 4 || first[3] != '-' {
		return true
	}
	return len(line) >= 4 && string(line[:3]) == first[:3] && line[3] == ' ' ||
		len(line) == 3 && string(line) == first[:3]
}

// redactLine hides the password of a PASS command.
func redactLine(line string) string {
	if len(line) >= 4 && strings.EqualFold(line[:4], "PASS") {
		return "PASS ****"
	}
	return line
}
