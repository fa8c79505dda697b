package parsers

import (
	"errors"
	"time"
)

// Parser turns one line of a directory listing into an Entry.
//
// Parse returns ErrSkip (possibly wrapped) for lines that carry no entry
// ("total 12", ".", "..", MLSD's cdir and pdir facts, blank lines) and a
// *ParseError for a line it does not understand. A Parser must be safe for
// concurrent use.
type Parser interface {
	Parse(line string, clock Clock) (Entry, error)
}

// Clock tells a parser when a listing was received and how the server's
// clock relates to UTC. The zero Clock means "now, and the server keeps
// UTC".
type Clock struct {
	// Now is the instant the listing was received. Zero means time.Now().
	Now time.Time
	// Shift is the server's local time minus UTC: a server in UTC+2 has a
	// shift of two hours. Listing times that are server-local (Unix and
	// MS-DOS listings) are corrected by it; MLSD times are UTC and ignore
	// it.
	Shift time.Duration
}

// serverNow returns the server's wall-clock time, expressed as a UTC
// time.Time with the server's local reading.
func (c Clock) serverNow() time.Time {
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	return now.UTC().Add(c.Shift)
}

// toUTC turns a server-local wall-clock reading (built in time.UTC) into
// the UTC instant it stands for.
func (c Clock) toUTC(local time.Time) time.Time {
	return local.Add(-c.Shift)
}

// ErrSkip is returned by a Parser for a line that describes no entry, such
// as "total 12" or the "." and ".." entries.
var ErrSkip = errors.New("line describes no entry")

// ParserFunc adapts an ordinary function to the Parser interface.
type ParserFunc func(line string, clock Clock) (Entry, error)

// Parse calls f(line, clock).
func (f ParserFunc) Parse(line string, clock Clock) (Entry, error) { return f(line, clock) }
