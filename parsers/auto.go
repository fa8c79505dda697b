package parsers

import (
	"errors"
	"sync/atomic"
)

// Auto detects a server's listing format and keeps it. Until a format is
// known, each line is offered to the candidate parsers in turn; the first
// parser that understands a line (returns an entry, not ErrSkip or an
// error) becomes the format of this Auto for good, and every later line
// goes to that parser alone. Use one Auto per server.
//
// An Auto is safe for concurrent use.
type Auto struct {
	candidates []Parser
	detected   atomic.Pointer[Parser]
}

// NewAuto returns an Auto that chooses among candidates, in order. With no
// candidates it chooses between Unix and MSDOS, the two forms servers use
// for LIST, whose lines never parse as each other. (MLSD output needs no
// detection: a client knows when it sent MLSD, and parses with MLSD.)
func NewAuto(candidates ...Parser) *Auto {
	if len(candidates) == 0 {
		candidates = []Parser{Unix{}, MSDOS{}}
	}
	return &Auto{candidates: candidates}
}

// Detected returns the parser chosen so far, or nil while the format is
// still unknown.
func (a *Auto) Detected() Parser {
	if p := a.detected.Load(); p != nil {
		return *p
	}
	return nil
}

// Parse parses line with the detected parser, or, before detection, with
// the first candidate that understands it. A line that no candidate
// understands gives a *ParseError from "auto" that wraps each
// candidate's error.
func (a *Auto) Parse(line string, clock Clock) (Entry, error) {
	if p := a.detected.Load(); p != nil {
		return (*p).Parse(line, clock)
	}
	var errs []error
	skipped := false
	for i := range a.candidates {
		e, err := a.candidates[i].Parse(line, clock)
		switch {
		case err == nil:
			a.detected.CompareAndSwap(nil, &a.candidates[i])
			return e, nil
		case errors.Is(err, ErrSkip):
			skipped = true
		default:
			errs = append(errs, err)
		}
	}
	if skipped {
		return Entry{}, ErrSkip
	}
	return Entry{}, &ParseError{Parser: "auto", Line: line, Err: errors.Join(append([]error{errNoFormat}, errs...)...)}
}
