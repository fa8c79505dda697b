package ftpconn

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// CopyBuffer is the buffer size of copies between a data connection and
// the caller: twice io.Copy's, as lftp uses. On this project's machine
// larger buffers, and sendfile(2) from a file, were slower
// (docs/benchmarks.md).
const CopyBuffer = 64 << 10

// copyBuffers recycles the buffers of copies: a fresh 64 KiB buffer per
// file costs more than the copy of a small file (zeroing showed as 14 %
// of the CPU profile of 1,000 small uploads).
var copyBuffers = sync.Pool{New: func() any { return new([CopyBuffer]byte) }}

// Buffer lends a copy buffer; give it back with PutBuffer.
func Buffer() *[CopyBuffer]byte { return copyBuffers.Get().(*[CopyBuffer]byte) }

// PutBuffer gives back a buffer from Buffer.
func PutBuffer(b *[CopyBuffer]byte) { copyBuffers.Put(b) }

// CopyBuffered copies r to w through a pooled buffer, hiding their
// ReadFrom and WriteTo so that the buffer is used.
func CopyBuffered(w io.Writer, r io.Reader) (int64, error) {
	buf := Buffer()
	defer PutBuffer(buf)
	return io.CopyBuffer(writerOnly{w}, readerOnly{r}, buf[:])
}

// dialData opens a data connection. It connects to the control
// connection's host whatever address the server's PASV reply named: a
// server behind NAT often names an address the client cannot reach, and a
// hostile one could name a third party.
func (s *Session) dialData(network, address string) (net.Conn, error) {
	_, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	address = net.JoinHostPort(s.cfg.Host, port)
	ctx := context.Background()
	if s.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
	}
	raw, err := s.cfg.Dialer(ctx, network, address)
	if err != nil {
		return nil, err
	}
	var conn net.Conn = raw
	if s.tls != nil {
		// The handshake happens on first use: some servers start TLS on
		// the data connection only once they have the command.
		conn = &tlsDataConn{Conn: tls.Client(raw, s.tls)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &dataConn{Conn: conn, timeout: s.cfg.Timeout, onStall: s.dataStalled}
	if s.capture {
		d.capture = new(bytes.Buffer)
	}
	s.data = d
	return d, nil
}

// takeData returns the data connection of the last transfer, and forgets
// it.
func (s *Session) takeData() *dataConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	s.data = nil
	return d
}

// dataConn is the data connection of a transfer as the client library
// sees it. It is where the library's gaps on data connections are
// closed:
//
//   - every read and write gets the per-command timeout as its deadline,
//     renewed as bytes move, so that a stalled transfer of any kind (a
//     listing too: the library reads listings with no deadline) fails
//     with a *StalledError instead of waiting forever;
//   - it counts the bytes written (an upload's size, for the check after
//     it);
//   - for a listing it keeps the raw bytes, and the connection's own
//     failure, which the server's final reply may not show. The library
//     parses listings itself, drops what it cannot parse (mode bits and
//     owners included) and returns entries we would not use: it is shown
//     an empty listing, so that it spends no time parsing (see Read).
type dataConn struct {
	net.Conn
	timeout time.Duration
	written int64
	capture *bytes.Buffer // a listing's bytes; nil for a file transfer
	drained bool          // the listing is read to its end, into capture
	failed  error         // the first failure of a read, other than io.EOF
	expired atomic.Bool   // abort expired the deadlines: not a stall
	onStall func()        // called on a stall (Session.dataStalled); may be nil
	// For a lost final reply (survive.go): the first failure of a write,
	// and the outcome of Close.
	writeErr error
	closed   bool
	closeErr error
	closedAt time.Time
}

// Read reads a download for the client library. A listing is read to
// its end into the capture at the first call, and the library gets its
// end at once (or the error that ended it): the parsers read the capture.
func (c *dataConn) Read(p []byte) (int, error) {
	if c.capture == nil {
		return c.read(p)
	}
	if !c.drained {
		c.drained = true
		if _, err := c.capture.ReadFrom(dataReader{c}); err != nil {
			return 0, err
		}
	}
	if c.failed != nil {
		return 0, c.failed
	}
	return 0, io.EOF
}

// dataReader reads the data connection with its deadlines and its
// failure kept (dataConn.read), for bytes.Buffer.ReadFrom.
type dataReader struct{ c *dataConn }

func (r dataReader) Read(p []byte) (int, error) { return r.c.read(p) }

func (c *dataConn) read(p []byte) (int, error) {
	if c.timeout > 0 {
		// Both directions: a TLS read also writes (the handshake, on
		// the first read of a listing or download).
		_ = c.Conn.SetDeadline(time.Now().Add(c.timeout)) // a failure shows up in the read
	}
	n, err := c.Conn.Read(p)
	if err != nil && err != io.EOF {
		err = c.stalled(err)
		if c.failed == nil {
			c.failed = err
		}
	}
	return n, err
}

func (c *dataConn) Write(p []byte) (int, error) {
	if c.timeout > 0 {
		// Both directions: a TLS write also reads (the handshake).
		_ = c.Conn.SetDeadline(time.Now().Add(c.timeout)) // a failure shows up in the write
	}
	n, err := c.Conn.Write(p)
	c.written += int64(n)
	err = c.stalled(err)
	if err != nil && c.writeErr == nil {
		c.writeErr = err
	}
	return n, err
}

// stalled names a timeout that the per-read deadline caused.
func (c *dataConn) stalled(err error) error {
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) && !c.expired.Load() {
		if c.onStall != nil {
			c.onStall()
		}
		return &StalledError{Err: err, After: c.timeout}
	}
	return err
}

// expire makes the connection's blocked reads and writes fail at once.
func (c *dataConn) expire() {
	c.expired.Store(true)
	_ = c.Conn.SetDeadline(time.Unix(1, 0)) // the I/O error reports it
}

// ReadFrom is what io.Copy calls when the client library sends an
// upload: it copies with CopyBuffer, whatever r is.
func (c *dataConn) ReadFrom(r io.Reader) (int64, error) {
	n, err := CopyBuffered(c, r)
	if n == 0 && err == nil {
		// An empty upload writes nothing, so a TLS data connection would
		// close before its handshake, which the server takes for a failed
		// transfer. The client library handshakes itself for STOR, not for
		// APPE.
		err = c.Handshake()
	}
	return n, err
}

// Handshake passes the client library's call on to a TLS connection (it
// makes one for an empty upload, which has no Write).
func (c *dataConn) Handshake() error {
	if h, ok := c.Conn.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	return nil
}

// tlsDataConn closes a TLS data connection so that the server sees the
// end of an upload: TLS 1.3 servers send session tickets the uploader never
// reads, and closing a socket with unread data resets it, which servers
// (vsftpd) report as a failed upload. After writing, Close sends
// close_notify and reads what is left (a little) before it closes.
type tlsDataConn struct {
	*tls.Conn
	wrote bool
}

// drainLimit bounds what Close reads after an upload.
const drainLimit = 64 << 10

func (c *tlsDataConn) Write(p []byte) (int, error) {
	c.wrote = true
	return c.Conn.Write(p)
}

// Handshake is called by the client library for an empty upload, which
// has no Write.
func (c *tlsDataConn) Handshake() error {
	c.wrote = true
	return c.Conn.Handshake()
}

func (c *tlsDataConn) Close() error {
	if c.wrote {
		if err := c.Conn.CloseWrite(); err == nil {
			_ = c.Conn.SetReadDeadline(time.Now().Add(5 * time.Second))    // a failure ends the drain early
			_, _ = io.Copy(io.Discard, io.LimitReader(c.Conn, drainLimit)) // only to empty the socket
		}
	}
	return c.Conn.Close()
}

// writerOnly and readerOnly hide the other methods (ReadFrom, WriteTo)
// of a writer or reader, so that io.CopyBuffer uses the buffer it is
// given.
type (
	writerOnly struct{ io.Writer }
	readerOnly struct{ io.Reader }
)
