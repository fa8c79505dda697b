package parsers

import (
	"errors"
	"strings"
)

// ParseListing parses a whole listing, as received from LIST or MLSD,
// with p. Lines end with CRLF or LF; blank lines and lines for which p
// returns ErrSkip are left out.
//
// It never drops a line silently: it returns the entries of every line p
// understood, in listing order, together with an error that joins the
// *ParseError of every line p did not understand (nil when there are
// none). Use errors.As to find the first ParseError.
func ParseListing(listing []byte, p Parser, clock Clock) ([]Entry, error) {
	text := string(listing) // one copy: entries keep substrings of it
	entries := make([]Entry, 0, strings.Count(text, "\n")+1)
	var errs []error
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		e, err := p.Parse(line, clock)
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
	return entries, errors.Join(errs...)
}
