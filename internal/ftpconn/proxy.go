package ftpconn

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/net/proxy"
)

// DialFunc makes a plain TCP connection: a Config's Dialer.
type DialFunc = func(ctx context.Context, network, address string) (net.Conn, error)

// ParseProxy reads a proxy URL: socks5://[user:password@]host[:port]
// (port 1080 by default; socks5h:// is the same: the proxy resolves host
// names either way) or http://[user:password@]host:port (HTTP CONNECT).
// Its errors never contain the password.
func ParseProxy(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the URL, password and all
		}
		return nil, fmt.Errorf("ftpfs: bad proxy URL: %w", err)
	}
	switch u.Scheme = strings.ToLower(u.Scheme); u.Scheme {
	case "socks5", "socks5h":
		if u.Port() == "" && u.Hostname() != "" {
			u.Host = net.JoinHostPort(u.Hostname(), "1080")
		}
	case "http":
		if u.Port() == "" {
			return nil, fmt.Errorf("ftpfs: proxy %s: an HTTP proxy URL needs a port", RedactProxy(u))
		}
	default:
		return nil, fmt.Errorf("ftpfs: proxy URL scheme %q: want socks5, socks5h or http", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("ftpfs: proxy URL has no host")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("ftpfs: proxy %s: a proxy URL has no path or query", RedactProxy(u))
	}
	return u, nil
}

// RedactProxy returns u as text without its password.
func RedactProxy(u *url.URL) string {
	shown := *u
	if u.User != nil {
		shown.User = url.User(u.User.Username())
	}
	return shown.String()
}

// ProxyDialer returns a dial function that connects through the proxy u
// (see ParseProxy), reaching the proxy with forward. Control and data
// connections both go through it when it is a Config's Dialer. ctx
// bounds the connection to the proxy and the proxy's handshake.
func ProxyDialer(u *url.URL, forward DialFunc) (DialFunc, error) {
	var auth *proxy.Auth
	if u.User != nil {
		pw, _ := u.User.Password()
		auth = &proxy.Auth{User: u.User.Username(), Password: pw}
	}
	switch u.Scheme {
	case "socks5", "socks5h":
		d, err := proxy.SOCKS5("tcp", u.Host, auth, contextDialer(forward))
		if err != nil {
			return nil, err
		}
		cd, ok := d.(proxy.ContextDialer)
		if !ok {
			return nil, errors.New("ftpfs: the SOCKS5 dialer has no DialContext")
		}
		return cd.DialContext, nil
	case "http":
		c := &connectDialer{proxy: u.Host, forward: forward}
		if auth != nil {
			c.authorization = "Basic " + base64.StdEncoding.EncodeToString([]byte(auth.User+":"+auth.Password))
		}
		return c.dial, nil
	}
	return nil, fmt.Errorf("ftpfs: proxy URL scheme %q: want socks5, socks5h or http", u.Scheme)
}

// EnvironmentProxy returns a dial function that honours ALL_PROXY (or
// all_proxy) as curl does: connections go through that proxy, except to
// the hosts, domains and networks NO_PROXY (or no_proxy) names. Without
// ALL_PROXY it returns forward.
func EnvironmentProxy(forward DialFunc) (DialFunc, error) {
	raw := getenv("ALL_PROXY")
	if raw == "" {
		return forward, nil
	}
	u, err := ParseProxy(raw)
	if err != nil {
		return nil, fmt.Errorf("ALL_PROXY: %w", err)
	}
	via, err := ProxyDialer(u, forward)
	if err != nil {
		return nil, err
	}
	noProxy := getenv("NO_PROXY")
	if noProxy == "" {
		return via, nil
	}
	perHost := proxy.NewPerHost(contextDialer(via), contextDialer(forward))
	perHost.AddFromString(noProxy)
	return perHost.DialContext, nil
}

func getenv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return os.Getenv(strings.ToLower(name))
}

// contextDialer makes a DialFunc a proxy.Dialer and proxy.ContextDialer.
type contextDialer DialFunc

func (d contextDialer) Dial(network, address string) (net.Conn, error) {
	return d(context.Background(), network, address)
}

func (d contextDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return d(ctx, network, address)
}

// connectDialer tunnels connections through an HTTP proxy with CONNECT
// (RFC 9110, 9.3.6).
type connectDialer struct {
	proxy         string // host:port
	forward       DialFunc
	authorization string // the Proxy-Authorization header's value, if any
}

func (d *connectDialer) dial(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.forward(ctx, network, d.proxy)
	if err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(deadline) // a failure shows up as an I/O error
	}
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Unix(1, 0)) })
	br, err := d.connect(c, address)
	if !stop() && ctx.Err() != nil {
		err = errors.Join(ctx.Err(), err)
	}
	if err != nil {
		_ = c.Close() // the CONNECT error is what matters
		return nil, fmt.Errorf("ftpfs: HTTP proxy %s: CONNECT %s: %w", d.proxy, address, err)
	}
	_ = c.SetDeadline(time.Time{})
	if br.Buffered() == 0 {
		return c, nil
	}
	// The server spoke first (an FTP greeting) and the proxy sent it
	// together with its answer: keep those bytes.
	return &bufferedConn{Conn: c, r: br}, nil
}

// connect asks the proxy for a tunnel to address and reads its answer.
func (d *connectDialer) connect(c net.Conn, address string) (*bufio.Reader, error) {
	var req strings.Builder
	fmt.Fprintf(&req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", address, address)
	if d.authorization != "" {
		fmt.Fprintf(&req, "Proxy-Authorization: %s\r\n", d.authorization)
	}
	req.WriteString("\r\n")
	if _, err := c.Write([]byte(req.String())); err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("the proxy answered %s", resp.Status)
	}
	return br, nil
}

// bufferedConn is a connection whose first bytes were read ahead.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) {
	if c.r.Buffered() > 0 {
		return c.r.Read(p)
	}
	return c.Conn.Read(p)
}
