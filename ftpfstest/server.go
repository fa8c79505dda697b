package ftpfstest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"time"

	ftpserver "github.com/fclairamb/ftpserverlib"
	"github.com/spf13/afero"
)

// Server is an FTP server on the loopback interface that serves an
// afero.Fs, for use in tests. Its methods are safe for concurrent use.
type Server struct {
	addr           string
	scheme         string
	user, password string
	cert           *x509.Certificate // nil without TLS

	ln        net.Listener // the TCP listener, under any TLS
	track     *tracker
	commands  *commandCounter
	serveDone chan struct{}
	closeOnce sync.Once
}

// NewServer starts an FTP server on 127.0.0.1, on a port the system picks,
// that serves backing as its root directory: what a client uploads lands
// in backing, and what a test writes to backing can be downloaded at once.
// backing is used as is; its quirks (afero.MemMapFs removes a non-empty
// directory, for one) are the server's.
//
// By default the server speaks plain FTP, accepts only [DefaultUser] with
// [DefaultPassword], and offers MLSD, MLST, MFMT and SITE; see the With
// options. It is built on github.com/fclairamb/ftpserverlib.
//
// Like httptest.NewServer, NewServer panics if it cannot listen, make its
// certificate or start, and if backing is nil: a test cannot go on without
// its server. Call [Server.Close] when done, typically with t.Cleanup.
func NewServer(backing afero.Fs, opts ...Option) *Server {
	if backing == nil {
		panic("ftpfstest: NewServer needs a file system to serve, got nil")
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	s, err := start(backing, cfg)
	if err != nil {
		panic("ftpfstest: cannot start the server: " + err.Error())
	}
	return s
}

func start(backing afero.Fs, cfg config) (*Server, error) {
	s := &Server{
		user:      cfg.user,
		password:  cfg.password,
		commands:  newCommandCounter(cfg.hook),
		serveDone: make(chan struct{}),
	}
	var tlsConfig *tls.Config
	if cfg.tls != tlsNone {
		cert, leaf, err := newCertificate(time.Now())
		if err != nil {
			return nil, err
		}
		s.cert = cert
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s.ln = ln
	s.addr = ln.Addr().String()

	var refuseTLS *tls.Config
	settings := ftpserver.Settings{
		ListenAddr:  s.addr, // only shown in the STAT reply: Listener is what counts
		PublicHost:  "127.0.0.1",
		Banner:      "ftpfstest",
		IdleTimeout: idleSeconds(cfg.idleTimeout),
		DisableMLSD: cfg.noMLSD,
		DisableMLST: cfg.noMLSD,
		DisableMFMT: cfg.noMFMT,
		DisableSite: cfg.noSite,
		EnableHASH:  cfg.hash,
	}
	switch cfg.tls {
	case tlsNone:
		s.scheme = "ftp"
	case tlsExplicit:
		s.scheme = "ftpes"
	case tlsImplicit:
		s.scheme = "ftps"
		settings.TLSRequired = ftpserver.ImplicitEncryption
		refuseTLS = tlsConfig
	}
	s.track = newTracker(cfg.maxClients, refuseTLS)

	// ftpserverlib wraps the listener in TLS itself only when it opens the
	// listener, so with our own listener implicit TLS is ours to add.
	var served net.Listener = &listener{Listener: ln, t: s.track}
	if cfg.tls == tlsImplicit {
		served = tls.NewListener(served, tlsConfig)
	}
	settings.Listener = served

	srv := ftpserver.NewFtpServer(&driver{
		cfg:       cfg,
		backing:   backing,
		settings:  settings,
		tlsConfig: tlsConfig,
		track:     s.track,
	})
	srv.Logger = slog.New(commandLog{c: s.commands, t: s.track})
	if err := srv.Listen(); err != nil {
		_ = ln.Close() // the error from Listen says what went wrong
		return nil, err
	}
	go func() {
		defer close(s.serveDone)
		// Serve returns nil when Close closes the listener; any other
		// error also means no more clients, which tests notice.
		_ = srv.Serve()
	}()
	return s, nil
}

// idleSeconds converts WithIdleTimeout's duration to ftpserverlib's
// setting: 0 asks for its default and a negative number turns it off.
func idleSeconds(d time.Duration) int {
	switch {
	case d == 0:
		return 0
	case d < 0:
		return -1
	}
	return int((d + time.Second - 1) / time.Second)
}

// URL returns the server's address as a URL with the credentials it
// accepts and the root as path, such as "ftp://test:test@127.0.0.1:2121/".
// The scheme is "ftpes" with [WithExplicitTLS] and "ftps" with
// [WithImplicitTLS].
func (s *Server) URL() string {
	u := url.URL{
		Scheme: s.scheme,
		User:   url.UserPassword(s.user, s.password),
		Host:   s.addr,
		Path:   "/",
	}
	return u.String()
}

// Addr returns the host and port the server listens on, such as
// "127.0.0.1:2121", ready for net.Dial or ftp.Dial.
func (s *Server) Addr() string { return s.addr }

// User returns the user name the server accepts.
func (s *Server) User() string { return s.user }

// Password returns the password the server accepts for [Server.User].
func (s *Server) Password() string { return s.password }

// Certificate returns the self-signed certificate the server presents
// with [WithExplicitTLS] or [WithImplicitTLS], and nil without TLS.
func (s *Server) Certificate() *x509.Certificate { return s.cert }

// ClientTLSConfig returns a new client configuration that trusts the
// server's certificate (and no other) for the name "127.0.0.1", or nil
// when the server has no TLS. Each call returns a new value, which the
// caller may change, for example to add a ClientSessionCache.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.cert == nil {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.cert)
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// Commands returns how many times the server has received each command
// since it started or since the last [Server.ResetCommands], by verb in
// upper case: {"USER": 1, "PASS": 1, "RETR": 2, …}. It counts every
// connection, including commands refused for lack of a login. A command
// is counted before the server replies to it, so the counts are complete
// for every reply a client has read. The map is a copy.
func (s *Server) Commands() map[string]int { return s.commands.snapshot() }

// ResetCommands sets every count of [Server.Commands] back to zero.
func (s *Server) ResetCommands() { s.commands.reset() }

// Close stops the server: it stops accepting clients, closes every control
// connection, data connection and passive listener, and waits until the
// accept loop has returned and ftpserverlib has let go of every
// connection, which is the last thing its goroutines do before they exit.
// Clients see their connections drop. Close may be called more than once;
// later calls do nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		// The error can only be that the listener is closed already.
		_ = s.ln.Close()
		<-s.serveDone
		s.track.shutdown()
	})
}
