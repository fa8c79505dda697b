package parsers

import (
	"io/fs"
	"strings"
	"time"
)

// OS400 parses the listings of IBM i (OS/400, AS/400) servers:
//
//	QSYSOPR         81920 14/11/26 09:14:02 *FILE      INVOICES.FILE
//	QSYSOPR                                 *MEM       INVOICES.FILE/NOV2026.MBR
//	MIRA             4096 02/11/26 17:40:55 *DIR       exports/
//	MIRA            12345 30/10/26 08:00:00 *STMF      report 2026.csv
//
// The columns are the owner, the size in bytes, the date and time of the
// last change (server-local, to the second), the object type and the
// name. Size and time are missing for members. Types *DIR, *DDIR, *LIB
// and *FLR are directories; every other type (*FILE, *STMF, *DOC, *SAVF,
// *MEM...) is a file, as FluentFTP reads them. A trailing "/" that marks
// a directory name is dropped.
//
// The date follows the system's date format, which the listing does not
// name. It is read day first (DD/MM/YY, as the servers whose listings the
// peers record print it), else month first, else year first, whichever
// gives a real date; a separator '.' or '-' is accepted for '/'.
//
// A *MEM line whose name is FILE/MEMBER names a member inside the *FILE
// object on the line above, not an entry of the listed directory: it gives
// ErrSkip. The permission bits are unknown (UnknownPerm).
type OS400 struct{}

// Parse parses one OS/400 listing line. See OS400 for the accepted form.
func (OS400) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseOS400(line, clock)
	return finish("os400", line, e, err)
}

func parseOS400(line string, clock Clock) (Entry, error) {
	owner, rest := nextField(line)
	if owner == "" {
		return Entry{}, ErrSkip
	}
	e := Entry{Raw: line, Owner: owner, Unknown: UnknownPerm}
	field, rest := nextField(rest)
	if !strings.HasPrefix(field, "*") {
		size, ok := parseBytes(field)
		if !ok {
			return Entry{}, errBadSize
		}
		var dateText, clockText string
		dateText, rest = nextField(rest)
		clockText, rest = nextField(rest)
		t, ok := parseOS400Time(dateText, clockText)
		if !ok {
			return Entry{}, errBadDate
		}
		e.Size, e.ModTime, e.Precision = size, clock.toUTC(t), time.Second
		field, rest = nextField(rest)
	} else {
		e.Unknown |= UnknownSize
	}
	if len(field) < 2 || field[0] != '*' || !isUpperWord(field[1:]) {
		return Entry{}, errBadMode
	}
	name := trimBlanks(rest)
	switch field {
	case "*DIR", "*DDIR", "*LIB", "*FLR":
		e.Type, e.Mode = TypeDir, fs.ModeDir
		name = strings.TrimSuffix(name, "/")
	default:
		e.Type = TypeFile
	}
	if field == "*MEM" && strings.Contains(name, "/") {
		return Entry{}, ErrSkip
	}
	return e, e.acceptName(name)
}

// parseOS400Time reads a date of three two-digit parts and HH:MM:SS.
func parseOS400Time(date, clockText string) (time.Time, bool) {
	if len(date) != 8 || date[2] != date[5] || strings.IndexByte("/.-", date[2]) < 0 {
		return time.Time{}, false
	}
	a, ok1 := atoiSmall(date[:2])
	b, ok2 := atoiSmall(date[3:5])
	c, ok3 := atoiSmall(date[6:])
	hour, minute, sec, _, ok4 := parseMSClock(clockText)
	if !ok1 || !ok2 || !ok3 || !ok4 || len(clockText) != 8 {
		return time.Time{}, false
	}
	century := func(y int) int {
		if y >= 70 {
			return 1900 + y
		}
		return 2000 + y
	}
	for _, ymd := range [3][3]int{{c, b, a}, {c, a, b}, {a, b, c}} {
		if t, ok := exactDate(century(ymd[0]), time.Month(ymd[1]), ymd[2], hour, minute, sec); ok && ymd[1] >= 1 && ymd[1] <= 12 {
			return t, true
		}
	}
	return time.Time{}, false
}

// isUpperWord reports whether s is non-empty and all capital letters or
// digits.
func isUpperWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
