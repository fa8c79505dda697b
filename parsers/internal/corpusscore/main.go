// Command corpusscore scores the parsers against a third-party corpus of
// listing lines with expected results (the project keeps one outside the
// repository, in ../shared/corpus/listings.jsonl). It is a measuring tool,
// not a test: the corpus is other projects' data and is never copied in.
//
//	go run ./parsers/internal/corpusscore ../shared/corpus/listings.jsonl
//	go run ./parsers/internal/corpusscore -v ../shared/corpus/listings.jsonl   # print each failure
//
// Unix, MS-DOS and MLSD records are parsed with their own parser; the
// records of other formats with a fresh parsers.NewAuto(), so that they
// also measure detection. A record whose line holds a line break, or that
// comes with its listing (context), goes through parsers.ParseListing.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type record struct {
	ID       string         `json:"id"`
	Format   string         `json:"format"`
	Line     string         `json:"line"`
	Now      *string        `json:"now"`
	Expect   map[string]any `json:"expect"`
	Disputed []string       `json:"disputed"`
	Variant  string         `json:"variant"`
	Notes    string         `json:"notes"`
	Context  []string       `json:"context"`
}

// tally counts the outcomes of one format. rejected counts the records the
// source parses that we reject (a subset of fail); ours counts records
// whose only differences are listed in ourDisputes; na counts rejections
// by a source that has no parser for the format at all.
type tally struct {
	pass, fail, rejected, yearRule, disputed, ours, robust, na int
	parsedPass, parsedFail, parsedOurs                         int // records the source parses
}

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
	var ours []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		res := score(r)
		for _, format := range []string{group(r.Format), r.Format} {
			t := tallies[format]
			if t == nil {
				t = &tally{}
				tallies[format] = t
			}
			t.add(res)
			if !strings.HasPrefix(r.Format, "other:") {
				break
			}
		}
		switch {
		case res.kind == "ours":
			ours = append(ours, fmt.Sprintf("%s: %s", r.ID, strings.Join(res.oursWhy, "; ")))
		case res.kind == "" && len(res.problems) > 0 && *verbose:
			fmt.Printf("FAIL %s %q\n     %s\n", r.ID, r.Line, strings.Join(res.problems, "; "))
		}
	}
	report(tallies)
	if *verbose {
		fmt.Println("\nrecords that differ only where we deliberately differ from the source (ourDisputes):")
		for _, s := range ours {
			fmt.Println("  " + s)
		}
	}
}

// group folds the "other:*" formats into "other".
func group(format string) string {
	if strings.HasPrefix(format, "other") {
		return "other"
	}
	return format
}

func (t *tally) add(res result) {
	if res.parses {
		switch {
		case res.kind == "ours":
			t.parsedOurs++
		case res.kind == "" && len(res.problems) == 0:
			t.parsedPass++
		case res.kind == "":
			t.parsedFail++
		}
	}
	switch res.kind {
	case "robust":
		t.robust++
	case "disputed":
		t.disputed++
	case "year rule":
		t.yearRule++
	case "ours":
		t.ours++
	case "n/a":
		t.na++
	default:
		if len(res.problems) == 0 {
			t.pass++
		} else {
			t.fail++
			if res.rejected {
				t.rejected++
			}
		}
	}
}

func report(tallies map[string]*tally) {
	formats := make([]string, 0, len(tallies))
	for k := range tallies {
		formats = append(formats, k)
	}
	sort.Strings(formats)
	fmt.Printf("%-22s %5s %5s %7s %9s %10s %9s %5s %7s %4s\n", "format", "pass", "fail", "score", "rejected", "year rule", "disputed", "ours", "robust", "n/a")
	var all tally
	for _, k := range formats {
		t := tallies[k]
		name := k
		if strings.HasPrefix(k, "other:") {
			name = "  " + k
		}
		fmt.Printf("%-22s %5d %5d %6.1f%% %9d %10d %9d %5d %7d %4d\n", name, t.pass, t.fail, pct(t.pass, t.pass+t.fail), t.rejected, t.yearRule, t.disputed, t.ours, t.robust, t.na)
		if k == "unix" || k == "ms" || k == "mlsd" {
			all.pass += t.pass
			all.fail += t.fail
		}
	}
	fmt.Printf("%-22s %5d %5d %6.1f%%   (unix + ms + mlsd)\n", "total", all.pass, all.fail, pct(all.pass, all.pass+all.fail))
	if o := tallies["other"]; o != nil {
		fmt.Printf("other formats, records the source parses: %d pass, %d fail (%d of them rejected): %.1f%%; %d more differ only as ourDisputes says\n",
			o.parsedPass, o.parsedFail, o.rejected, pct(o.parsedPass, o.parsedPass+o.parsedFail), o.parsedOurs)
	}
	fmt.Println(`score: pass / (pass + fail). rejected: records the source parses that we reject (counted in fail).
year rule: the only difference is the year given to a time without one, where the source's rule
differs from ours (nearest to the server's now). disputed: the corpus marks the field as one source's
convention. ours: the only differences are where we deliberately read the line otherwise than the
source (ourDisputes in disputes.go says why; -v lists them). n/a: the source rejects a line only
because it has no parser for that format. None of these four is counted in the score.`)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
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
