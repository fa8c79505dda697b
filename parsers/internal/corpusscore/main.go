// Command corpusscore scores the parsers against a third-party corpus of
// listing lines with expected results (the project keeps one outside the
// repository, in ../shared/corpus/listings.jsonl). It is a measuring tool,
// not a test: the corpus is other projects' data and is never copied in.
//
//	go run ./parsers/internal/corpusscore ../shared/corpus/listings.jsonl
//	go run ./parsers/internal/corpusscore -v ../shared/corpus/listings.jsonl   # print each failure
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

type record struct {
	ID       string          `json:"id"`
	Format   string          `json:"format"`
	Line     string          `json:"line"`
	Now      *string         `json:"now"`
	Expect   map[string]any  `json:"expect"`
	Disputed []string        `json:"disputed"`
	Variant  string          `json:"variant"`
	Extra    json.RawMessage `json:"-"`
}

type tally struct{ pass, fail, yearRule, disputed, robust int }

func main() {
	verbose := flag.Bool("v", false, "print every failing record")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: corpusscore [-v] listings.jsonl")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()

	tallies := map[string]*tally{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		format := r.Format
		if strings.HasPrefix(format, "other") {
			format = "other"
		}
		t := tallies[format]
		if t == nil {
			t = &tally{}
			tallies[format] = t
		}
		problems, kind := score(r)
		switch kind {
		case "robust":
			t.robust++
		case "disputed":
			t.disputed++
		case "year rule":
			t.yearRule++
		default:
			if len(problems) == 0 {
				t.pass++
			} else {
				t.fail++
				if *verbose {
					fmt.Printf("FAIL %s %q\n     %s\n", r.ID, r.Line, strings.Join(problems, "; "))
				}
			}
		}
	}
	formats := make([]string, 0, len(tallies))
	for k := range tallies {
		formats = append(formats, k)
	}
	sort.Strings(formats)
	fmt.Printf("%-8s %6s %6s %7s %10s %9s %8s\n", "format", "pass", "fail", "score", "year rule", "disputed", "robust")
	var all tally
	for _, k := range formats {
		t := tallies[k]
		fmt.Printf("%-8s %6d %6d %6.1f%% %10d %9d %8d\n", k, t.pass, t.fail, pct(t.pass, t.pass+t.fail), t.yearRule, t.disputed, t.robust)
		if k != "other" {
			all.pass += t.pass
			all.fail += t.fail
		}
	}
	fmt.Printf("%-8s %6d %6d %6.1f%%   (unix + ms + mlsd)\n", "total", all.pass, all.fail, pct(all.pass, all.pass+all.fail))
	fmt.Println("year rule: the only difference is the year given to a time without one, where the")
	fmt.Println("source's rule differs from ours (nearest to the server's now); not counted in the score.")
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// score compares one record with what the parsers return. kind is
// "robust" for records whose source expectation is known to be wrong
// (only a panic would count), "disputed" when ok itself is disputed.
func score(r record) (problems []string, kind string) {
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
	e, err := p.Parse(r.Line, clock)
	if exp["ok"] == nil {
		return nil, "robust"
	}
	if contains(r.Disputed, "ok") {
		return nil, "disputed"
	}
	if exp["ok"] == false {
		if err == nil {
			return []string{fmt.Sprintf("accepted a line the source rejects: %+v", summary(e))}, ""
		}
		return nil, ""
	}
	if strings.HasPrefix(r.Format, "other") {
		// Lines of other systems: our parsers should reject them.
		if err == nil {
			return []string{fmt.Sprintf("accepted a %s line: %+v", r.Format, summary(e))}, ""
		}
		return nil, ""
	}
	if err == parsers.ErrSkip {
		if n, _ := exp["name"].(string); n == "." || n == ".." || exp["ignorable"] == true {
			return nil, ""
		}
		if skipped, _ := exp["skipped_by_source"].(bool); skipped {
			return nil, ""
		}
		if l := strings.ToLower(r.Line); strings.Contains(l, "type=cdir") || strings.Contains(l, "type=pdir") {
			return nil, "" // the issue asks for cdir and pdir to be skipped
		}
		return []string{"skipped"}, ""
	}
	if err != nil {
		return []string{err.Error()}, ""
	}
	checked := append(stringList(exp["asserted"]), stringList(exp["inferred"])...)
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
			yearOnly = field == "mtime" && differsOnlyInYear(want, e.ModTime)
		}
	}
	if len(problems) == 1 && yearOnly {
		return nil, "year rule"
	}
	return problems, ""
}

func compare(field string, want any, e parsers.Entry, exp map[string]any, zoned bool) string {
	bad := func(got any) string { return fmt.Sprintf("%s = %v, want %v", field, got, want) }
	switch field {
	case "name":
		if want != e.Name {
			return bad(fmt.Sprintf("%q", e.Name))
		}
	case "type":
		if want != e.Type.String() {
			return bad(e.Type)
		}
	case "size":
		w, _ := want.(float64)
		if want == nil && e.Size == 0 {
			return ""
		}
		if int64(w) != e.Size {
			return bad(e.Size)
		}
	case "mode":
		if want == nil {
			return ""
		}
		got := fmt.Sprintf("%04o", octal(e))
		if want != got {
			return bad(got)
		}
	case "target":
		if (want == nil && e.LinkTarget != "") || (want != nil && want != e.LinkTarget) {
			return bad(fmt.Sprintf("%q", e.LinkTarget))
		}
	case "owner":
		if (want == nil && e.Owner != "") || (want != nil && want != e.Owner) {
			return bad(fmt.Sprintf("%q", e.Owner))
		}
	case "group":
		if (want == nil && e.Group != "") || (want != nil && want != e.Group) {
			return bad(fmt.Sprintf("%q", e.Group))
		}
	case "nlink":
		w, _ := want.(float64)
		if want != nil && int(w) != e.Links {
			return bad(e.Links)
		}
	case "mtime":
		s, _ := want.(string)
		if s == "" {
			return ""
		}
		wt, err := parseAnyTime(s)
		if err != nil {
			return "bad expected mtime " + s
		}
		got := e.ModTime
		if !zoned { // naive server wall clock: compare readings
			got = got.UTC()
		}
		if !got.Equal(wt) {
			return bad(got.Format(time.RFC3339Nano))
		}
	case "precision":
		want2 := map[string]time.Duration{"second": time.Second, "minute": time.Minute, "day": 24 * time.Hour, "millisecond": time.Millisecond}[fmt.Sprint(want)]
		if want2 != 0 && want2 != e.Precision {
			return bad(e.Precision)
		}
	}
	return ""
}

// differsOnlyInYear reports whether got and the expected time differ by a
// whole number of years (same month, day and time of day).
func differsOnlyInYear(want any, got time.Time) bool {
	s, _ := want.(string)
	w, err := parseAnyTime(s)
	if err != nil {
		return false
	}
	got = got.In(w.Location())
	return got.Year() != w.Year() && got.AddDate(w.Year()-got.Year(), 0, 0).Equal(w)
}

func octal(e parsers.Entry) uint32 {
	m := uint32(e.Mode.Perm())
	if e.Mode&os.ModeSetuid != 0 {
		m |= 0o4000
	}
	if e.Mode&os.ModeSetgid != 0 {
		m |= 0o2000
	}
	if e.Mode&os.ModeSticky != 0 {
		m |= 0o1000
	}
	return m
}

// zoneOf returns the offset of an RFC 3339 time with an explicit offset;
// "Z" counts as an explicit zero offset.
func zoneOf(s string) (time.Duration, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false
	}
	_, off := t.Zone()
	return time.Duration(off) * time.Second, true
}

func parseAnyTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown time %q", s)
}

func summary(e parsers.Entry) string {
	return fmt.Sprintf("{%q %s %d}", e.Name, e.Type, e.Size)
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
