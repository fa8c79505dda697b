package parsers

import (
	"io/fs"
	"strconv"
	"strings"
)

// MSDOS parses MS-DOS style lines, as IIS and other Windows servers send
// them for LIST:
//
//	10-23-01  03:25PM       <DIR>          name
//	10-23-2001  15:25              1,234 name with spaces
//	2013-09-02  18:48              1234 name
//
// Dates are month first (two- or four-digit years) or ISO; times are
// 12-hour with AM/PM (with or without a blank before it) or 24-hour, with
// optional seconds; sizes may have thousands separators ("1,234" or
// "1.234"). The name is what follows the size or <DIR> column, less the
// blanks that pad it; trailing blanks are kept. The listing gives no
// permission bits, owner or group (Unknown has UnknownPerm), and no size
// for <DIR> and link entries (UnknownSize). <JUNCTION> and <SYMLINK> entries are
// links without a target; <SYMLINKD> is a link to a directory.
type MSDOS struct{}

// Parse parses one MS-DOS listing line. See MSDOS for the accepted forms.
func (MSDOS) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseMSDOS(line, clock)
	return finish("msdos", line, e, err)
}

func parseMSDOS(line string, clock Clock) (Entry, error) {
	var cols [5]span
	n := splitColumns(line, cols[:])
	if n == 0 {
		return Entry{}, ErrSkip
	}
	if n < 4 {
		return Entry{}, errTooShort
	}
	col := func(i int) string { return line[cols[i].start:cols[i].end] }
	next := 2
	timeText := col(1)
	if s := col(2); strings.EqualFold(s, "AM") || strings.EqualFold(s, "PM") {
		timeText = line[cols[1].start:cols[2].end]
		next = 3
	}
	if n < next+2 {
		return Entry{}, errTooShort
	}
	t, precision, err := ParseMSTime(col(0), timeText, clock)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{ModTime: t, Precision: precision, Raw: line, Unknown: UnknownPerm}
	switch kind := col(next); {
	case strings.EqualFold(kind, "<DIR>"):
		// <DIR> stands where the size would be: the size is not 0 but
		// not given (some peers report 0; the line does not say 0).
		e.Type, e.Mode = TypeDir, fs.ModeDir
		e.Unknown |= UnknownSize
	case strings.EqualFold(kind, "<JUNCTION>"), strings.EqualFold(kind, "<SYMLINK>"), strings.EqualFold(kind, "<SYMLINKD>"):
		e.Type, e.Mode = TypeLink, fs.ModeSymlink
		e.Unknown |= UnknownSize
	default:
		size, ok := parseGroupedSize(kind)
		if !ok {
			return Entry{}, errBadSize
		}
		e.Type, e.Size = TypeFile, size
	}
	name := strings.TrimLeft(line[cols[next].end:], " \t")
	if e.Type == TypeLink {
		// dir /a shows "link [target]".
		if i := strings.LastIndex(name, " ["); i > 0 && strings.HasSuffix(name, "]") {
			name, e.LinkTarget = name[:i], name[i+2:len(name)-1]
		}
	}
	return e, e.acceptName(name)
}

// parseGroupedSize parses a size that may have thousands separators: "1234",
// "1,234" or "1.234.567".
func parseGroupedSize(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	if i := strings.IndexAny(s, ",."); i >= 0 {
		sep := s[i]
		groups := strings.Split(s, string(sep))
		if len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		s = strings.Join(groups, "")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}
