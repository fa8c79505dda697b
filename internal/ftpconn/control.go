package ftpconn

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync/atomic"
)

// control is the control connection as the client library sees it. It
// works around two gaps of jlaffaye/ftp's public API:
//
//   - no raw command: Command sends one and reads its reply itself. The
//     library reads through control's own buffered reader, and only
//     between the library's exchanges does Command use it, so no byte is
//     lost to either; and
//   - no view of the replies: every line the server sends passes through
//     the protocol tap, which logs it and remembers the last final reply
//     (the text of a listing's 226 says whether the server cut it short).
type control struct {
	net.Conn               // the connection under it (TLS, or plain TCP)
	r        *bufio.Reader // every read of the control channel goes through it
	tap      *protocolTap
	doomed   atomic.Bool // see doom (survive.go)
	// longLine: a command longer than safeLine was sent. Servers read
	// command lines into buffers of their own size and may answer what
	// did not fit as a command of its own (a second reply), so the
	// session is not reused: its replies may be out of step.
	longLine atomic.Bool
}

func newControl(c net.Conn, replay []byte, tap *protocolTap) *control {
	var src io.Reader = c
	if len(replay) > 0 {
		src = io.MultiReader(strings.NewReader(string(replay)), c)
	}
	return &control{Conn: c, r: bufio.NewReader(tapReader{src, tap}), tap: tap}
}

func (c *control) Read(p []byte) (int, error) { return c.r.Read(p) }

// safeLine is the longest command line every server reads whole: RFC
// 959 sets no limit, and 512 bytes with CR LF is the smallest buffer of
// the servers met (GNU inetutils ftpd, pyftpdlib).
const safeLine = 510

func (c *control) Write(p []byte) (int, error) {
	if len(p) > safeLine+2 {
		c.longLine.Store(true)
	}
	c.tap.sent(p)
	return c.Conn.Write(p)
}

// exchange sends line and reads its reply: code and text, and a
// *textproto.Error when the code's class is not expect's (a one-digit
// expect is a class; 0 accepts any reply).
func (c *control) exchange(expect int, line string) (int, string, error) {
	if strings.ContainsAny(line, "\r\n\x00") {
		return 0, "", fmt.Errorf("command contains CR, LF or NUL")
	}
	if _, err := c.Write([]byte(line + "\r\n")); err != nil {
		return 0, "", err
	}
	return c.reply(expect)
}

// reply reads one reply.
func (c *control) reply(expect int) (int, string, error) {
	return textproto.NewReader(c.r).ReadResponse(expect)
}

// tapReader shows the tap everything read from the control channel.
type tapReader struct {
	r   io.Reader
	tap *protocolTap
}

func (t tapReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.tap.received(p[:n])
	return n, err
}
