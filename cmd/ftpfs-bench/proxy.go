package main

import (
	"bufio"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
)

// countingProxy forwards FTP control connections to a server and counts
// the commands clients send, by verb, and the data connections opened.
// Only the control channel passes through it: passive replies are
// forwarded untouched, so data connections go straight to the server (on
// loopback, the control connection's host). A data connection is counted
// from the server's preliminary reply to the command that uses it (125 or
// 150), so a passive-mode command that failed and was retried is not.
type countingProxy struct {
	target string
	ln     net.Listener
	wg     sync.WaitGroup

	mu     sync.Mutex
	verbs  map[string]int
	conns  int
	opened int // 125 and 150 replies: data connections used
	active map[net.Conn]struct{}
}

// newCountingProxy listens on 127.0.0.1 and forwards to target (host:port).
func newCountingProxy(target string) (*countingProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{target: target, ln: ln, verbs: map[string]int{}, active: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// URL returns serverURL with its host replaced by the proxy's address.
func (p *countingProxy) URL(serverURL string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", err
	}
	u.Host = p.ln.Addr().String()
	return u.String(), nil
}

// Reset clears the counts.
func (p *countingProxy) Reset() {
	p.mu.Lock()
	p.verbs = map[string]int{}
	p.conns = 0
	p.opened = 0
	p.mu.Unlock()
}

// Counts returns what the proxy saw since the last Reset.
func (p *countingProxy) Counts() *commandCounts {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.verbs))
	for k, v := range p.verbs {
		out[k] = v
	}
	return &commandCounts{Verbs: out, Conns: p.conns, DataOpened: p.opened}
}

// Close stops accepting, ends open connections and waits for the pumps.
func (p *countingProxy) Close() {
	_ = p.ln.Close() // the accept loop returns on the error
	p.mu.Lock()
	for c := range p.active {
		_ = c.Close() // its pump returns on the error
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *countingProxy) serve() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close() // the client sees the connection drop
			continue
		}
		p.mu.Lock()
		p.conns++
		p.active[client] = struct{}{}
		p.active[server] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pump(server, client, true)
		go p.pump(client, server, false)
	}
}

// pump copies src to dst line by line: with commands, the client's
// commands, counting their verbs; else the server's replies, counting the
// preliminary replies that open data transfers.
func (p *countingProxy) pump(dst, src net.Conn, commands bool) {
	defer p.wg.Done()
	defer func() {
		_ = src.Close() // ending either direction ends the pair
		_ = dst.Close()
		p.mu.Lock()
		delete(p.active, src)
		delete(p.active, dst)
		p.mu.Unlock()
	}()
	r := bufio.NewReader(src)
	for {
		line, err := r.ReadString('\n')
		if len(line) > 0 {
			p.note(line, commands)
			if _, werr := io.WriteString(dst, line); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// note counts one line.
func (p *countingProxy) note(line string, command bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if command {
		if v := commandVerb(line); v != "" {
			p.verbs[v]++
		}
	} else if opensData(line) {
		p.opened++
	}
}

// opensData reports whether a reply line ends a 125 or 150 preliminary
// reply: a multi-line one ("150-…" lines, as pure-ftpd sends) counts once,
// at its last line.
func opensData(line string) bool {
	return len(line) >= 4 && (line[:3] == "125" || line[:3] == "150") && line[3] == ' '
}

// commandVerb returns the upper-cased verb of a command line, skipping
// leading bytes that are not letters (Telnet IAC before ABOR).
func commandVerb(line string) string {
	line = strings.TrimLeftFunc(line, func(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') })
	verb, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
	return strings.ToUpper(verb)
}
