package ftpfs

import (
	"context"
	"errors"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"io/fs"
	"path"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// Fs is an FTP or FTPS server seen as a filesystem: a complete afero.Fs,
// with an io/fs view (IOFS). Names are slash-separated and relative to the
// base directory of the URL given to Dial; ".." never leaves it.
//
// An Fs is safe for concurrent use by many goroutines. It keeps a bounded
// pool of connections (see WithMaxConns) and a cache of directory
// listings (see Cache), which it updates after every change it makes
// itself.
type Fs struct {
	*core
	// ctx ends the calls of this Fs: the Fs's own life, or with
	// WithContext the caller's context too.
	ctx context.Context
}

// core is what an Fs and its views (WithContext) share: the connections,
// the cache and what is known of the server.
type core struct {
	cfg    config
	target target
	base   string
	conn   ftpconn.Config  // how sessions reach the server
	server *ftpconn.Server // what the server can do, learned by the sessions
	pool   *ftpconn.Pool
	cache  *cache.Cache
	parser parsers.Parser // for LIST output; MLSD output is always parsed as MLSD
	shift  atomic.Int64   // time shift in nanoseconds
	// generation counts the changes the Fs made; see changed.
	generation atomic.Uint64
	changeMu   sync.Mutex  // makes changed and storeListing atomic
	prefetch   *prefetcher // nil WithoutPrefetch
	probes     probeCounts // Open's probes per directory (openprobe.go)
	listCost   costMeter   // how long a listing takes

	life   context.Context // ends when the Fs is closed
	cancel context.CancelFunc
}

var (
	_ afero.Fs         = (*Fs)(nil)
	_ afero.Lstater    = (*Fs)(nil)
	_ afero.LinkReader = (*Fs)(nil)
	_ afero.Symlinker  = (*Fs)(nil)
)

// Dial connects to the FTP server named by rawURL, logs in, and returns
// the server as an Fs. The URL is one of
//
//	ftp://user:password@host:port/path    plain FTP (the password crosses the network in the clear)
//	ftpes://user:password@host:port/path  explicit TLS: AUTH TLS on the plain port (21)
//	ftps://user:password@host:port/path   implicit TLS (port 990)
//
// User, password and path are percent-decoded; without a user the login
// is anonymous. The path is the base directory, relative to the login
// directory, as in RFC 1738; a leading %2F makes it absolute
// (ftp://host/%2Fpub is /pub).
//
// Dial fails with an error matching ErrLogin when the server refuses the
// login, and with the network's error when the server cannot be reached
// within the dial timeout (WithDialTimeout) or before ctx ends. Errors
// never contain the password.
func Dial(ctx context.Context, rawURL string, opts ...Option) (*Fs, error) {
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, opt := range append(t.options, opts...) { // the URL's parameters first
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	dialer, err := cfg.proxyDialer()
	if err != nil {
		return nil, err
	}
	f := &Fs{core: &core{cfg: cfg, target: t, parser: cfg.parser}}
	if f.parser == nil {
		f.parser = parsers.NewAuto()
	}
	f.shift.Store(int64(cfg.timeShift))
	f.cache = cache.New(cfg.cacheOptions)
	if cfg.cacheOff {
		f.cache.Disable()
	}
	f.life, f.cancel = context.WithCancel(context.Background())
	f.ctx = f.life
	f.conn = ftpconn.Config{
		Address: t.address, Host: t.host, User: t.user, Password: t.password, Security: t.security,
		TLS: cfg.tlsConfig, Dialer: dialer, DialTimeout: cfg.dialTimeout, Timeout: cfg.timeout,
		Logger: cfg.logger, DisableMLSD: cfg.disableMLSD, DisableEPSV: cfg.disableEPSV, Encoding: cfg.encoding,
	}
	f.server = ftpconn.NewServer()
	f.pool = ftpconn.NewPool(cfg.maxConns, cfg.timeout, func(ctx context.Context, mode ftpconn.ListMode) (*ftpconn.Session, error) {
		return ftpconn.Dial(ctx, &f.conn, f.server, mode)
	})
	if !cfg.noPrefetch {
		f.prefetch = newPrefetcher(f, cfg.maxConns-1)
	}

	// The first session proves the URL works and finds the base.
	s, err := f.pool.Get(ctx, ftpconn.ListDefault)
	if err != nil {
		_ = f.Close() // stops the dial in flight; the dial's error is what matters
		return nil, dialFailed(t, err)
	}
	f.base = t.base
	if !t.absolute {
		home, err := s.Pwd(ctx)
		f.pool.Put(s, err)
		if err != nil {
			_ = f.Close() // the PWD error is what matters
			return nil, dialFailed(t, err)
		}
		f.base = path.Join(path.Clean("/"+home), t.base)
	} else {
		f.pool.Put(s, nil)
	}
	return f, nil
}

// dialFailed names the server in a Dial error, without the password.
func dialFailed(t target, err error) error {
	return &fs.PathError{Op: "dial", Path: t.redacted, Err: err}
}

// WithContext returns a view of the Fs whose calls, and the transfers of
// the files it opens, end when ctx ends (or the Fs is closed), with an
// error that matches ctx.Err(): a blocked read or write, a listing or a
// wait for a connection stops at once. The view shares everything else
// with the Fs: connections, cache, options; closing either closes both.
// It costs nothing.
func (f *Fs) WithContext(ctx context.Context) *Fs {
	merged, cancel := context.WithCancel(ctx)
	context.AfterFunc(f.life, cancel)
	return &Fs{core: f.core, ctx: merged}
}

// Close closes the connections of the Fs and makes every later call fail.
// Files still open are closed as their transfers end.
func (f *Fs) Close() error {
	f.cancel()
	f.prefetch.close()
	f.pool.Close()
	return nil
}

// Name returns the server's URL without the password.
func (f *Fs) Name() string { return f.target.redacted }

// String returns the server's URL without the password.
func (f *Fs) String() string { return f.target.redacted }

// TimeShift returns the server's time shift: its local time minus UTC.
func (f *Fs) TimeShift() time.Duration { return time.Duration(f.shift.Load()) }

// SetTimeShift sets the server's time shift (its local time minus UTC),
// which corrects the times of LIST listings. It must be a multiple of 15
// minutes within ±24 hours, else SetTimeShift returns a *TimeShiftError.
// Changing the shift clears the cache, whose times used the old one.
func (f *Fs) SetTimeShift(d time.Duration) error {
	if err := checkTimeShift(d); err != nil {
		return err
	}
	if time.Duration(f.shift.Swap(int64(d))) != d {
		f.cache.Clear()
	}
	return nil
}

// operation says what a call on a pooled session needs: its list mode,
// and whether it may be tried again on a fresh session after the
// connection broke (only what changes nothing on the server may).
type operation struct {
	mode       ftpconn.ListMode
	idempotent bool
}

// The operations.
var (
	query     = operation{ftpconn.ListDefault, true}  // asks, changes nothing: retried
	change    = operation{ftpconn.ListDefault, false} // changes the server: never retried
	linkQuery = operation{ftpconn.ListLIST, true}     // a query that needs LIST (link targets)
)

// withSession runs fn on a pooled session. A query that fails because
// the connection broke is tried once more on a fresh session.
func (f *Fs) withSession(op operation, fn func(ctx context.Context, s *ftpconn.Session) error) error {
	ctx := f.ctx
	for attempt := 0; ; attempt++ {
		s, err := f.getSession(op.mode)
		if err != nil {
			return err
		}
		err = fn(ctx, s)
		f.pool.Put(s, err)
		if !ftpconn.Broken(err) || !op.idempotent || attempt > 0 || ctx.Err() != nil || isStalled(err) {
			return err
		}
		f.cfg.logger.Info("ftpfs: connection lost; trying again on a new one", "error", err)
	}
}

// getSession takes a session of the given mode from the pool. It waits
// while other callers hold every connection, but not for ever: when no
// connection comes back for the Fs's timeout (files left open hold them
// all), it fails with an error that says so.
func (f *Fs) getSession(mode ftpconn.ListMode) (*ftpconn.Session, error) {
	s, err := f.pool.Get(f.ctx, mode)
	switch {
	case err == nil:
		return s, nil
	case f.life.Err() != nil:
		return nil, errClosedFs
	case f.ctx.Err() != nil:
		return nil, errors.Join(f.ctx.Err(), err)
	}
	return nil, err
}

// clock is the parsers' view of now and the time shift.
func (f *Fs) clock() parsers.Clock {
	return parsers.Clock{Now: time.Now(), Shift: f.TimeShift()}
}
