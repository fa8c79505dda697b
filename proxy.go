package ftpfs

import (
	"errors"
	"net/url"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
)

// WithProxy makes every control and data connection of the Fs go
// through a proxy, named by a URL:
//
//	socks5://[user:password@]host[:port]  a SOCKS5 proxy (port 1080 by default; socks5h:// is the same)
//	http://[user:password@]host:port      an HTTP proxy, with CONNECT
//
// Data connections go through the proxy to the control connection's
// host. The proxy is reached with the dialer of WithDialer, if any. TLS
// (ftpes://, ftps://) runs end to end, through the tunnel. The proxy's
// password never appears in errors, logs or Name.
//
// The URL parameter ?proxy=URL (percent-encoded) does the same;
// ?proxy=env is WithProxyFromEnvironment. An option given to Dial
// overrides the URL's parameter.
func WithProxy(proxyURL string) Option {
	return func(c *config) error {
		u, err := ftpconn.ParseProxy(proxyURL)
		if err != nil {
			return err
		}
		c.proxy = func(forward ftpconn.DialFunc) (ftpconn.DialFunc, error) {
			return ftpconn.ProxyDialer(u, forward)
		}
		return nil
	}
}

// WithProxyFromEnvironment makes the Fs honour the ALL_PROXY environment
// variable (or all_proxy), read when Dial is called, as curl does: a
// proxy URL as WithProxy takes, used for every connection except to the
// hosts NO_PROXY (or no_proxy) names (comma-separated host names,
// .domains, IP addresses and CIDR networks). Without ALL_PROXY the Fs
// connects directly. The environment is never read without this option.
func WithProxyFromEnvironment() Option {
	return func(c *config) error {
		c.proxy = ftpconn.EnvironmentProxy
		return nil
	}
}

// WithoutProxy connects directly, overriding a proxy named by the URL or
// an earlier option.
func WithoutProxy() Option {
	return func(c *config) error {
		c.proxy = nil
		return nil
	}
}

// proxyDialer returns the dialer of the Fs's connections: cfg's dialer,
// through cfg's proxy if any.
func (c *config) proxyDialer() (ftpconn.DialFunc, error) {
	if c.proxy == nil {
		return c.dialer, nil
	}
	d, err := c.proxy(c.dialer)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, errors.New("ftpfs: no proxy dialer")
	}
	return d, nil
}

// urlOptions reads the parameters of a server URL: proxy (see WithProxy)
// and encoding (see WithEncoding); others are ignored, as before. It
// returns them as options, and the query to show, without the proxy's
// password.
func urlOptions(q url.Values) (opts []Option, shown string, err error) {
	if raw := q.Get("proxy"); raw != "" {
		if raw == "env" {
			opts = append(opts, WithProxyFromEnvironment())
		} else {
			u, err := ftpconn.ParseProxy(raw)
			if err != nil {
				return nil, "", err
			}
			opts = append(opts, WithProxy(raw))
			q.Set("proxy", ftpconn.RedactProxy(u))
		}
	}
	if name := q.Get("encoding"); name != "" {
		enc, err := encodingByName(name)
		if err != nil {
			return nil, "", err
		}
		opts = append(opts, WithEncoding(enc))
	}
	return opts, q.Encode(), nil
}
