package sync

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Option configures Copy, CopyIfNewer and their wrappers, Mirror and
// SynchronizeTimes. Each option checks its argument; the function it is
// given to returns the first option's error without doing anything.
// Options that do not concern a function are ignored by it.
type Option func(*options) error

// DefaultParallel is the number of transfers Mirror runs at once unless
// WithParallel says otherwise.
const DefaultParallel = 4

// options is what the Options set.
type options struct {
	delete   bool
	dryRun   bool
	include  []string
	exclude  []string
	parallel int
	progress func(Progress)
	now      func() time.Time
	noTimes  bool
	resume   bool
	hash     bool
}

func newOptions(opts []Option) (*options, error) {
	o := &options{parallel: DefaultParallel, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("ftpsync: nil Option")
		}
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithDelete makes Mirror remove what the destination has and the source
// lacks: files, and directories with all they hold. Names that the
// include and exclude patterns leave out of the mirror are never removed.
// By default Mirror only adds and updates.
func WithDelete() Option {
	return func(o *options) error {
		o.delete = true
		return nil
	}
}

// WithDryRun makes Mirror, Copy and CopyIfNewer decide what they would
// do, and report it (in Stats, or as CopyIfNewer's result), without
// changing the destination. The destination is still read. By default
// they act.
func WithDryRun() Option {
	return func(o *options) error {
		o.dryRun = true
		return nil
	}
}

// WithInclude limits Mirror to the files that match at least one of the
// patterns (path.Match syntax). A pattern without a slash is matched
// against a file's base name ("*.txt" matches "a/b/c.txt"); one with a
// slash against its whole slash-separated path relative to the mirror's
// roots, without a leading slash ("docs/*.md" matches "docs/a.md", not
// "docs/x/a.md"). Include patterns apply to files only: every directory
// not excluded is visited and mirrored, even if no file in it is
// included. Several WithInclude options add up. By default every file is
// included. WithInclude fails with path.ErrBadPattern for a malformed
// pattern.
func WithInclude(patterns ...string) Option {
	return func(o *options) error {
		ps, err := checkPatterns("WithInclude", patterns)
		o.include = append(o.include, ps...)
		return err
	}
}

// WithExclude leaves out of Mirror the files and directories that match
// one of the patterns (matched as for WithInclude); an excluded directory
// is not visited. Excluded names are left alone on both sides, even with
// WithDelete. Exclusion wins over inclusion. Several WithExclude options
// add up. By default nothing is excluded. WithExclude fails with
// path.ErrBadPattern for a malformed pattern.
func WithExclude(patterns ...string) Option {
	return func(o *options) error {
		ps, err := checkPatterns("WithExclude", patterns)
		o.exclude = append(o.exclude, ps...)
		return err
	}
}

func checkPatterns(opt string, patterns []string) ([]string, error) {
	out := make([]string, 0, len(patterns))
	for _, p := range patterns {
		p = strings.TrimPrefix(p, "/")
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return nil, fmt.Errorf("ftpsync: %s(%q): %w", opt, p, path.ErrBadPattern)
		}
		out = append(out, p)
	}
	return out, nil
}

// WithParallel sets how many files Mirror transfers at once. ftpfs keeps
// a pool of connections (ftpfs.WithMaxConns, 4 by default), so each
// parallel transfer to or from an *ftpfs.Fs uses a connection of its own;
// more transfers than connections only wait. When the source and the
// destination are the same *ftpfs.Fs, each transfer holds two of its
// connections: keep n at most half its WithMaxConns, or transfers wait
// for each other forever. The default is DefaultParallel; n must be at
// least 1.
func WithParallel(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("ftpsync: WithParallel(%d): at least one transfer is needed", n)
		}
		o.parallel = n
		return nil
	}
}

// WithProgress makes Mirror, Copy and CopyIfNewer call report as a
// transfer advances (after every chunk written) and once as each file is
// done. Calls never overlap, even with parallel transfers, so report need
// not lock, but it holds up every transfer while it runs: keep it quick.
// A dry run makes no calls. By default nothing is reported.
func WithProgress(report func(Progress)) Option {
	return func(o *options) error {
		if report == nil {
			return errors.New("ftpsync: WithProgress: nil function")
		}
		o.progress = report
		return nil
	}
}

// WithoutTimes makes Mirror, Copy and CopyIfNewer leave each target
// with the modification time the copy gave it, instead of setting the
// source's (with Chtimes). The rule of the package documentation still
// holds: the copy is newer than its source, so it is not copied again
// until the source changes. Over FTP this saves one command (MFMT) per
// file. By default times are kept.
func WithoutTimes() Option {
	return func(o *options) error {
		o.noTimes = true
		return nil
	}
}

// WithClock makes SynchronizeTimes read the client's time from now
// instead of time.Now: for tests, or for a client whose system clock is
// known to be off.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("ftpsync: WithClock: nil function")
		}
		o.now = now
		return nil
	}
}

// match reports whether the slash path rel (relative to the roots)
// matches pattern, as WithInclude describes.
func match(pattern, rel string) bool {
	name := rel
	if !strings.Contains(pattern, "/") {
		name = path.Base(rel)
	}
	ok, _ := path.Match(pattern, name) // patterns were checked
	return ok
}

// excluded reports whether rel is left out by an exclude pattern.
func (o *options) excluded(rel string) bool {
	for _, p := range o.exclude {
		if match(p, rel) {
			return true
		}
	}
	return false
}

// included reports whether the file rel passes the include patterns.
func (o *options) included(rel string) bool {
	if len(o.include) == 0 {
		return true
	}
	for _, p := range o.include {
		if match(p, rel) {
			return true
		}
	}
	return false
}

// WithResume makes Copy, CopyIfNewer (and their wrappers) and Mirror
// continue transfers that an earlier run left unfinished, instead of
// starting them again. Each file is written to a partial file beside its
// target, ".name.ftpfs-part-<size>-<mtime>", named after the version of
// the source it copies (its size and modification time, in nanoseconds),
// which a failed transfer leaves in place; the next run with WithResume
// appends the rest to it (reading the source from there: over FTP a
// download continues with REST, an upload with APPE) and renames it over
// the target once it is complete.
//
// The rule, conservative because a wrong resume corrupts silently: a
// partial file is continued only when its name records the source's
// current size and modification time exactly, the source's time is known
// (else nothing is resumed), and it is no longer than the source; with
// WithVerifyHash, where the destination computes hashes itself (an FTP
// server with HASH, XSHA256, XMD5 …), its hash must also equal that of the
// source's first bytes. Any other partial file is removed, and Mirror
// removes the partial files of sources that changed. A destination that
// refuses to append (proftpd without AllowStoreRestart refuses APPE)
// gets the whole file again. The complete copy must have the source's
// size, and with WithVerifyHash its hash.
//
// Without WithResume, Mirror removes partial files as it removes
// temporary ones. By default nothing is resumed.
func WithResume() Option {
	return func(o *options) error {
		o.resume = true
		return nil
	}
}

// WithVerifyHash makes Copy, CopyIfNewer (and their wrappers) and Mirror
// compare each copy's hash with its source's before it takes the
// target's name, where one side computes hashes itself (an *ftpfs.Fs
// whose server offers HASH, or XSHA256, XMD5 and the like: see
// ftpfs.Fs.Checksum); the other side's file is read and hashed here. A
// copy whose hash differs is removed, and the error wraps
// [ErrHashMismatch]. Where neither side computes hashes, copies are
// checked by size only, as without this option. With WithResume it also
// checks a partial file before continuing it (see WithResume). By
// default copies are checked by size.
func WithVerifyHash() Option {
	return func(o *options) error {
		o.hash = true
		return nil
	}
}
