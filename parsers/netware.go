package parsers

import (
	"io/fs"
	"strings"
)

// NetWare parses the listings of Novell NetWare servers:
//
//	d [RWCEAFMS] admin                512 Nov 02 09:14 Projects
//	- [R----F--] jdoe               48213 Oct 30  2025 budget 2026.xls
//
// The columns are the type ('d' directory, '-' file), the effective
// rights in brackets (Read, Write, Create, Erase, Access control, File
// scan, Modify, Supervisor, or '-'), the owner, the size in bytes, a date
// as ls prints it ("Nov 02 09:14" or "Oct 30  2025", see ParseUnixTime),
// and the name, which may hold blanks. NetWare rights are not Unix
// permission bits, so the permission bits are unknown (UnknownPerm).
type NetWare struct{}

// Parse parses one NetWare listing line. See NetWare for the accepted
// form.
func (NetWare) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseNetWare(line, clock)
	return finish("netware", line, e, err)
}

func parseNetWare(line string, clock Clock) (Entry, error) {
	kind, rest := nextField(line)
	e := Entry{Raw: line, Unknown: UnknownPerm}
	switch kind {
	case "":
		return Entry{}, ErrSkip
	case "d":
		e.Type, e.Mode = TypeDir, fs.ModeDir
	case "-":
		e.Type = TypeFile
	default:
		return Entry{}, errBadMode
	}
	rights, rest := nextField(rest)
	if !isNetWareRights(rights) {
		return Entry{}, errBadMode
	}
	var owner, sizeText, month, day, yearOrTime string
	owner, rest = nextField(rest)
	sizeText, rest = nextField(rest)
	month, rest = nextField(rest)
	day, rest = nextField(rest)
	yearOrTime, rest = nextField(rest)
	size, ok := parseBytes(sizeText)
	if !ok {
		return Entry{}, errBadSize
	}
	t, precision, err := ParseUnixTime(month, day, yearOrTime, clock)
	if err != nil {
		return Entry{}, err
	}
	e.Owner, e.Size, e.ModTime, e.Precision = owner, size, t, precision
	return e, e.acceptName(strings.TrimPrefix(rest, " "))
}

// isNetWareRights reports whether s is "[RWCEAFMS]" with any letters
// replaced by '-'.
func isNetWareRights(s string) bool {
	const letters = "RWCEAFMS"
	if len(s) != len(letters)+2 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	for i := 0; i < len(letters); i++ {
		if c := s[1+i]; c != letters[i] && c != '-' {
			return false
		}
	}
	return true
}
