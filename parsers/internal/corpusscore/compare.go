package main

import (
	"fmt"
	"os"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

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
		if !e.Known(parsers.UnknownSize) {
			return bad("unknown")
		}
		if w >= 1<<63 || int64(w) != e.Size {
			return bad(e.Size)
		}
	case "mode":
		if want == nil {
			return ""
		}
		if !e.Known(parsers.UnknownPerm) {
			return bad("unknown")
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
		if want == nil && !e.ModTime.IsZero() {
			return bad(e.ModTime.Format(time.RFC3339Nano)) // the source asserts there is none
		}
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
	case "mtime_noyear":
		s, _ := want.(string)
		if got := e.ModTime.UTC().Format("01-02T15:04"); got != s {
			return bad(got)
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
