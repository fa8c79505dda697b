package ftpfs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
	"golang.org/x/text/encoding"
)

// Option configures Dial. Each option checks its argument; Dial returns
// the first option's error.
type Option func(*config) error

// config is what the options set.
type config struct {
	tlsConfig    *tls.Config
	dialTimeout  time.Duration
	timeout      time.Duration
	maxConns     int
	logger       *slog.Logger
	timeShift    time.Duration
	parser       parsers.Parser
	cacheOptions cache.Options
	cacheOff     bool
	disableMLSD  bool
	disableEPSV  bool
	dialer       func(ctx context.Context, network, address string) (net.Conn, error)
	skipBadLines bool
	atomicWrites bool
	noPrefetch   bool
	spoolDir     string // "" is os.TempDir()
	spoolLimit   int64
	noSpool      bool
	encoding     encoding.Encoding                                // WithEncoding; nil: UTF-8
	proxy        func(ftpconn.DialFunc) (ftpconn.DialFunc, error) // WithProxy; nil: direct
}

// Defaults of the options.
const (
	DefaultDialTimeout = 30 * time.Second
	DefaultTimeout     = 60 * time.Second
	DefaultMaxConns    = 4
	// DefaultSpoolLimit bounds a read-write file (see WithSpoolLimit): big
	// enough for the documents, archives and databases people edit in
	// place, small enough that opening a disk image read-write by mistake
	// fails at once instead of downloading for minutes into a temporary
	// directory that is often in memory (tmpfs).
	DefaultSpoolLimit int64 = 1 << 30
)

func defaultConfig() config {
	d := &net.Dialer{}
	return config{
		dialTimeout: DefaultDialTimeout,
		timeout:     DefaultTimeout,
		maxConns:    DefaultMaxConns,
		spoolLimit:  DefaultSpoolLimit,
		logger:      slog.New(slog.DiscardHandler),
		dialer:      d.DialContext,
	}
}

// WithTLSConfig sets the TLS configuration for ftpes:// (explicit TLS)
// and ftps:// (implicit TLS) URLs. Each control connection gets its own
// clone with its own session cache, shared with its data connections and
// no other connection, so that servers that demand TLS session reuse on
// data connections (vsftpd's require_ssl_reuse) work. The default is the
// zero tls.Config: the system's roots verify the server's certificate.
// Verification is never turned off for you.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *config) error {
		if cfg == nil {
			return errors.New("ftpfs: WithTLSConfig: nil config")
		}
		c.tlsConfig = cfg
		return nil
	}
}

// WithDialTimeout bounds the time to connect, greet and log in. The
// default is DefaultDialTimeout.
func WithDialTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("ftpfs: WithDialTimeout(%v): not positive", d)
		}
		c.dialTimeout = d
		return nil
	}
}

// WithTimeout bounds each command and each read or write of a transfer: a
// server that does not answer for this long fails the call with a timeout
// error. The default is DefaultTimeout; zero means no limit.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("ftpfs: WithTimeout(%v): negative", d)
		}
		c.timeout = d
		return nil
	}
}

// WithMaxConns bounds the number of connections the Fs opens to the
// server at once. FTP runs one command at a time per connection, so this
// is also how many operations run in parallel; an open file holds a
// connection while it transfers. Callers wait, without failing, when all
// are busy. The default is DefaultMaxConns; servers commonly allow a few
// connections per client address.
func WithMaxConns(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("ftpfs: WithMaxConns(%d): at least one connection is needed", n)
		}
		c.maxConns = n
		return nil
	}
}

// WithLogger logs every FTP command and reply at debug level, and
// connection events at info level. Passwords are never logged. The
// default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("ftpfs: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithTimeShift sets the server's time shift: its local time minus UTC.
// Unix and MS-DOS listings show local times; the shift turns them into
// true instants. MLSD times are UTC and need none. It must be a multiple
// of 15 minutes within ±24 hours. The default is zero.
func WithTimeShift(d time.Duration) Option {
	return func(c *config) error {
		if err := checkTimeShift(d); err != nil {
			return err
		}
		c.timeShift = d
		return nil
	}
}

// WithParser parses LIST output with p instead of detecting the format
// (Unix or MS-DOS) from the first listing. MLSD output is always parsed
// as MLSD. Use it for servers with a listing format of their own.
func WithParser(p parsers.Parser) Option {
	return func(c *config) error {
		if p == nil {
			return errors.New("ftpfs: WithParser: nil parser")
		}
		c.parser = p
		return nil
	}
}

// WithCache sets the cache's size bound and maximum age (see package
// cache for the defaults).
func WithCache(o cache.Options) Option {
	return func(c *config) error {
		c.cacheOptions = o
		return nil
	}
}

// WithoutCache starts the Fs with its cache disabled: every Stat and
// ReadDir asks the server. (Fs.Cache().Enable turns it on later.)
func WithoutCache() Option {
	return func(c *config) error {
		c.cacheOff = true
		return nil
	}
}

// WithoutMLSD lists directories with LIST even when the server offers
// MLSD. Use it for servers whose MLSD is broken. LIST times may have
// minute or day precision only.
func WithoutMLSD() Option {
	return func(c *config) error {
		c.disableMLSD = true
		return nil
	}
}

// WithoutEPSV opens data connections with PASV only. Use it for servers
// or firewalls that mishandle EPSV.
func WithoutEPSV() Option {
	return func(c *config) error {
		c.disableEPSV = true
		return nil
	}
}

// WithDialer makes every control and data connection through dial (for a
// proxy, a test, or a custom source address). It must return plain TCP
// connections: the Fs adds TLS itself.
func WithDialer(dial func(ctx context.Context, network, address string) (net.Conn, error)) Option {
	return func(c *config) error {
		if dial == nil {
			return errors.New("ftpfs: WithDialer: nil dial function")
		}
		c.dialer = dial
		return nil
	}
}

// WithSkipBadLines makes ReadDir and Stat skip listing lines that no
// parser understands, logging them at warn level (one record per listing,
// naming every skipped line), instead of returning what could be parsed
// together with an error naming the lines.
func WithSkipBadLines() Option {
	return func(c *config) error {
		c.skipBadLines = true
		return nil
	}
}

// WithAtomicWrites makes every file written from its start (not an
// append) upload to a hidden temporary name beside the target and take
// the target's name (RNFR/RNTO) only when the server has confirmed the
// whole upload (its 226, and SIZE, as for every upload); a failed upload
// is deleted. No partial file ever carries the target's name, at the cost
// of two more commands per file. It is off by
// default: most uses write new files, and package sync makes its own
// temporary names.
func WithAtomicWrites() Option {
	return func(c *config) error {
		c.atomicWrites = true
		return nil
	}
}

// WithoutPrefetch turns prefetching off. By default, when ReadDir (of
// IOFS, or of a directory opened with Open) returns a directory's
// entries, the Fs lists its subdirectories in the background, into the
// cache, in the order fs.WalkDir visits them, so that a walk's later
// ReadDir calls find their listings ready: fs.WalkDir then lists on
// several connections at once, and each directory is still listed once.
// Prefetching uses only connections no other call is waiting for, never
// the last one WithMaxConns allows, and none while only one is open; it
// dials one more only when its queue would keep it busy for over twice
// the time a login took (so never on servers whose login costs more than
// a walk saves). It lists at most 32 directories ahead of the reads
// (fewer when their entries would fill half the cache), drops what a walk
// skips, and is off while the cache is disabled. Turn it off when
// directories are read one by one with no walk in view (a file browser
// with many connections open), to spare the server listings nobody reads.
func WithoutPrefetch() Option {
	return func(c *config) error {
		c.noPrefetch = true
		return nil
	}
}

// WithSpoolDir sets the directory where read-write files (see
// Fs.OpenFile) are spooled while open. The default is os.TempDir(), read
// at each open. It must exist; Dial does not check it.
func WithSpoolDir(dir string) Option {
	return func(c *config) error {
		if dir == "" {
			return errors.New("ftpfs: WithSpoolDir: empty directory name")
		}
		c.spoolDir = dir
		return nil
	}
}

// WithSpoolLimit bounds the size of a read-write file, which is spooled
// to local disk while open: opening a larger file fails at once, without
// a download, and a Write, WriteAt or Truncate that would make the file
// larger fails; both with an error wrapping ErrSpoolLimit. The default
// is DefaultSpoolLimit.
func WithSpoolLimit(bytes int64) Option {
	return func(c *config) error {
		if bytes < 0 {
			return fmt.Errorf("ftpfs: WithSpoolLimit(%d): negative", bytes)
		}
		c.spoolLimit = bytes
		return nil
	}
}

// WithoutSpool refuses what needs a local spool, for callers who want no
// local disk used: os.O_RDWR, and os.O_WRONLY into the middle of an
// existing file, fail at open with an *fs.PathError wrapping
// errors.ErrUnsupported.
func WithoutSpool() Option {
	return func(c *config) error {
		c.noSpool = true
		return nil
	}
}

// checkTimeShift enforces ftputil's rule: a multiple of 15 minutes, at
// most 24 hours either way.
func checkTimeShift(d time.Duration) error {
	if d%(15*time.Minute) != 0 || d > 24*time.Hour || d < -24*time.Hour {
		return &TimeShiftError{Shift: d}
	}
	return nil
}
