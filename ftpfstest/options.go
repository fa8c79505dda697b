package ftpfstest

import "time"

// DefaultUser and DefaultPassword are the credentials a [Server] accepts
// unless [WithCredentials] gives others.
const (
	DefaultUser     = "test"
	DefaultPassword = "test"
)

// tlsMode says how, if at all, a server speaks TLS.
type tlsMode int

const (
	tlsNone     tlsMode = iota // plain FTP; AUTH TLS is refused
	tlsExplicit                // plain at first; AUTH TLS upgrades the control connection
	tlsImplicit                // TLS from the first byte, on control and data connections
)

// config is what the options set; NewServer starts from defaultConfig.
type config struct {
	user, password string
	anonymous      bool
	tls            tlsMode
	hook           func(cmd, arg string)
	idleTimeout    time.Duration
	maxClients     int
	noMLSD         bool
	noMFMT         bool
	noSite         bool
	hash           bool
}

func defaultConfig() config {
	return config{
		user:     DefaultUser,
		password: DefaultPassword,
	}
}

// Option changes how [NewServer] sets up a [Server].
type Option func(*config)

// WithCredentials sets the only user name and password the server accepts
// (besides anonymous logins, see [WithAnonymous]). A wrong pair is refused
// with reply 530 and the server closes the connection, as ftpserverlib
// does. The default is [DefaultUser] and [DefaultPassword].
func WithCredentials(user, password string) Option {
	return func(c *config) {
		c.user = user
		c.password = password
	}
}

// WithAnonymous makes the server also accept the users "anonymous" and
// "ftp" with any password, as public FTP servers do. By default anonymous
// logins are refused with 530.
func WithAnonymous() Option {
	return func(c *config) { c.anonymous = true }
}

// WithExplicitTLS makes the server offer AUTH TLS (RFC 4217): clients
// connect in the clear and upgrade the control connection, then choose
// protected data connections with PROT P. The server makes a self-signed
// certificate for 127.0.0.1 when it starts; [Server.ClientTLSConfig] trusts
// it. TLS stays optional for clients. [Server.URL] uses the scheme
// "ftpes". By default the server has no TLS and refuses AUTH TLS.
// The last of WithExplicitTLS and [WithImplicitTLS] wins.
func WithExplicitTLS() Option {
	return func(c *config) { c.tls = tlsExplicit }
}

// WithImplicitTLS makes the server speak TLS from the first byte on the
// control connection and on every data connection (the old "FTPS" on port
// 990). The certificate is made as for [WithExplicitTLS]. [Server.URL]
// uses the scheme "ftps". By default the server has no TLS.
func WithImplicitTLS() Option {
	return func(c *config) { c.tls = tlsImplicit }
}

// WithCommandHook calls hook with every command line the server receives,
// on any connection, before the server acts on it: by the time a client
// has read a reply, the hook has seen the command. cmd is the verb in
// upper case ("RETR"), arg the rest of the line as sent, which for PASS is
// the password. The hook may be called from several goroutines at once and
// must not block. The counts of [Server.Commands] are kept either way. By
// default there is no hook.
func WithCommandHook(hook func(cmd, arg string)) Option {
	return func(c *config) { c.hook = hook }
}

// WithIdleTimeout makes the server close a control connection that sends
// no command for d, after replying 421; a running transfer keeps it open.
// ftpserverlib counts in whole seconds, so d is rounded up to a whole
// number of seconds. A d of zero or less turns the timeout off. The
// default is ftpserverlib's, 900 seconds.
func WithIdleTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			d = -1
		}
		c.idleTimeout = d
	}
}

// WithMaxClients limits the number of control connections open at once
// to n, as servers limit connections per client. The server answers one
// more with reply 421 and closes it. A connection stops counting as soon
// as the server receives its QUIT, so a client that has read the reply to
// QUIT can connect again at once, or else when the server closes it. n of
// zero or less means no limit, which is the default.
func WithMaxClients(n int) Option {
	return func(c *config) { c.maxClients = max(n, 0) }
}

// WithoutMLSD turns off the machine listings of RFC 3659: MLSD and MLST
// are answered with 500 and left out of FEAT, as on servers such as
// vsftpd, so clients must parse LIST. By default both are on.
func WithoutMLSD() Option {
	return func(c *config) { c.noMLSD = true }
}

// WithoutMFMT leaves MFMT (set a file's modification time) out of the
// FEAT reply, so clients that look there, as they should, do without it.
// ftpserverlib v0.30.0 still carries out an MFMT sent anyway. By default
// MFMT is advertised and sets the time through the backing file system's
// Chtimes.
func WithoutMFMT() Option {
	return func(c *config) { c.noMFMT = true }
}

// WithoutSite turns off the SITE command, so SITE CHMOD is answered with
// 500. By default SITE is on: SITE CHMOD calls the backing file system's
// Chmod, and SITE MKDIR, RMDIR and CHOWN work too.
func WithoutSite() Option {
	return func(c *config) { c.noSite = true }
}

// WithHash turns on the file hash commands: HASH (with OPTS HASH to pick
// SHA-256, SHA-1, MD5, CRC32 or SHA-512), and XCRC, XMD5, XSHA1, XSHA256
// and XSHA512, all listed in FEAT. By default they are off, as on most
// servers.
func WithHash() Option {
	return func(c *config) { c.hash = true }
}
