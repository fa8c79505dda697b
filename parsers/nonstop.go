package parsers

import (
	"strings"
	"time"
)

// NonStop parses the listings of HPE NonStop (Tandem) Guardian servers:
//
//	File        Code           EOF   Last Modification   Owner   RWEP
//	PAYROLL       101             4096 20-Nov-26 14:55:02  200,12  "NUNU"
//	LOGFILE       180           123904  2-Oct-26 08:00:45  255,255 "OOOO"
//
// The columns are the file name, the file code, the end-of-file offset
// (the size in bytes), the date (DD-Mon-YY; years from 70 are 19xx, the
// others 20xx) and time of the last change (server-local, to the second),
// the owner as group,user (kept as one string, "200,12"; the listing may
// put a blank after the comma), and the security string (not Unix
// permission bits: UnknownPerm). The header line gives ErrSkip. Guardian
// volumes hold files only.
type NonStop struct{}

// Parse parses one NonStop listing line. See NonStop for the form.
func (NonStop) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseNonStop(line, clock)
	return finish("nonstop", line, e, err)
}

func parseNonStop(line string, clock Clock) (Entry, error) {
	name, rest := nextField(line)
	if name == "" || name == "File" && strings.Contains(rest, "EOF") {
		return Entry{}, ErrSkip
	}
	var code, eof, date, clockText, owner string
	code, rest = nextField(rest)
	eof, rest = nextField(rest)
	date, rest = nextField(rest)
	clockText, rest = nextField(rest)
	owner, rest = nextField(rest)
	if !onlyDigits(strings.TrimSuffix(code, "O")) {
		return Entry{}, errBadMode
	}
	size, ok := parseBytes(eof)
	if !ok {
		return Entry{}, errBadSize
	}
	t, ok := parseNonStopTime(date, clockText)
	if !ok {
		return Entry{}, errBadDate
	}
	// "255, 0": the user number may follow the comma after a blank.
	if strings.HasSuffix(owner, ",") {
		var user string
		user, rest = nextField(rest)
		owner += user
	}
	group, user, ok := strings.Cut(owner, ",")
	if !ok || !onlyDigits(group) || !onlyDigits(user) {
		return Entry{}, errTooShort
	}
	if sec := trimBlanks(rest); sec != "" && (len(sec) < 2 || sec[0] != '"' || sec[len(sec)-1] != '"') {
		return Entry{}, errExtraFields
	}
	e := Entry{Raw: line, Type: TypeFile, Size: size, ModTime: clock.toUTC(t), Precision: time.Second, Owner: owner, Unknown: UnknownPerm}
	return e, e.acceptName(name)
}

// parseNonStopTime reads DD-Mon-YY and HH:MM:SS.
func parseNonStopTime(date, clockText string) (time.Time, bool) {
	d, rest, ok1 := strings.Cut(date, "-")
	mon, y, ok2 := strings.Cut(rest, "-")
	day, ok3 := atoiSmall(d)
	year, ok4 := atoiSmall(y)
	if !ok1 || !ok2 || !ok3 || !ok4 || len(mon) != 3 || len(y) != 2 || len(clockText) != 8 {
		return time.Time{}, false
	}
	m, ok := englishMonth(mon)
	hour, minute, sec, _, ok5 := parseMSClock(clockText)
	if !ok || !ok5 {
		return time.Time{}, false
	}
	if year >= 70 {
		year += 1900
	} else {
		year += 2000
	}
	return exactDate(year, m, day, hour, minute, sec)
}
