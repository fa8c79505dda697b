package ftpfs

import (
	"io"
	"net"
	"sync"
	"time"
)

// copyBuffer is the buffer of copies between a data connection and the
// caller (File.WriteTo, File.ReadFrom): twice io.Copy's, as lftp uses.
// On this project's machine larger buffers, and sendfile(2) from a file,
// were slower (docs/benchmarks.md).
const copyBuffer = 64 << 10

// copyBuffers recycles the buffers of copies: a fresh 64 KiB buffer per
// file costs more than the copy of a small file (zeroing showed as 14 %
// of the CPU profile of 1,000 small uploads).
var copyBuffers = sync.Pool{New: func() any { return new([copyBuffer]byte) }}

// copyBuffered copies r to w through a pooled buffer, hiding their
// ReadFrom and WriteTo so that the buffer is used.
func copyBuffered(w io.Writer, r io.Reader) (int64, error) {
	buf := copyBuffers.Get().(*[copyBuffer]byte)
	defer copyBuffers.Put(buf)
	return io.CopyBuffer(writerOnly{w}, readerOnly{r}, buf[:])
}

// dataConn is the data connection of a transfer as the client library
// sees it. It counts the bytes written (an upload's size, for the check
// after it), gives every write the per-command timeout, so that a stalled
// upload fails, and copies what io.Copy gives it with copyBuffer.
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
// upload: it copies with copyBuffer, whatever r is.
func (c *dataConn) ReadFrom(r io.Reader) (int64, error) {
	return copyBuffered(c, r)
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
