package parsers

import (
	"errors"
	"fmt"
)

// ParseError reports a listing line that a parser could not understand.
type ParseError struct {
	Parser string // the parser that rejected the line: "unix", "msdos", "mlsd", "auto" or a custom name
	Line   string // the line, as received
	Err    error  // why it was rejected
}

// Error quotes the line so that control characters and spaces are visible.
func (e *ParseError) Error() string {
	return fmt.Sprintf("parsers: %s: cannot parse %q: %v", e.Parser, e.Line, e.Err)
}

// Unwrap returns the reason the line was rejected.
func (e *ParseError) Unwrap() error { return e.Err }

// finish turns the result of a parse function into what Parse returns: the
// entry, ErrSkip with an empty entry, or a *ParseError naming the parser.
func finish(parser, line string, e Entry, err error) (Entry, error) {
	switch {
	case err == nil:
		return e, nil
	case errors.Is(err, ErrSkip):
		return Entry{}, ErrSkip
	}
	return Entry{}, &ParseError{Parser: parser, Line: line, Err: err}
}

// Reasons a line is rejected; a ParseError wraps one of them.
var (
	errNoName   = errors.New("no name")
	errBadMode  = errors.New("bad mode field")
	errBadSize  = errors.New("bad size field")
	errBadDate  = errors.New("bad date")
	errBadTime  = errors.New("bad time of day")
	errNoFacts  = errors.New("no facts")
	errBadFact  = errors.New("bad fact")
	errTooShort = errors.New("too few fields")
	errBadName  = errors.New("name contains a slash or NUL")
	errNoFormat = errors.New("no known listing format")
)
