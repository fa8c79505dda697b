package parsers

import "strings"

// EnterpriseUnix parses the "Enterprise Unix" listings that commons-net
// reads (mainframe FTP servers that imitate ls -l):
//
//	-C--E-----FTP B MIRA01      20071       1180 Nov 20 14:55 PAYROLL
//	-C--E-----FTP A MIRA01      20071      24000 Mar  3  2025 NOTES
//
// The first column is ten flag characters (capitals or '-') run together
// with "FTP"; then the transfer type (A or B), the owner, the group, the
// size in bytes, a date as ls prints it (see ParseUnixTime) and the name.
// The flags are not Unix permission bits (UnknownPerm); entries are files.
type EnterpriseUnix struct{}

// Parse parses one Enterprise Unix line. See EnterpriseUnix for the form.
func (EnterpriseUnix) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseEnterpriseUnix(line, clock)
	return finish("enterprise-unix", line, e, err)
}

func parseEnterpriseUnix(line string, clock Clock) (Entry, error) {
	flags, rest := nextField(line)
	if flags == "" {
		return Entry{}, ErrSkip
	}
	if len(flags) != 13 || !strings.HasSuffix(flags, "FTP") {
		return Entry{}, errBadMode
	}
	for i := 0; i < 10; i++ {
		if c := flags[i]; c != '-' && (c < 'A' || c > 'Z') {
			return Entry{}, errBadMode
		}
	}
	var kind, owner, group, sizeText, month, day, yearOrTime string
	kind, rest = nextField(rest)
	owner, rest = nextField(rest)
	group, rest = nextField(rest)
	sizeText, rest = nextField(rest)
	month, rest = nextField(rest)
	day, rest = nextField(rest)
	yearOrTime, rest = nextField(rest)
	if kind != "A" && kind != "B" {
		return Entry{}, errBadMode
	}
	size, ok := parseBytes(sizeText)
	if !ok {
		return Entry{}, errBadSize
	}
	t, precision, err := ParseUnixTime(month, day, yearOrTime, clock)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Raw: line, Type: TypeFile, Size: size, ModTime: t, Precision: precision, Owner: owner, Group: group, Unknown: UnknownPerm}
	return e, e.acceptName(strings.TrimPrefix(rest, " "))
}
