package parsers

import (
	"io/fs"
	"time"
)

// OS2 parses the listings of OS/2 servers (the IBM TCP/IP FTP daemon):
//
//	    0           DIR   11-02-26   09:14  Projects
//	48213      A          10-30-26   17:40  README.TXT
//	 1024    RHS          01-15-1999 08:00  OS2BOOT
//
// The columns are the size in bytes, the attributes (A archive, R
// read-only, H hidden, S system, in capitals), "DIR" for a directory, the
// date MM-DD-YY (or MM-DD-YYYY; two-digit years from 70 are 19xx, the
// others 20xx), the time HH:MM, and the name, which may hold blanks.
// Times are server-local, to the minute. A directory's size is what the
// listing prints (0). The listing gives no owner, group or permission
// bits (UnknownPerm).
type OS2 struct{}

// Parse parses one OS/2 listing line. See OS2 for the accepted form.
func (OS2) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseOS2(line, clock)
	return finish("os2", line, e, err)
}

func parseOS2(line string, clock Clock) (Entry, error) {
	sizeText, rest := nextField(line)
	if sizeText == "" {
		return Entry{}, ErrSkip
	}
	size, ok := parseBytes(sizeText)
	if !ok {
		return Entry{}, errBadSize
	}
	e := Entry{Raw: line, Type: TypeFile, Size: size, Unknown: UnknownPerm}
	field, rest := nextField(rest)
	if isOS2Attributes(field) {
		field, rest = nextField(rest)
	}
	if field == "DIR" {
		e.Type, e.Mode = TypeDir, fs.ModeDir
		field, rest = nextField(rest)
	}
	year, month, day, ok := parseMDY(field)
	if !ok {
		return Entry{}, errBadDate
	}
	clockText, rest := nextField(rest)
	hour, minute, ok := parseClock(clockText)
	if !ok {
		return Entry{}, errBadTime
	}
	local, ok := exactDate(year, time.Month(month), day, hour, minute, 0)
	if !ok {
		return Entry{}, errBadDate
	}
	e.ModTime, e.Precision = clock.toUTC(local), MinutePrecision
	return e, e.acceptName(trimBlanks(rest))
}

// isOS2Attributes reports whether s is a set of OS/2 file attributes.
func isOS2Attributes(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A', 'R', 'H', 'S':
		default:
			return false
		}
	}
	return true
}

// parseMDY reads MM-DD-YY or MM-DD-YYYY (not the ISO form).
func parseMDY(s string) (year, month, day int, ok bool) {
	if len(s) < 8 || s[2] != '-' || s[5] != '-' || len(s) != 8 && len(s) != 10 {
		return 0, 0, 0, false
	}
	return parseMSDate(s)
}
