package ftpconn

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"time"

	"golang.org/x/text/encoding"
)

// Security is how a server's connections are protected.
type Security uint8

// The kinds of Security.
const (
	Plain    Security = iota // ftp://
	Explicit                 // ftpes://: AUTH TLS on the plain port
	Implicit                 // ftps://: TLS from the first byte
)

// Config is what a session needs to reach and log in to a server.
type Config struct {
	Address  string // host:port
	Host     string // the host alone: data connections go there
	User     string
	Password string
	Security Security
	TLS      *tls.Config // cloned per session; nil: the zero config
	// Dialer makes plain TCP connections (control and data).
	Dialer      func(ctx context.Context, network, address string) (net.Conn, error)
	DialTimeout time.Duration // connect, greet, log in
	Timeout     time.Duration // each command; each read or write of a transfer
	Logger      *slog.Logger
	DisableMLSD bool
	DisableEPSV bool
	// Encoding is the encoding of names on the wire (see encoding.go);
	// nil sends and takes names as they are: UTF-8.
	Encoding encoding.Encoding
}
