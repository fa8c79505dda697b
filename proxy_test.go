package ftpfs_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// testProxy is a small SOCKS5 (RFC 1928, 1929) or HTTP CONNECT proxy on
// loopback, for the hermetic proxy tests. It records the address of
// every tunnel it opens.
type testProxy struct {
	kind     string // "socks5" or "http"
	user     string // credentials it demands; none when empty
	password string
	ln       net.Listener

	mu      sync.Mutex
	targets []string
	conns   []net.Conn
}

func startTestProxy(t *testing.T, kind, user, password string) *testProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &testProxy{kind: kind, user: user, password: password, ln: ln}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

// URL returns the proxy's URL, with its credentials.
func (p *testProxy) URL() string {
	u := url.URL{Scheme: p.kind, Host: p.ln.Addr().String()}
	if p.user != "" {
		u.User = url.UserPassword(p.user, p.password)
	}
	return u.String()
}

func (p *testProxy) Addr() string { return p.ln.Addr().String() }

// Targets returns the addresses of the tunnels opened so far.
func (p *testProxy) Targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.targets)
}

func (p *testProxy) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
}

func (p *testProxy) track(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = append(p.conns, c)
}

func (p *testProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.track(c)
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(c)
			var target string
			var err error
			if p.kind == "socks5" {
				target, err = p.socksHandshake(br, c)
			} else {
				target, err = p.connectHandshake(br, c)
			}
			if err != nil {
				return
			}
			up, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil {
				if p.kind == "socks5" {
					_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
				} else {
					_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
				}
				return
			}
			p.track(up)
			defer up.Close()
			p.mu.Lock()
			p.targets = append(p.targets, target)
			p.mu.Unlock()
			if p.kind == "socks5" {
				_, err = c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
			} else {
				_, err = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
			}
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Time{})
			done := make(chan struct{})
			go func() {
				_, _ = io.Copy(up, br)
				if tc, ok := up.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
				}
				close(done)
			}()
			_, _ = io.Copy(c, up)
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.CloseWrite()
			}
			<-done
		}()
	}
}

// socksHandshake reads a SOCKS5 greeting, authentication and CONNECT
// request, and returns the target.
func (p *testProxy) socksHandshake(br *bufio.Reader, c net.Conn) (string, error) {
	head := make([]byte, 2)
	if _, err := io.ReadFull(br, head); err != nil || head[0] != 5 {
		return "", errors.New("not SOCKS5")
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(br, methods); err != nil {
		return "", err
	}
	want := byte(0)
	if p.user != "" {
		want = 2
	}
	if !slices.Contains(methods, want) {
		_, _ = c.Write([]byte{5, 0xff})
		return "", errors.New("no acceptable method")
	}
	if _, err := c.Write([]byte{5, want}); err != nil {
		return "", err
	}
	if want == 2 {
		ver, err := br.ReadByte()
		if err != nil || ver != 1 {
			return "", errors.New("bad auth version")
		}
		user, err := readShortString(br)
		if err != nil {
			return "", err
		}
		pass, err := readShortString(br)
		if err != nil {
			return "", err
		}
		if user != p.user || pass != p.password {
			_, _ = c.Write([]byte{1, 1})
			return "", errors.New("bad credentials")
		}
		if _, err := c.Write([]byte{1, 0}); err != nil {
			return "", err
		}
	}
	req := make([]byte, 4)
	if _, err := io.ReadFull(br, req); err != nil || req[1] != 1 {
		return "", errors.New("not CONNECT")
	}
	var host string
	switch req[3] {
	case 1, 4:
		ip := make([]byte, 4)
		if req[3] == 4 {
			ip = make([]byte, 16)
		}
		if _, err := io.ReadFull(br, ip); err != nil {
			return "", err
		}
		host = net.IP(ip).String()
	case 3:
		name, err := readShortString(br)
		if err != nil {
			return "", err
		}
		host = name
	default:
		return "", errors.New("bad address type")
	}
	port := make([]byte, 2)
	if _, err := io.ReadFull(br, port); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port)))), nil
}

func readShortString(br *bufio.Reader) (string, error) {
	n, err := br.ReadByte()
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(br, b)
	return string(b), err
}

// connectHandshake reads an HTTP CONNECT request and returns its target.
func (p *testProxy) connectHandshake(br *bufio.Reader, c net.Conn) (string, error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		return "", err
	}
	if req.Method != http.MethodConnect {
		_, _ = io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\n\r\n")
		return "", errors.New("not CONNECT")
	}
	if p.user != "" {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.password))
		if req.Header.Get("Proxy-Authorization") != want {
			_, _ = io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n\r\n")
			return "", errors.New("bad credentials")
		}
	}
	return req.Host, nil
}

// onlyTo is a dialer that reaches addr and nothing else: with it, a
// connection that does not go through the proxy fails.
func onlyTo(addr string) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		if address != addr {
			return nil, fmt.Errorf("test dialer: %s is not the proxy %s", address, addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	}
}

// proxyWorkout runs list, write, read, rename and remove on fsys, which
// goes through a proxy.
func proxyWorkout(t *testing.T, fsys afero.Fs) {
	t.Helper()
	if err := fsys.Mkdir("via-proxy", 0o755); err != nil {
		t.Fatalf("Mkdir: %v", err)
	}
	data := strings.Repeat("through the tunnel\n", 5000)
	if err := afero.WriteFile(fsys, "via-proxy/f.txt", []byte(data), 0o644); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if got, err := afero.ReadFile(fsys, "via-proxy/f.txt"); err != nil || string(got) != data {
		t.Fatalf("ReadFile: %d bytes, %v", len(got), err)
	}
	if err := fsys.Rename("via-proxy/f.txt", "via-proxy/g.txt"); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if names := readDirNames(t, fsys, "via-proxy"); !slices.Equal(names, []string{"g.txt"}) {
		t.Fatalf("ReadDir = %q", names)
	}
	if err := fsys.RemoveAll("via-proxy"); err != nil {
		t.Fatalf("RemoveAll: %v", err)
	}
}

// checkTunnels checks that the proxy carried the control connection to
// control and data connections to other ports of its host.
func checkTunnels(t *testing.T, targets []string, control string) {
	t.Helper()
	host, _, _ := net.SplitHostPort(control)
	var controls, data int
	for _, target := range targets {
		h, _, _ := net.SplitHostPort(target)
		switch {
		case target == control:
			controls++
		case h == host:
			data++
		default:
			t.Errorf("tunnel to %s, neither the server's control port nor its host", target)
		}
	}
	if controls == 0 || data < 3 {
		t.Fatalf("tunnels %q: want the control connection and data connections", targets)
	}
}

// TestProxies runs Fs operations through a SOCKS5 and an HTTP CONNECT
// proxy (with and without credentials) on the in-process servers, plain
// and TLS, with a dialer that reaches nothing but the proxy: every
// control and data connection goes through it.
func TestProxies(t *testing.T) {
	for _, s := range hermeticServers(t) {
		for _, kind := range []string{"socks5", "http"} {
			for _, auth := range []bool{false, true} {
				name := s.name + "/" + kind
				if auth {
					name += "-auth"
				}
				t.Run(name, func(t *testing.T) {
					user, password := "", ""
					if auth {
						user, password = "proxyuser", "proxy-Secret-7"
					}
					p := startTestProxy(t, kind, user, password)
					fsys := s.fresh(t, ftpfs.WithProxy(p.URL()), ftpfs.WithDialer(onlyTo(p.Addr())))
					proxyWorkout(t, fsys)
					checkTunnels(t, p.Targets(), mustHost(t, s.url))
				})
			}
		}
	}
}

// TestProxyURLParameter checks ?proxy=, that Name hides the proxy's
// password, and that an option overrides the parameter.
func TestProxyURLParameter(t *testing.T) {
	s := hermeticServers(t)[0]
	p := startTestProxy(t, "socks5", "u", "proxy-Secret-7")
	raw := s.url + "?proxy=" + url.QueryEscape(p.URL())
	fsys, err := ftpfs.Dial(context.Background(), raw, ftpfs.WithDialer(onlyTo(p.Addr())))
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if _, err := afero.ReadDir(fsys, "."); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(fsys.Name(), "proxy-Secret-7") || !strings.Contains(fsys.Name(), "proxy=") {
		t.Errorf("Name() = %q: want the proxy without its password", fsys.Name())
	}
	if len(p.Targets()) < 2 {
		t.Fatalf("tunnels %q", p.Targets())
	}
	direct, err := ftpfs.Dial(context.Background(), raw, ftpfs.WithoutProxy())
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	before := len(p.Targets())
	if _, err := afero.ReadDir(direct, "."); err != nil {
		t.Fatal(err)
	}
	if len(p.Targets()) != before {
		t.Errorf("WithoutProxy went through the proxy")
	}

	for _, bad := range []string{"ftp://x:1", "socks5://", "http://host", "socks5://h:1/path", "%zz"} {
		if _, err := ftpfs.Dial(context.Background(), s.url+"?proxy="+url.QueryEscape(bad)); err == nil {
			t.Errorf("?proxy=%s accepted", bad)
		}
	}
}

// TestProxyFromEnvironment checks that ALL_PROXY is honoured only when
// asked, and NO_PROXY.
func TestProxyFromEnvironment(t *testing.T) {
	s := hermeticServers(t)[0]
	p := startTestProxy(t, "http", "", "")
	t.Setenv("ALL_PROXY", p.URL())
	t.Setenv("NO_PROXY", "")
	list := func(opts ...ftpfs.Option) {
		t.Helper()
		fsys, err := ftpfs.Dial(context.Background(), s.url, opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer fsys.Close()
		if _, err := afero.ReadDir(fsys, "."); err != nil {
			t.Fatal(err)
		}
	}
	list()
	if got := p.Targets(); len(got) != 0 {
		t.Fatalf("without WithProxyFromEnvironment the proxy was used: %q", got)
	}
	list(ftpfs.WithProxyFromEnvironment(), ftpfs.WithDialer(onlyTo(p.Addr())))
	if got := p.Targets(); len(got) < 2 {
		t.Fatalf("WithProxyFromEnvironment: tunnels %q", got)
	}
	t.Setenv("NO_PROXY", "localhost,127.0.0.0/8")
	before := len(p.Targets())
	list(ftpfs.WithProxyFromEnvironment())
	if got := p.Targets(); len(got) != before {
		t.Fatalf("NO_PROXY covers the server, yet the proxy was used: %q", got[before:])
	}
	t.Setenv("NO_PROXY", "")
	before = len(p.Targets())
	fsys, err := ftpfs.Dial(context.Background(), s.url+"?proxy=env", ftpfs.WithDialer(onlyTo(p.Addr())))
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if len(p.Targets()) == before {
		t.Fatal("?proxy=env did not use ALL_PROXY")
	}
	t.Setenv("ALL_PROXY", "")
	t.Setenv("all_proxy", "")
	list(ftpfs.WithProxyFromEnvironment()) // no ALL_PROXY: direct
}

// TestProxyErrors checks what a refusing or silent proxy gives: an error
// that names the proxy and never its password, within the dial timeout.
func TestProxyErrors(t *testing.T) {
	s := hermeticServers(t)[0]
	for _, kind := range []string{"socks5", "http"} {
		p := startTestProxy(t, kind, "u", "right-Secret-1")
		wrong := strings.Replace(p.URL(), "right-Secret-1", "wrong-Secret-2", 1)
		_, err := ftpfs.Dial(context.Background(), s.url, ftpfs.WithProxy(wrong))
		if err == nil {
			t.Fatalf("%s: wrong credentials accepted", kind)
		}
		if strings.Contains(err.Error(), "Secret") {
			t.Errorf("%s: error shows the password: %v", kind, err)
		}
		if kind == "http" && !strings.Contains(err.Error(), "407") {
			t.Errorf("http: error %q does not give the proxy's answer", err)
		}
		_, err = ftpfs.Dial(context.Background(), s.url+"?proxy="+url.QueryEscape(wrong))
		if err == nil || strings.Contains(err.Error(), "Secret") {
			t.Errorf("%s: ?proxy= with wrong credentials: %v", kind, err)
		}
	}

	// A proxy that accepts and says nothing: the dial timeout ends it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	}()
	for _, scheme := range []string{"socks5", "http"} {
		start := time.Now()
		_, err := ftpfs.Dial(context.Background(), s.url, ftpfs.WithProxy(scheme+"://"+ln.Addr().String()), ftpfs.WithDialTimeout(300*time.Millisecond))
		if err == nil {
			t.Fatalf("%s: a silent proxy connected", scheme)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s: a silent proxy took %v to fail", scheme, took)
		}
	}
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
