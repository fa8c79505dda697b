package parsers

import (
	"errors"
	"strings"
	"sync/atomic"
)

// Auto detects a server's listing format and keeps it. Until a format is
// known, each line is offered to the candidate parsers in turn; the first
// parser that understands a line (returns an entry, not ErrSkip or an
// error) becomes the format of this Auto for good, and every later line
// goes to that parser alone. Use one Auto per server.
//
// An Auto is safe for concurrent use. It is a MultiLineParser: before
// detection a line is incomplete when any multi-line candidate (VMS) says
// so, after it when the detected parser says so.
type Auto struct {
	candidates []Parser
	detected   atomic.Pointer[Parser]
}

var _ MultiLineParser = (*Auto)(nil)

// DefaultCandidates returns the parsers NewAuto chooses among when given
// none, in the order it tries them: Unix, MSDOS, VMS, NetWare, OS2,
// OS400, MVS, MVSMember, NonStop, EnterpriseUnix, EPLF, and last MLSD,
// which is tried only on lines that carry facts (MLSD output needs no
// detection, as a client knows when it sent MLSD, but a server may send
// facts for LIST); once detected, Detected reports MLSD{}.
//
// Each format has marks the others lack (a ";version" and a D-MMM-YYYY
// date for VMS, "[RWCEAFMS]" rights for NetWare, an "*TYPE" column for
// OS/400, a YYYY/MM/DD Referred date and a Dsorg for MVS, a leading '+'
// and a tab for EPLF...), and Unix and MS-DOS come first, so a Unix or
// MS-DOS listing is never taken for another format.
func DefaultCandidates() []Parser {
	return []Parser{Unix{}, MSDOS{}, VMS{}, NetWare{}, OS2{}, OS400{}, MVS{}, MVSMember{}, NonStop{}, EnterpriseUnix{}, EPLF{}, mlsdWithFacts{}}
}

// NewAuto returns an Auto that chooses among candidates, in order. With no
// candidates it chooses among DefaultCandidates.
func NewAuto(candidates ...Parser) *Auto {
	if len(candidates) == 0 {
		candidates = DefaultCandidates()
	}
	return &Auto{candidates: candidates}
}

// NewAutoForSystem returns an Auto over DefaultCandidates that tries first
// the parsers the server's SYST reply points to ("VMS", "MVS is the
// operating system of this server", "OS/400 is the remote operating
// system", "NETWARE", "OS/2", "NONSTOP"...). SYST only changes the order:
// detection still goes by the lines, so a wrong or missing reply costs
// nothing but a few tries.
func NewAutoForSystem(syst string) *Auto {
	s := strings.ToUpper(syst)
	var first []Parser
	switch {
	case strings.Contains(s, "VMS"):
		first = []Parser{VMS{}}
	case strings.Contains(s, "MVS"), strings.Contains(s, "Z/OS"):
		first = []Parser{MVS{}, MVSMember{}}
	case strings.Contains(s, "OS/400"):
		first = []Parser{OS400{}}
	case strings.Contains(s, "NETWARE"):
		first = []Parser{NetWare{}}
	case strings.Contains(s, "OS/2"):
		first = []Parser{OS2{}}
	case strings.Contains(s, "NONSTOP"), strings.Contains(s, "TANDEM"):
		first = []Parser{NonStop{}}
	}
	candidates := first
	for _, p := range DefaultCandidates() {
		if len(first) == 0 || !containsParser(first, p) {
			candidates = append(candidates, p)
		}
	}
	return NewAuto(candidates...)
}

func containsParser(list []Parser, p Parser) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

// Detected returns the parser chosen so far, or nil while the format is
// still unknown.
func (a *Auto) Detected() Parser {
	if p := a.detected.Load(); p != nil {
		return *p
	}
	return nil
}

// Incomplete reports whether text begins an entry that continues on the
// next line, for the detected parser or, before detection, for any
// candidate that is a MultiLineParser.
func (a *Auto) Incomplete(text string) bool {
	if p := a.detected.Load(); p != nil {
		m, ok := (*p).(MultiLineParser)
		return ok && m.Incomplete(text)
	}
	for _, p := range a.candidates {
		if m, ok := p.(MultiLineParser); ok && m.Incomplete(text) {
			return true
		}
	}
	return false
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
			chosen := &a.candidates[i]
			if _, ok := (*chosen).(mlsdWithFacts); ok {
				// Detected, MLSD takes every MLSD line, facts or not.
				var m Parser = MLSD{}
				chosen = &m
			}
			a.detected.CompareAndSwap(nil, chosen)
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

// mlsdWithFacts is MLSD for detection: it does not take a line without
// facts (" name"), which any line that starts with a blank would be.
type mlsdWithFacts struct{}

// Parse parses line as MLSD if it starts with a fact.
func (mlsdWithFacts) Parse(line string, clock Clock) (Entry, error) {
	if facts, _, ok := strings.Cut(line, "; "); !ok || !strings.Contains(facts, "=") || strings.HasPrefix(line, " ") {
		if strings.TrimSpace(line) == "" {
			return Entry{}, ErrSkip
		}
		return Entry{}, &ParseError{Parser: "mlsd", Line: line, Err: errNoFacts}
	}
	return MLSD{}.Parse(line, clock)
}
