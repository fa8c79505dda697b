package ftpfs

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
)

// This file is the lister: the one place that lists a directory
// (fetch, on a session the caller holds), checks what a listing may hide
// (listDir), and stores listings in the cache (storeListing). Prefetching
// and Fs.WalkDir list with fetch too.

// fetched is one listing of a directory, parsed.
type fetched struct {
	entries []parsers.Entry
	// err is the session's error: a listing refused, cut short by the
	// server (*ListingTruncatedError, with the entries that came), or
	// broken (ftpconn.Broken).
	err      error
	parseErr error // lines no parser understood; entries has the rest
	mlsd     bool
	// generation is the Fs's change count when the listing started.
	generation uint64
}

// fetch lists dir on s, which the caller holds, and parses the listing.
// inside lists from within the directory (CWD), for a name that LIST
// describes as a link.
func (f *Fs) fetch(ctx context.Context, s *ftpconn.Session, dir string, inside bool) fetched {
	r := fetched{generation: f.generation.Load()}
	start := time.Now()
	l, err := s.List(ctx, dir, inside)
	r.mlsd, r.err = l.MLSD, err
	var truncated *ListingTruncatedError
	if err != nil && !errors.As(err, &truncated) {
		return r
	}
	if err == nil {
		f.listCost.observe(time.Since(start))
	}
	r.entries, r.parseErr = parsers.ParseListing(l.Data, f.parserFor(l.MLSD), f.clock())
	r.parseErr = withBadNames(l.BadNames, r.parseErr) // names not valid in WithEncoding's encoding
	return r
}

// settled reports whether the listing r of dir can go to the cache as
// it is: it came whole, every line parsed, it cannot be LIST's
// description of a file or of a link named dir (see describesDir), and
// it is not an MLSD listing that LIST's links must complete. An empty
// listing needs checking only when nothing else showed that dir is a
// directory.
func (f *Fs) settled(dir string, r fetched) bool {
	if r.err != nil || r.parseErr != nil {
		return false
	}
	if r.mlsd {
		return f.server.Links() != ftpconn.LinksHidden
	}
	return !describesDir(dir, r.entries)
}

// describesDir reports whether a LIST of dir that gave these entries may
// describe dir itself rather than list it: one entry, not a directory,
// named as dir or as its whole path (a link, whose listing some servers
// give instead of the target's).
func describesDir(dir string, entries []parsers.Entry) bool {
	if len(entries) != 1 || entries[0].IsDir() {
		return false
	}
	_, name := splitPath(dir)
	return entries[0].Name == name || entries[0].Name == dir
}

// describesLink reports whether a LIST of dir may have described dir
// itself as a symbolic link rather than listed its target: one entry, a
// link named as dir or as its whole path, or one line no parser took.
func describesLink(dir string, r fetched) bool {
	if describesDir(dir, r.entries) && r.entries[0].Type == parsers.TypeLink {
		return true
	}
	var pe *parsers.ParseError
	return len(r.entries) == 0 && errors.As(r.parseErr, &pe) && strings.Contains(pe.Line, " -> ")
}

// listDir returns the entries of the directory at server path dir, from
// the cache or from one listing, which then fills the cache. With
// unparsable lines it returns what it could parse together with an error
// naming the lines (unless WithSkipBadLines), and caches nothing.
func (f *Fs) listDir(dir string) ([]parsers.Entry, error) {
	if entries, ok := f.cache.Dir(dir); ok {
		return entries, nil
	}
	// A prefetch of dir in flight fills the cache; so did one that ended
	// since the look above (HasDir counts no second miss).
	f.prefetch.await(f.ctx, dir)
	if f.cache.HasDir(dir) {
		if entries, ok := f.cache.Dir(dir); ok {
			return entries, nil
		}
	}
	r := f.fetchDir(query, dir, false)
	var truncated *ListingTruncatedError
	switch {
	case errors.As(r.err, &truncated):
		// What arrived is right but incomplete: return it, and the error.
		return r.entries, truncated
	case r.err != nil:
		return nil, f.classifyList(dir, r.err)
	}
	if !r.mlsd && !f.isBase(dir) && describesLink(dir, r) {
		// LIST of a link to a directory described the link (some
		// servers name it by its whole path, which no parser takes):
		// list the target from inside.
		if inside := f.fetchDir(query, dir, true); inside.err == nil {
			r = inside
		}
	}
	if !r.mlsd && !f.isBase(dir) && (describesDir(dir, r.entries) || len(r.entries) == 0 && r.parseErr != nil) {
		// LIST of a file lists the file (some servers name it by its
		// whole path, which no parser takes): is dir a directory?
		if err := f.checkIsDir(dir); err != nil {
			return nil, err
		}
	}
	if len(r.entries) == 0 && r.parseErr == nil {
		// Some servers (vsftpd) answer LIST of a missing directory with an
		// empty listing: make sure the directory is there.
		if err := f.checkIsDir(dir); err != nil {
			return nil, err
		}
	}
	if r.mlsd && f.needsLinks(r.entries) {
		r.entries = f.completeLinks(dir, r.entries)
	}
	if r.parseErr != nil {
		if !f.cfg.skipBadLines {
			return r.entries, r.parseErr
		}
		f.cfg.logger.Warn("ftpfs: skipped listing lines", "dir", dir, "error", r.parseErr)
	}
	f.storeListing(dir, r.entries, r.generation)
	return r.entries, nil
}

// fetchDir is fetch on a pooled session for op.
func (f *Fs) fetchDir(op operation, dir string, inside bool) fetched {
	var r fetched
	err := f.withSession(op, func(ctx context.Context, s *ftpconn.Session) error {
		r = f.fetch(ctx, s, dir, inside)
		return r.err
	})
	if r.err == nil {
		r.err = err // no session
	}
	return r
}

// listWithLIST lists dir with LIST: MLSD listings leave out link
// targets, and some leave out dangling links. Lines it cannot parse are
// left out: its callers look for one name.
func (f *Fs) listWithLIST(dir string) ([]parsers.Entry, error) {
	r := f.fetchDir(linkQuery, dir, false)
	if r.err != nil {
		return nil, f.classify(dir, r.err)
	}
	return r.entries, nil
}

// parserFor returns the parser for MLSD output, or for LIST output.
func (f *Fs) parserFor(mlsd bool) parsers.Parser {
	if mlsd {
		return parsers.MLSD{}
	}
	return f.parser
}

// isBase reports whether dir has no parent the Fs may list.
func (f *Fs) isBase(dir string) bool { return dir == f.base || dir == "/" }

// storeListing caches the listing of dir unless a change of the Fs
// happened since generation was read: the listing may predate it. The
// check and the store are one step for changed, which counts a change
// and invalidates in one step too.
func (f *Fs) storeListing(dir string, entries []parsers.Entry, generation uint64) bool {
	f.changeMu.Lock()
	defer f.changeMu.Unlock()
	if f.generation.Load() != generation {
		return false
	}
	f.cache.PutDir(dir, entries)
	return true
}

// scope says how much of the cache a change touched.
type scope uint8

const (
	entryOnly scope = iota // the name itself
	wholeTree              // the name and everything below it
)

// changed forgets what the cache knows of p (with wholeTree, of all
// below it too) after the Fs changed it: p's entry, p's parent's listing,
// and the parent's own entry, whose modification time the change moved.
// It also counts the change, so that a listing fetched while it happened
// is not cached (see storeListing).
func (f *Fs) changed(p string, sc scope) {
	f.changeMu.Lock()
	defer f.changeMu.Unlock()
	f.generation.Add(1)
	if sc == wholeTree {
		f.cache.InvalidateTree(p)
	} else {
		f.cache.Invalidate(p)
	}
	if dir, _ := splitPath(p); dir != p {
		f.cache.Invalidate(dir)
	}
}

// listDirFresh lists dir from the server even if the cache has it.
func (f *Fs) listDirFresh(dir string) ([]parsers.Entry, error) {
	f.cache.Invalidate(dir) // drops dir's listing too
	return f.listDir(dir)
}

// costMeter keeps a moving average of a duration.
type costMeter struct{ ns atomic.Int64 }

// observe adds d to the average, with a weight of 1/4.
func (m *costMeter) observe(d time.Duration) {
	old := m.ns.Load()
	if old == 0 {
		m.ns.Store(int64(d))
		return
	}
	m.ns.Store(old + (int64(d)-old)/4) // a lost update between observers costs nothing
}

// get returns the average, zero before the first observation.
func (m *costMeter) get() time.Duration { return time.Duration(m.ns.Load()) }
