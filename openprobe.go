package ftpfs

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
)

// Opening a file for reading without listing its parent. A listing of
// the parent costs as much as the directory is big (a 100,000-entry
// directory, or one the server refuses to list), so when the cache does
// not know the name, Open asks the server about that one name with the
// cheapest command it has:
//
//   - MLST, on a server whose listings are MLSD: the same facts as the
//     listing, so the File's Stat is the listing's. One round trip.
//   - SIZE elsewhere: a size proves a file (or a link to one); the rest
//     of its information (mode, time) waits for the first Stat, which
//     lists the parent as Stat always does. One round trip.
//
// RETR's own reply then confirms the file. Anything these answers leave
// open (a refusal, which may mean a missing name, a directory, or no
// permission; a link, which Open follows) goes the way of the listing,
// which tells them apart as before: the probe never decides an error.

// openProbed opens the server path p for reading when the cheap probe
// settles it, and reports whether it did.
func (f *Fs) openProbed(name, p string) (*File, bool) {
	if p == "/" || p == f.base {
		return nil, false
	}
	if _, base := splitPath(p); strings.TrimSpace(base) != base {
		// Some servers trim a command's argument: only the listing tells
		// "a " from "a".
		return nil, false
	}
	if _, l := f.cache.Get(p); l != cache.Miss {
		return nil, false // the cache answers for nothing
	}
	if dir, _ := splitPath(p); f.probes.add(dir, f.cache.MaxAge()) > probesBeforeListing {
		// Many opens in one directory: its listing, cached, answers the
		// rest at once.
		return nil, false
	}
	var e parsers.Entry
	var ok, lazy bool
	err := f.withSession(query, func(ctx context.Context, s *ftpconn.Session) (err error) {
		e, ok, lazy, err = f.probe(ctx, s, p)
		return err
	})
	if err != nil || !ok {
		return nil, false
	}
	info := newFileInfo(baseName(p, f.base), e)
	if e.IsDir() {
		return newDirFile(f, name, p, info), true
	}
	file := newReadFile(f, name, p, info)
	file.read.lazy.pending = lazy
	return file, true
}

// probe asks about p with MLST or SIZE. ok says whether the answer
// settles the open; lazy, that the entry has the size only.
// A refusal is not an error (the listing decides); a broken connection is.
func (f *Fs) probe(ctx context.Context, s *ftpconn.Session, p string) (e parsers.Entry, ok, lazy bool, err error) {
	_, base := splitPath(p)
	if _, has := f.server.Feature("MLST"); has && f.server.MLSD() {
		r, err := s.Command(ctx, "MLST "+p)
		if err != nil || r.Code != 250 {
			return e, false, false, brokenOnly(err)
		}
		e, ok = parseMLST(r.Message, base)
		return e, ok && (e.Type == parsers.TypeFile || e.Type == parsers.TypeDir), false, nil
	}
	size, err := s.Size(ctx, p)
	if err != nil {
		return e, false, false, brokenOnly(err)
	}
	return parsers.Entry{Name: base, Type: parsers.TypeFile, Size: size, Unknown: parsers.UnknownPerm}, true, true, nil
}

// brokenOnly keeps err if it broke the connection: a server's reply
// leaves it usable.
func brokenOnly(err error) error {
	if ftpconn.Broken(err) {
		return err
	}
	return nil
}

// parseMLST parses the fact line of an MLST reply (the line after the
// first, RFC 3659 puts a blank before it) as the MLSD entry named name.
func parseMLST(msg, name string) (parsers.Entry, bool) {
	lines := strings.Split(msg, "\n")
	for _, line := range lines[1:] {
		line = strings.TrimSuffix(line, "\r")
		line = strings.TrimPrefix(line, " ")
		i := strings.Index(line, "; ")
		if i < 0 || !strings.Contains(line[:i], "=") {
			continue
		}
		e, err := parsers.MLSD{}.Parse(line[:i+2]+name, parsers.Clock{})
		if err != nil {
			return e, false
		}
		return e, true
	}
	return parsers.Entry{}, false
}

// probesBeforeListing is how many files of one directory Open probes,
// within the cache's max age, before it lists the directory instead: one
// listing is cheaper than a probe per sibling (a round trip each), and a
// single open in a huge directory still costs no listing.
const probesBeforeListing = 3

// probeCounts counts Open's probes per directory within a window (the
// cache's max age), so that opening many siblings lists their directory
// once. It forgets everything past maxProbeDirs directories.
type probeCounts struct {
	mu   sync.Mutex
	dirs map[string]probeWindow
}

type probeWindow struct {
	start time.Time
	n     int
}

const maxProbeDirs = 1000

// add counts a probe in dir and returns the probes counted in dir's
// current window, this one included.
func (pc *probeCounts) add(dir string, window time.Duration) int {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	now := time.Now()
	if pc.dirs == nil || len(pc.dirs) >= maxProbeDirs {
		pc.dirs = map[string]probeWindow{}
	}
	w := pc.dirs[dir]
	if w.n == 0 || window > 0 && now.Sub(w.start) > window { // 0: entries never expire
		w = probeWindow{start: now}
	}
	w.n++
	pc.dirs[dir] = w
	return w.n
}

// lazyStat is what a file opened after SIZE needs for its first Stat.
type lazyStat struct {
	pending bool      // the information is SIZE's only
	listed  *FileInfo // the listing's, once Stat fetched it
}

// readInfo returns the information File.Stat reports for a file open for
// reading, with f.mu held: the listing's, fetched at the first Stat when
// the open had SIZE's only. If the listing fails, SIZE's answer stands.
func (f *File) readInfo() *FileInfo {
	r := f.read
	switch {
	case !r.lazy.pending:
		return r.info
	case r.lazy.listed != nil:
		return r.lazy.listed
	}
	e, err := f.fs.lookup(f.path)
	if err == nil {
		e, err = f.fs.follow(f.path, e)
	}
	if err != nil || e.IsDir() {
		return r.info
	}
	r.lazy.listed = newFileInfo(baseName(f.path, f.fs.base), e)
	return r.lazy.listed
}
