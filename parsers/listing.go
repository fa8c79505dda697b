package parsers

import (
	"errors"
	"strings"
)

// MultiLineParser is a Parser whose entries may span several lines. VMS
// servers do this: a name too long for its column is printed alone, and
// the rest of the entry (size, date, owner, protection) follows on the
// next line.
//
// ParseListing asks Incomplete about every line before parsing it; while
// the answer is true it appends the next non-blank line (after a "\n"),
// unless Incomplete says that line begins an entry of its own, and asks
// again, up to four lines; then it hands the joined text to Parse as one
// line. Parse must therefore accept "\n" (and "\r") wherever its
// format allows blanks. Parsers whose entries are one line each need not
// implement it.
type MultiLineParser interface {
	Parser
	// Incomplete reports whether text, one line or lines already
	// joined, is the beginning of an entry that continues on the next
	// line.
	Incomplete(text string) bool
}

// maxJoinedLines bounds how many lines ParseListing joins into one entry.
const maxJoinedLines = 4

// ParseListing parses a whole listing, as received from LIST or MLSD,
// with p. Lines end with CRLF or LF; blank lines and lines for which p
// returns ErrSkip are left out. When p is a MultiLineParser, an entry that
// spans several lines is joined first (see MultiLineParser).
//
// In a VMS listing, where every version of a file has a line, the newest
// version gets the plain name and older ones "NAME;VERSION" (see VMS).
//
// After parsing, a link with no target whose line carries a "unique" fact
// (MLSD) gets as its target the name of the other line with the same
// unique fact, if there is exactly one: some servers say where a link
// points that way, listing the target by its pathname on a line of its
// own (which MLSD skips, as it is not an entry of this directory).
//
// It never drops a line silently: it returns the entries of every line p
// understood, in listing order, together with an error that joins the
// *ParseError of every line p did not understand (nil when there are
// none). Use errors.As to find the first ParseError.
func ParseListing(listing []byte, p Parser, clock Clock) ([]Entry, error) {
	text := string(listing) // one copy: entries keep substrings of it
	all := text
	multi, _ := p.(MultiLineParser)
	auto, _ := p.(*Auto)
	entries := make([]Entry, 0, strings.Count(text, "\n")+1)
	var errs []error
	for text != "" {
		var line string
		line, text = nextLine(text)
		if line == "" {
			continue
		}
		if multi != nil {
			line, text = joinLines(multi, line, text)
		}
		e, err := p.Parse(line, clock)
		if auto != nil && multi != nil {
			// Once Auto knows the format, ask that parser directly
			// (and not at all if its entries are one line each).
			if d := auto.Detected(); d != nil {
				multi, _ = d.(MultiLineParser)
				auto = nil
			}
		}
		switch {
		case err == nil:
			entries = append(entries, e)
		case errors.Is(err, ErrSkip):
		default:
			var pe *ParseError
			if !errors.As(err, &pe) {
				err = &ParseError{Parser: "custom", Line: line, Err: err}
			}
			errs = append(errs, err)
		}
	}
	resolveUniqueLinks(entries, all)
	if detectedVMS(p) {
		nameVMSVersions(entries)
	}
	return entries, errors.Join(errs...)
}

// nextLine cuts the first line off text, without its CR LF or LF.
func nextLine(text string) (line, rest string) {
	line, rest, _ = strings.Cut(text, "\n")
	return strings.TrimSuffix(line, "\r"), rest
}

// joinLines appends to line the lines of text that continue its entry
// (blank lines in between are dropped) and returns the joined entry and
// what is left of text. A line that itself begins an entry is not joined:
// the entry before it stays as it is, and fails to parse on its own.
func joinLines(p MultiLineParser, line, text string) (string, string) {
	for n := 1; n < maxJoinedLines && text != "" && p.Incomplete(line); n++ {
		next, after := nextLine(text)
		if strings.TrimSpace(next) == "" {
			text = after
			continue
		}
		if p.Incomplete(next) {
			break
		}
		line, text = line+"\n"+next, after
	}
	return line, text
}
