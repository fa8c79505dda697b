package ftpfs

import (
	"io"
	"net"
	"syscall"
	"time"
)

// Sizes of the chunks transfers move.
const (
	// copyBuffer is the buffer of copies between a data connection and
	// the caller (File.WriteTo, File.ReadFrom): 4 times io.Copy's, which
	// quarters the system calls; on this project's machine larger buffers
	// cost more CPU again (docs/benchmarks.md).
	copyBuffer = 128 << 10
	// sendChunk is what one sendfile(2) call may move from a file before
	// the write deadline is renewed.
	sendChunk = 4 << 20
)

// dataConn is the data connection of a transfer as the client library
// sees it. It counts the bytes written (an upload's size, for the check
// after it), gives every write the per-command timeout, so that a stalled
// upload fails, and copies from a file with sendfile(2) where the
// connection allows.
type dataConn struct {
	net.Conn
	timeout time.Duration
	written int64
}

func (c *dataConn) renewDeadline() {
	if c.timeout > 0 {
		_ = c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)) // a failure shows up in the write
	}
}

func (c *dataConn) Write(p []byte) (int, error) {
	c.renewDeadline()
	n, err := c.Conn.Write(p)
	c.written += int64(n)
	return n, err
}

// ReadFrom is what io.Copy calls when the client library sends an
// upload: from a file (anything with a file descriptor) on a plain TCP
// connection it lets the kernel move the bytes, in chunks that each get
// a fresh deadline; from anything else it copies with a large buffer.
func (c *dataConn) ReadFrom(r io.Reader) (int64, error) {
	direct, ok := c.Conn.(io.ReaderFrom)
	if _, isFile := r.(syscall.Conn); !ok || !isFile {
		return io.CopyBuffer(writerOnly{c}, readerOnly{r}, make([]byte, copyBuffer))
	}
	var total int64
	for {
		c.renewDeadline()
		n, err := direct.ReadFrom(&io.LimitedReader{R: r, N: sendChunk})
		total += n
		c.written += n
		if err != nil || n < sendChunk {
			return total, err
		}
	}
}

// Handshake passes the client library's call on to a TLS connection (it
// makes one for an empty upload, which has no Write).
func (c *dataConn) Handshake() error {
	if h, ok := c.Conn.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	return nil
}

// writerOnly and readerOnly hide the other methods (ReadFrom, WriteTo)
// of a writer or reader, so that io.CopyBuffer uses the buffer it is
// given.
type (
	writerOnly struct{ io.Writer }
	readerOnly struct{ io.Reader }
)
