package ftpfstest

import (
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// ftpserverlib's Stop only closes the listening socket: client handlers,
// transfers and passive listeners live on. To stop them, every socket the
// server opens passes through the tracker: the control listener is ours
// (Settings.Listener) and passive listeners come through the driver's
// WrapPassiveListener. Close closes them all from underneath ftpserverlib
// and waits on t.wg until ftpserverlib has let go of each connection:
//
//   - a control connection, once the handler has both called
//     ClientDisconnected and closed the connection (in either order: QUIT
//     closes first, end() reports first), which are the last things its
//     goroutine does;
//   - a data connection, once ftpserverlib has closed it;
//   - a connection refused by WithMaxClients, once its 421 is sent.
type tracker struct {
	maxClients int
	tlsConfig  *tls.Config // for refusals under implicit TLS; nil otherwise

	wg sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	raw     map[net.Conn]struct{}     // every open socket, to close on shutdown
	pasv    map[net.Listener]struct{} // passive listeners not known to be done
	control map[net.Addr]*controlConn // by the address value each conn reports
	byID    map[uint32]*controlConn   // by ftpserverlib's client ID
	active  int                       // control connections holding a slot
}

func newTracker(maxClients int, tlsConfig *tls.Config) *tracker {
	return &tracker{
		maxClients: maxClients,
		tlsConfig:  tlsConfig,
		raw:        make(map[net.Conn]struct{}),
		pasv:       make(map[net.Listener]struct{}),
		control:    make(map[net.Addr]*controlConn),
		byID:       make(map[uint32]*controlConn),
	}
}

// shutdown refuses new sockets, closes every open one and waits until
// ftpserverlib has finished with them. The caller must have stopped the
// accept loop first, so no new control connection can appear.
func (t *tracker) shutdown() {
	t.mu.Lock()
	t.closed = true
	raw := make([]net.Conn, 0, len(t.raw))
	for c := range t.raw {
		raw = append(raw, c)
	}
	pasv := make([]net.Listener, 0, len(t.pasv))
	for l := range t.pasv {
		pasv = append(pasv, l)
	}
	t.mu.Unlock()

	// Errors are expected here: ftpserverlib may have closed some of
	// these already, and nothing is left to report them to.
	for _, l := range pasv {
		_ = l.Close()
	}
	for _, c := range raw {
		_ = c.Close()
	}
	t.wg.Wait()
}

// listener hands ftpserverlib tracked control connections.
type listener struct {
	net.Listener
	t *tracker
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		raw, err := l.Listener.Accept()
		if err != nil {
			// Returned as is: ftpserverlib's Serve recognises a closed
			// listener by this error's text and then returns nil.
			return nil, err
		}
		// shutdown runs only after the accept loop has stopped, so
		// t.closed is always false here.
		t := l.t
		t.mu.Lock()
		if t.maxClients > 0 && t.active >= t.maxClients {
			t.raw[raw] = struct{}{}
			t.wg.Add(1)
			t.mu.Unlock()
			go t.refuse(raw)
			continue
		}
		c := &controlConn{Conn: raw, t: t, addr: copyAddr(raw.RemoteAddr())}
		t.raw[raw] = struct{}{}
		t.control[c.addr] = c
		t.active++
		t.wg.Add(1)
		t.mu.Unlock()
		return c, nil
	}
}

// refuseTimeout bounds how long a refused client may take to read the 421.
const refuseTimeout = 10 * time.Second

// refuse answers a connection over the WithMaxClients limit with 421 and
// closes it, as vsftpd and others do.
func (t *tracker) refuse(raw net.Conn) {
	defer t.wg.Done()
	var c net.Conn = raw
	if t.tlsConfig != nil {
		c = tls.Server(raw, t.tlsConfig)
	}
	_ = raw.SetDeadline(time.Now().Add(refuseTimeout))
	// The client may be gone already; nobody is left to tell.
	_, _ = c.Write([]byte("421 Too many connections, try again later\r\n"))
	_ = c.Close()
	t.mu.Lock()
	delete(t.raw, raw)
	t.mu.Unlock()
}

// copyAddr returns a fresh net.Addr equal to a. A control connection
// reports its own copy, so the addresses ftpserverlib passes back through
// ClientContext.RemoteAddr identify the connection even if the operating
// system reuses the client's port for a newer one.
func copyAddr(a net.Addr) net.Addr {
	if tcp, ok := a.(*net.TCPAddr); ok {
		c := *tcp
		return &c
	}
	return a
}

// controlConn is a control connection as ftpserverlib sees it.
type controlConn struct {
	net.Conn
	t    *tracker
	addr net.Addr

	// Guarded by t.mu.
	clientID             uint32
	hasID                bool
	released             bool // its WithMaxClients slot is free
	closed, disconnected bool
}

func (c *controlConn) RemoteAddr() net.Addr { return c.addr }

// Close is only ever called by ftpserverlib; shutdown closes the socket
// underneath, which does not count as ftpserverlib letting go.
func (c *controlConn) Close() error {
	err := c.Conn.Close()
	t := c.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if c.closed {
		return err
	}
	c.closed = true
	t.release(c)
	delete(t.raw, c.Conn)
	t.finishControl(c)
	return err
}

// connected records ftpserverlib's ID for the connection reporting addr.
func (t *tracker) connected(addr net.Addr, id uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.control[addr]; ok {
		c.clientID, c.hasID = id, true
		t.byID[id] = c
	}
}

// quit frees the slot of the client with ftpserverlib ID id as soon as
// its QUIT arrives. Waiting for the close instead would race with a
// client that reconnects at once: it sees the reply to QUIT, or with TLS
// the close_notify alert, before the socket underneath is closed.
func (t *tracker) quit(id uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.byID[id]; ok {
		t.release(c)
	}
}

// release frees c's slot once; t.mu held.
func (t *tracker) release(c *controlConn) {
	if !c.released {
		c.released = true
		t.active--
	}
}

// disconnected records that ftpserverlib called ClientDisconnected for
// the connection reporting addr.
func (t *tracker) disconnected(addr net.Addr) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.control[addr]
	if !ok || c.disconnected {
		return
	}
	c.disconnected = true
	t.finishControl(c)
}

// finishControl forgets c once ftpserverlib is done with it; t.mu held.
func (t *tracker) finishControl(c *controlConn) {
	if c.closed && c.disconnected {
		delete(t.control, c.addr)
		if c.hasID {
			delete(t.byID, c.clientID)
		}
		t.wg.Done()
	}
}

// wrapPassive tracks a passive listener ftpserverlib has just opened.
func (t *tracker) wrapPassive(l net.Listener) (net.Listener, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		_ = l.Close() // refused: ftpserverlib replies 421 to the client
		return nil, net.ErrClosed
	}
	t.pasv[l] = struct{}{}
	return &passiveListener{Listener: l, t: t}, nil
}

type passiveListener struct {
	net.Listener
	t *tracker
}

// Accept is called once per transfer attempt. ftpserverlib keeps the
// first connection it accepts and never calls Accept again, closing the
// listener itself, so from then on the listener needs no tracking.
func (l *passiveListener) Accept() (net.Conn, error) {
	raw, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	t := l.t
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pasv, l.Listener)
	if t.closed {
		_ = raw.Close()
		return nil, net.ErrClosed
	}
	t.raw[raw] = struct{}{}
	t.wg.Add(1)
	return &dataConn{Conn: raw, t: t}, nil
}

// dataConn is a data connection as ftpserverlib sees it.
type dataConn struct {
	net.Conn
	t    *tracker
	once sync.Once
}

func (c *dataConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.t.mu.Lock()
		delete(c.t.raw, c.Conn)
		c.t.mu.Unlock()
		c.t.wg.Done()
	})
	return err
}
