package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// result is the outcome of one record. kind is "" for a scored record
// (problems empty when it passes), else "robust", "disputed", "year rule",
// "ours" or "n/a" (see report).
type result struct {
	problems []string
	kind     string
	rejected bool
	oursWhy  []string
	parses   bool // the source parses the line (expect.ok is true)
}

// parse parses the record's line as ftpfs would: with the format's own
// parser for Unix, MS-DOS and MLSD, with a fresh Auto for anything else,
// and through ParseListing where the line spans lines or the record comes
// with its listing.
func parse(r record, clock parsers.Clock) (parsers.Entry, error) {
	var p parsers.Parser
	switch r.Format {
	case "unix":
		p = parsers.Unix{}
	case "ms":
		p = parsers.MSDOS{}
	case "mlsd":
		p = parsers.MLSD{}
	default:
		p = parsers.NewAuto()
	}
	if len(r.Context) == 0 && !strings.ContainsAny(r.Line, "\r\n") {
		return p.Parse(r.Line, clock)
	}
	listing := r.Line
	if len(r.Context) > 0 {
		listing = strings.Join(r.Context, "\r\n")
	}
	entries, err := parsers.ParseListing([]byte(listing), p, clock)
	raw := strings.ReplaceAll(strings.Trim(r.Line, "\r\n"), "\r\n", "\n")
	for _, e := range entries {
		if e.Raw == raw {
			return e, nil
		}
	}
	var pe *parsers.ParseError
	if errors.As(err, &pe) {
		return parsers.Entry{}, err
	}
	return parsers.Entry{}, parsers.ErrSkip
}

// score compares one record with what the parsers return.
func score(r record) result {
	exp := r.Expect
	clock := parsers.Clock{Now: time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)}
	if r.Now != nil {
		if t, err := parseAnyTime(*r.Now); err == nil {
			clock.Now = t
		}
	}
	mtime, _ := exp["mtime"].(string)
	zone, hasZone := zoneOf(mtime)
	if hasZone {
		clock.Shift = zone
	}
	e, err := parse(r, clock)
	res := scoreParsed(r, e, err, hasZone)
	res.parses = exp["ok"] == true
	return res
}

// scoreParsed compares what the parsers returned with the record.
func scoreParsed(r record, e parsers.Entry, err error, hasZone bool) result {
	exp := r.Expect
	if exp["ok"] == nil {
		return result{kind: "robust"}
	}
	if contains(r.Disputed, "ok") {
		return result{kind: "disputed"}
	}
	if exp["ok"] == false {
		if err == nil {
			if sourceLacksParser(r) {
				return result{kind: "n/a"}
			}
			return withOurs(r, result{problems: []string{fmt.Sprintf("accepted a line the source rejects: %s", summary(e))}}, []string{"accepted"})
		}
		return result{}
	}
	if errors.Is(err, parsers.ErrSkip) {
		if n, _ := exp["name"].(string); n == "." || n == ".." || exp["ignorable"] == true {
			return result{}
		}
		if skipped, _ := exp["skipped_by_source"].(bool); skipped {
			return result{}
		}
		if l := strings.ToLower(r.Line); strings.Contains(l, "type=cdir") || strings.Contains(l, "type=pdir") {
			return result{} // the issue asks for cdir and pdir to be skipped
		}
		return withOurs(r, result{problems: []string{"skipped"}, rejected: true}, []string{"skipped"})
	}
	if err != nil {
		return withOurs(r, result{problems: []string{err.Error()}, rejected: true}, []string{"rejected"})
	}
	checked := append(stringList(exp["asserted"]), stringList(exp["inferred"])...)
	var problems, fields []string
	yearOnly := false
	for _, field := range checked {
		if contains(r.Disputed, field) {
			continue
		}
		want, ok := exp[field]
		if !ok {
			continue
		}
		if msg := compare(field, want, e, exp, hasZone); msg != "" {
			problems = append(problems, msg)
			fields = append(fields, field)
			yearOnly = field == "mtime" && differsOnlyInYear(want, e.ModTime)
		}
	}
	if len(problems) == 1 && yearOnly {
		return result{kind: "year rule"}
	}
	return withOurs(r, result{problems: problems}, fields)
}

// withOurs turns a failing result into "ours" when every difference
// (fields, or "skipped"/"rejected") is one ourDisputes explains.
func withOurs(r record, res result, fields []string) result {
	if len(res.problems) == 0 {
		return res
	}
	var why []string
	for _, f := range fields {
		d, ok := ourDispute(r, f)
		if !ok {
			return res
		}
		why = append(why, f+": "+d)
	}
	return result{kind: "ours", oursWhy: why}
}

// sourceLacksParser reports whether the source rejects the line only
// because it has no parser for its format (its notes say so).
func sourceLacksParser(r record) bool {
	n := strings.ToLower(r.Notes)
	return strings.Contains(n, "unsupported by") || strings.Contains(n, "(unsupported format)") ||
		strings.Contains(n, "fed to fluentftp's unix parser")
}
