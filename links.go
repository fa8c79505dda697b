package ftpfs

import (
	"slices"
	"strings"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
)

// Symbolic links in MLSD listings. RFC 3659 has no link type, and
// servers differ: some show a link as a link (type=OS.unix=slink), some
// as its target (pyftpdlib), and some leave dangling links and loops out
// (proftpd, pyftpdlib). LIST always shows links as links. So the Fs
// compares with LIST the first MLSD listing that hints at links (one
// extra listing, once per server; see hintsAtLinks), and every later LIST
// it makes for other reasons (link targets, and names MLSD lacks: once per
// cached listing, see Cache.MarkComplete) too; once a comparison finds a link MLSD hid,
// every MLSD listing on that server is completed with LIST's links (two
// listings per directory from then on).

// needsLinks reports whether the MLSD listing entries must be completed
// with LIST's links: on a server known to hide links, and once per server
// for a listing that hints at links (see hintsAtLinks).
func (f *Fs) needsLinks(entries []parsers.Entry) bool {
	switch f.server.Links() {
	case ftpconn.LinksHidden:
		return true
	case ftpconn.LinksUnknown:
		return hintsAtLinks(entries) && f.server.ProbeLinks()
	}
	return false
}

// hintsAtLinks reports whether an MLSD listing may hide links: it shows
// one (a server that shows live links may leave dangling ones out), or two
// entries share a "unique" fact (a link shown as its target shares the
// target's).
func hintsAtLinks(entries []parsers.Entry) bool {
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e.Type == parsers.TypeLink {
			return true
		}
		u := uniqueFact(e.Raw)
		if u == "" {
			continue
		}
		if seen[u] {
			return true
		}
		seen[u] = true
	}
	return false
}

// uniqueFact returns the value of the "unique" fact of an MLSD line.
func uniqueFact(line string) string {
	facts, _, _ := strings.Cut(line, " ")
	for _, fact := range strings.Split(facts, ";") {
		if k, v, ok := strings.Cut(fact, "="); ok && strings.EqualFold(k, "unique") {
			return v
		}
	}
	return ""
}

// mayHideLinks reports whether a name missing from an MLSD listing may
// be a link the listing left out: the server lists with MLSD, and its
// listings are not completed with LIST's links already.
func (f *Fs) mayHideLinks() bool {
	return f.server.MLSD() && f.server.Links() != ftpconn.LinksHidden
}

// completeLinks adds to the MLSD entries of dir the links that LIST
// shows and MLSD hid or showed as their targets. A LIST that fails
// leaves the MLSD entries as they are.
func (f *Fs) completeLinks(dir string, entries []parsers.Entry) []parsers.Entry {
	listed, err := f.listWithLIST(dir)
	if err != nil {
		return entries
	}
	return f.mergeLinks(entries, listed)
}

// mergeLinks returns the MLSD entries with the links of the LIST entries
// put in, and records on the server what the comparison found.
func (f *Fs) mergeLinks(entries, listed []parsers.Entry) []parsers.Entry {
	var out []parsers.Entry // a copy, made at the first change: entries may be the cache's
	sawLink, hid := false, false
	for _, le := range listed {
		if le.Type != parsers.TypeLink {
			continue
		}
		sawLink = true
		i := slices.IndexFunc(entries, func(e parsers.Entry) bool { return e.Name == le.Name })
		if i >= 0 && entries[i].Type == parsers.TypeLink {
			continue
		}
		hid = true
		if out == nil {
			out = slices.Clone(entries)
		}
		if i >= 0 {
			out[i] = le
		} else {
			out = append(out, le)
		}
	}
	switch {
	case hid && f.server.Links() != ftpconn.LinksHidden:
		f.server.SawLinks(ftpconn.LinksHidden)
		// The MLSD listings cached so far may lack links too.
		f.cache.Clear()
	case hid:
	case sawLink:
		f.server.SawLinks(ftpconn.LinksShown)
	}
	if out == nil {
		return entries
	}
	return out
}

// hiddenLink returns the entry of the link named name in dir that
// dir's MLSD listing may have left out, as LIST shows it (found), and
// whether LIST listed dir (listed; a failed LIST leaves the answer to
// MLSD).
func (f *Fs) hiddenLink(dir, name string, mlsdEntries []parsers.Entry) (e parsers.Entry, found, listed bool) {
	entries, err := f.listWithLIST(dir)
	if err != nil {
		return parsers.Entry{}, false, false
	}
	f.mergeLinks(mlsdEntries, entries)
	for _, e := range entries {
		if e.Name == name && e.Type == parsers.TypeLink {
			return e, true, true
		}
	}
	return parsers.Entry{}, false, true
}
