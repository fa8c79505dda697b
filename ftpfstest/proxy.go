package ftpfstest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Proxy is a TCP proxy for plain FTP that can be told to misbehave, to
// test how a client copes with a bad network: it forwards control
// connections to a server, rewrites the server's passive-mode replies (227
// to PASV, 229 to EPSV) so that data connections pass through it too, and
// on request drops, resets, stalls or slows connections, or refuses new
// ones. Passive mode only: a client's PORT or EPRT is forwarded as is, so
// active data connections would bypass the proxy. The proxy cannot read a
// TLS control connection, so it is for plain FTP only.
//
// Faults may be set and cleared at any time, from any goroutine; a
// connection applies the settings in force as its bytes pass.
type Proxy struct {
	target string // the server's control address
	host   string // the server's host: data connections go there
	ln     net.Listener
	ctx    context.Context // ends when Close starts: stops dials in progress
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	mu        sync.Mutex
	closed    bool
	fault     *armedFault
	delay     time.Duration
	maxConns  int
	links     map[*proxyLink]struct{}
	listeners map[net.Listener]*proxyLink // passive listeners not used yet
	control   int                         // control connections open, or being opened
	stats     ProxyStats
	idleLimit idleLimit // see SetIdleLimit (proxy_idle.go)
}

// ConnKind selects connections by their role. The zero value selects
// both kinds.
type ConnKind uint8

// The kinds of connection.
const (
	ControlConn ConnKind = 1 << iota // commands and replies
	DataConn                         // listings and file transfers
	AnyConn     = ControlConn | DataConn
)

// Direction selects the bytes that flow one way through the proxy. The
// zero value selects both directions.
type Direction uint8

// The directions.
const (
	ToServer Direction = 1 << iota // commands and uploads
	ToClient                       // replies, listings and downloads
	BothWays = ToServer | ToClient
)

// Action is what a [Fault] does when it strikes.
type Action uint8

// The actions.
const (
	// Drop closes both ends of the connection. Each side sees the end of
	// the stream (a FIN), or a reset if it had sent bytes the proxy had
	// not read yet.
	Drop Action = iota
	// Reset aborts both ends of the connection with a TCP reset (RST).
	Reset
	// Stall holds the bytes in flight for Fault.Stall, then goes on.
	Stall
)

// Fault describes a misbehaviour. It counts the bytes that pass on the
// connections and in the direction it selects; once After bytes have
// passed, it strikes: exactly After bytes get through, then it acts on the
// connection that carries the next byte. A fault that strikes again
// (Times > 1) counts After bytes afresh from each strike.
type Fault struct {
	Conns ConnKind  // the connections it watches; zero means AnyConn
	Dir   Direction // the bytes it counts; zero means BothWays
	// Command, if set, limits the fault to the bytes that follow the
	// client's command with this verb ("RETR", "MLSD", "RNTO"): on a
	// control connection, while that verb is the last command the
	// client sent; on a data connection, while it is the last command
	// sent on the control connection that asked for it. The verb is
	// matched without regard to case.
	Command string
	After   int64 // the bytes that pass before it strikes
	Action  Action
	Stall   time.Duration // how long Stall holds the bytes
	Times   int           // strikes before it disarms itself; zero or less means once
}

// armedFault is a Fault in force, with its count.
type armedFault struct {
	Fault
	left  int64 // bytes still to pass before the next strike
	times int   // strikes left
}

// ProxyStats counts what a Proxy has done since it started.
type ProxyStats struct {
	ControlConns int // control connections forwarded
	DataConns    int // data connections forwarded
	OpenControl  int // control connections open now
	OpenData     int // data connections open now
	Refused      int // control connections refused with 421 (SetMaxConns)
	Strikes      int // times a Fault struck
}

// proxyLink is one forwarded connection: the client's side and the
// server's side.
type proxyLink struct {
	kind   ConnKind
	client net.Conn
	server net.Conn
	parent *proxyLink    // for a data connection, its control connection
	done   chan struct{} // closed when the link ends
	once   sync.Once

	verb string // guarded by Proxy.mu: a control link's last command

	idle idleState // see SetIdleLimit (proxy_idle.go)
}

// proxyDialTimeout bounds the proxy's own connections to the server.
const proxyDialTimeout = 10 * time.Second

// NewProxy starts a proxy on 127.0.0.1, on a port the system picks, that
// forwards to the FTP server at target ("host:port", such as
// [Server.Addr]). Data connections go to target's host, at the port the
// server's passive reply names, whatever host that reply names. Like
// [NewServer], it panics if it cannot listen. Call [Proxy.Close] when
// done.
func NewProxy(target string) *Proxy {
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		panic("ftpfstest: NewProxy: bad target address: " + err.Error())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("ftpfstest: NewProxy: cannot listen: " + err.Error())
	}
	p := &Proxy{
		target:    target,
		host:      host,
		ln:        ln,
		links:     make(map[*proxyLink]struct{}),
		listeners: make(map[net.Listener]*proxyLink),
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.wg.Add(1)
	go p.serve()
	return p
}

// Addr returns the address the proxy listens on, such as
// "127.0.0.1:40123".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// URL returns serverURL (such as [Server.URL]) with its host and port
// replaced by the proxy's. It panics if serverURL is not a URL.
func (p *Proxy) URL(serverURL string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		panic("ftpfstest: Proxy.URL: " + err.Error())
	}
	u.Host = p.Addr()
	return u.String()
}

// SetFault arms f, replacing any fault in force; its count starts now.
func (p *Proxy) SetFault(f Fault) {
	if f.Conns == 0 {
		f.Conns = AnyConn
	}
	if f.Dir == 0 {
		f.Dir = BothWays
	}
	f.Command = strings.ToUpper(f.Command)
	f.After = max(f.After, 0)
	f.Times = max(f.Times, 1)
	p.mu.Lock()
	p.fault = &armedFault{Fault: f, left: f.After, times: f.Times}
	p.mu.Unlock()
}

// ClearFault disarms the fault in force, if any.
func (p *Proxy) ClearFault() {
	p.mu.Lock()
	p.fault = nil
	p.mu.Unlock()
}

// SetDelay makes every read the proxy does, on every connection and in
// both directions, wait d before its bytes are passed on: a slow network.
// Zero turns the delay off.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = max(d, 0)
	p.mu.Unlock()
}

// SetMaxConns makes the proxy refuse a new control connection, with the
// greeting "421 Too many connections" and without telling the server,
// while n control connections are open, as servers that limit
// connections per client do. Zero or less means no limit, the default.
// Connections open already are left alone.
func (p *Proxy) SetMaxConns(n int) {
	p.mu.Lock()
	p.maxConns = max(n, 0)
	p.mu.Unlock()
}

// DropAll closes every open connection of the kinds selected (zero means
// both), as Drop does, and returns how many it closed.
func (p *Proxy) DropAll(kind ConnKind) int { return p.endAll(kind, false) }

// ResetAll aborts every open connection of the kinds selected (zero
// means both), as Reset does, and returns how many it aborted.
func (p *Proxy) ResetAll(kind ConnKind) int { return p.endAll(kind, true) }

func (p *Proxy) endAll(kind ConnKind, reset bool) int {
	if kind == 0 {
		kind = AnyConn
	}
	p.mu.Lock()
	var victims []*proxyLink
	for l := range p.links {
		if l.kind&kind != 0 {
			victims = append(victims, l)
		}
	}
	p.mu.Unlock()
	for _, l := range victims {
		p.endLink(l, reset)
	}
	return len(victims)
}

// Stats returns the proxy's counts.
func (p *Proxy) Stats() ProxyStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Close stops the proxy: it stops accepting, aborts every connection (as
// Reset does, so that bytes in flight are lost) and closes every passive
// listener, and waits until all its goroutines have returned. Clients see
// their connections reset. Close may be called more than once.
func (p *Proxy) Close() {
	p.once.Do(func() {
		p.cancel()
		_ = p.ln.Close() // the only possible error: closed already
		p.mu.Lock()
		p.closed = true
		links := make([]*proxyLink, 0, len(p.links))
		for l := range p.links {
			links = append(links, l)
		}
		listeners := make([]net.Listener, 0, len(p.listeners))
		for ln := range p.listeners {
			listeners = append(listeners, ln)
		}
		p.mu.Unlock()
		for _, l := range links {
			p.endLink(l, true)
		}
		for _, ln := range listeners {
			_ = ln.Close() // its accept goroutine returns on the error
		}
		p.wg.Wait()
	})
}

// serve accepts control connections.
func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // Close closed the listener
		}
		p.mu.Lock()
		if p.maxConns > 0 && p.control >= p.maxConns {
			p.stats.Refused++
			p.mu.Unlock()
			proxyRefuse(c)
			continue
		}
		p.control++
		p.wg.Add(1)
		p.mu.Unlock()
		go p.connect(c)
	}
}

// proxyRefuse answers a connection over the limit. The reply is small enough
// for the socket buffer, and the deadline bounds the write anyway.
func proxyRefuse(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(time.Second))
	_, _ = c.Write([]byte("421 Too many connections\r\n")) // the client may be gone
	_ = c.Close()
}

// connect opens the server's side of a control connection and forwards.
func (p *Proxy) connect(client net.Conn) {
	defer p.wg.Done()
	server, err := p.dial(p.target)
	if err != nil {
		_ = client.Close() // the client sees the connection drop
		p.mu.Lock()
		p.control--
		p.mu.Unlock()
		return
	}
	l := &proxyLink{kind: ControlConn, client: client, server: server, done: make(chan struct{})}
	if !p.register(l) {
		p.mu.Lock()
		p.control--
		p.mu.Unlock()
	}
}

// dial connects to the server, until Close or proxyDialTimeout.
func (p *Proxy) dial(address string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(p.ctx, proxyDialTimeout)
	defer cancel()
	var d net.Dialer
	return d.DialContext(ctx, "tcp", address)
}

// register starts forwarding on l, unless the proxy is closed, in which
// case it closes l and returns false.
func (p *Proxy) register(l *proxyLink) bool {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = l.client.Close() // nobody is left to tell
		_ = l.server.Close()
		return false
	}
	p.links[l] = struct{}{}
	if l.kind == ControlConn {
		p.stats.ControlConns++
		p.stats.OpenControl++
	} else {
		p.stats.DataConns++
		p.stats.OpenData++
	}
	p.wg.Add(2)
	p.watchIdle(l) // Proxy.mu held
	p.mu.Unlock()
	go p.pump(l, ToServer, l.client, l.server)
	go p.pump(l, ToClient, l.server, l.client)
	return true
}

// endLink closes both sides of l, once; with reset, abortively.
func (p *Proxy) endLink(l *proxyLink, reset bool) {
	l.once.Do(func() {
		if reset {
			resetOnClose(l.client)
			resetOnClose(l.server)
		}
		_ = l.client.Close() // errors: closed already, which is the goal
		_ = l.server.Close()
		close(l.done)
		p.mu.Lock()
		delete(p.links, l)
		var pending []net.Listener
		if l.kind == ControlConn {
			p.stats.OpenControl--
			p.control--
			for ln, owner := range p.listeners {
				if owner == l {
					pending = append(pending, ln)
					delete(p.listeners, ln)
				}
			}
		} else {
			p.stats.OpenData--
		}
		p.mu.Unlock()
		for _, ln := range pending {
			_ = ln.Close() // its accept goroutine returns on the error
		}
	})
}

// resetOnClose makes Close send a reset instead of a FIN.
func resetOnClose(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // a failure leaves a FIN, still a drop
	}
}

// pump forwards one direction of l until either side ends, then ends l.
func (p *Proxy) pump(l *proxyLink, dir Direction, src, dst net.Conn) {
	defer p.wg.Done()
	defer p.endLink(l, false)
	if l.kind == ControlConn {
		p.pumpLines(l, dir, src, dst)
		return
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.forward(l, dir, dst, buf[:n]) {
			return
		}
		if err != nil {
			return
		}
	}
}

// pumpLines forwards a control connection line by line: it notes each
// command's verb, and rewrites passive-mode replies. A line longer than
// the buffer passes in pieces, untouched.
func (p *Proxy) pumpLines(l *proxyLink, dir Direction, src, dst net.Conn) {
	r := bufio.NewReaderSize(src, 4096)
	lineStart := true
	for {
		chunk, err := r.ReadSlice('\n')
		if len(chunk) > 0 {
			out := chunk
			if lineStart && err == nil {
				if dir == ToServer {
					p.noteCommand(l, chunk)
				} else {
					out = p.rewritePassive(l, chunk)
				}
			}
			lineStart = err == nil
			if !p.forward(l, dir, dst, out) {
				return
			}
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// noteCommand records the verb of a command line. Bytes before the verb
// that are not letters (Telnet's interrupt before ABOR) are skipped.
func (p *Proxy) noteCommand(l *proxyLink, line []byte) {
	line = bytes.TrimLeftFunc(line, func(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') })
	verb, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(" "))
	p.mu.Lock()
	l.verb = strings.ToUpper(string(verb))
	p.mu.Unlock()
}

// rewritePassive replaces the address in a 227 or 229 reply by one of a
// new passive listener of the proxy, which forwards to the port the
// server named. Other lines, and replies it cannot parse, pass as they
// are.
func (p *Proxy) rewritePassive(l *proxyLink, line []byte) []byte {
	s := string(line)
	var port int
	var ok bool
	switch {
	case strings.HasPrefix(s, "227 "):
		port, ok = passivePort227(s)
	case strings.HasPrefix(s, "229 "):
		port, ok = passivePort229(s)
	}
	if !ok {
		return line
	}
	mine, err := p.listenData(l, net.JoinHostPort(p.host, strconv.Itoa(port)))
	if err != nil {
		return line // the client gets the server's port, and bypasses the proxy
	}
	if s[:3] == "227" {
		ip := p.ln.Addr().(*net.TCPAddr).IP.To4()
		return fmt.Appendf(nil, "227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).\r\n", ip[0], ip[1], ip[2], ip[3], mine>>8, mine&0xff)
	}
	return fmt.Appendf(nil, "229 Entering Extended Passive Mode (|||%d|)\r\n", mine)
}

// passivePort227 reads the port of "227 … (h1,h2,h3,h4,p1,p2)".
func passivePort227(s string) (int, bool) {
	start, end := strings.Index(s, "("), strings.LastIndex(s, ")")
	if start < 0 || end < start {
		return 0, false
	}
	fields := strings.Split(s[start+1:end], ",")
	if len(fields) != 6 {
		return 0, false
	}
	hi, err1 := strconv.Atoi(strings.TrimSpace(fields[4]))
	lo, err2 := strconv.Atoi(strings.TrimSpace(fields[5]))
	if err1 != nil || err2 != nil || hi < 0 || hi > 255 || lo < 0 || lo > 255 {
		return 0, false
	}
	return hi<<8 | lo, true
}

// passivePort229 reads the port of "229 … (|||port|)".
func passivePort229(s string) (int, bool) {
	start := strings.Index(s, "(|||")
	if start < 0 {
		return 0, false
	}
	rest := s[start+4:]
	end := strings.Index(rest, "|)")
	if end < 0 {
		return 0, false
	}
	port, err := strconv.Atoi(rest[:end])
	if err != nil || port <= 0 || port > 65535 {
		return 0, false
	}
	return port, true
}

// listenData opens a passive listener for the control link l that
// forwards its first connection to the server at address, and returns its
// port. The listener closes after that connection, or with l.
func (p *Proxy) listenData(l *proxyLink, address string) (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = ln.Close() // refused: the proxy is closing
		return 0, net.ErrClosed
	}
	p.listeners[ln] = l
	p.wg.Add(1)
	p.mu.Unlock()
	go p.acceptData(l, ln, address)
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// acceptData waits for the client's data connection on ln, then connects
// it to the server.
func (p *Proxy) acceptData(parent *proxyLink, ln net.Listener, address string) {
	defer p.wg.Done()
	client, err := ln.Accept()
	p.mu.Lock()
	delete(p.listeners, ln)
	p.mu.Unlock()
	_ = ln.Close() // one connection per passive reply
	if err != nil {
		return
	}
	server, err := p.dial(address)
	if err != nil {
		_ = client.Close() // the client sees the connection drop
		return
	}
	p.register(&proxyLink{kind: DataConn, client: client, server: server, parent: parent, done: make(chan struct{})})
}

// forward passes b to dst, after the delay and under the fault in force.
// It reports whether l is still up.
func (p *Proxy) forward(l *proxyLink, dir Direction, dst net.Conn, b []byte) bool {
	p.mu.Lock()
	delay := p.delay
	p.mu.Unlock()
	if delay > 0 && !l.wait(delay) {
		return false
	}
	if l.idle.silenced.Load() {
		return true // the NAT forgot the connection: bytes go nowhere
	}
	l.idle.moved()
	n, action, stall, strike := p.check(l, dir, len(b))
	if n > 0 {
		if _, err := dst.Write(b[:n]); err != nil {
			return false
		}
	}
	if !strike {
		return true
	}
	switch action {
	case Drop:
		p.endLink(l, false)
		return false
	case Reset:
		p.endLink(l, true)
		return false
	}
	// Stall: hold the rest of b, then let it all through.
	if !l.wait(stall) {
		return false
	}
	_, err := dst.Write(b[n:])
	return err == nil
}

// check counts size bytes going dir on l against the fault in force. It
// returns how many may pass, and whether the fault then strikes, with
// what.
func (p *Proxy) check(l *proxyLink, dir Direction, size int) (n int, action Action, stall time.Duration, strike bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.fault
	if f == nil || f.Conns&l.kind == 0 || f.Dir&dir == 0 || !f.commandMatches(l) {
		return size, 0, 0, false
	}
	if f.left >= int64(size) {
		f.left -= int64(size)
		return size, 0, 0, false
	}
	n = int(f.left)
	p.stats.Strikes++
	f.times--
	f.left = f.After
	if f.times == 0 {
		p.fault = nil
	}
	return n, f.Action, f.Stall, true
}

// commandMatches reports whether the fault's command filter lets it see
// l's bytes; Proxy.mu held.
func (f *armedFault) commandMatches(l *proxyLink) bool {
	if f.Command == "" {
		return true
	}
	control := l
	if l.parent != nil {
		control = l.parent
	}
	return control.verb == f.Command
}

// wait waits d, or less if l ends first; it reports whether l is still up.
func (l *proxyLink) wait(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-l.done:
		return false
	}
}
