package parsers

import (
	"errors"
	"io/fs"
	"strings"
	"time"
)

// VMS parses the listings of OpenVMS servers (HP/VSI TCP/IP Services,
// MultiNet, TCPware), which print DIRECTORY/SIZE/DATE/OWNER/PROTECTION:
//
//	Directory DKA0:[PUB]
//
//	NOTES.TXT;3            5/6        14-NOV-2026 09:41:07  [STAFF,MIRA]   (RWED,RWED,RE,R)
//	A_RATHER_LONG_FILE_NAME.DAT;12
//	                     220/222      03-OCT-2025 17:02:55  [STAFF,MIRA]   (RWED,RWED,,)
//	TOOLS.DIR;1            1/3         2-JAN-2024 08:00     [SYSTEM]       (RWE,RWE,RE,RE)
//
//	Total of 3 files, 226/231 blocks.
//
// The name column is NAME.TYPE;VERSION. The name is given without the
// version (the newest version is what a path without a version opens);
// where a listing shows several versions of a file, ParseListing names the
// older ones NAME.TYPE;VERSION, so that names stay distinct. A directory
// file X.DIR is the
// directory X, by the name one changes into, so ".DIR" is dropped too.
// (commons-net keeps ".DIR"; FluentFTP and Chromium drop it.)
//
// The size column is "used" or "used/allocated", in 512-byte blocks, so
// Size is used×512: the file's length rounded up to a block, the closest
// the listing comes. A lone number is blocks too, as DIRECTORY prints it
// (FluentFTP reads it as bytes, which would make a 95-block PDF 95 bytes
// long). A column of asterisks (a size too wide to print) leaves the size
// unknown.
//
// The date is D-MMM-YYYY, with an optional time HH:MM, HH:MM:SS or
// HH:MM:SS.cc; it is server-local, and the precision follows the time (a
// day when there is none). The owner is a UIC, "[GROUP,OWNER]" or an
// identifier "[OWNER]" (a missing "]" is tolerated), or a bare
// identifier. The protection (System,Owner,Group,World) gives the
// permission bits: R, W and E become r, w and x of the owner, group and
// other triples (D, delete, has no Unix bit; System has no triple).
// Without it the permission bits are unknown (UnknownPerm).
//
// "Directory ..." headers and "Total of ..." footers give ErrSkip. An
// entry whose name fills its line continues on the next: VMS is a
// MultiLineParser, and ParseListing joins the two.
type VMS struct{}

var _ MultiLineParser = VMS{}

// Parse parses one VMS entry (which may hold a "\n" where it spanned two
// lines). See VMS for the accepted forms.
func (VMS) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseVMS(line, clock)
	return finish("vms", line, e, err)
}

// Incomplete reports whether text is a VMS name column alone, whose entry
// continues on the next line.
func (VMS) Incomplete(text string) bool {
	first, rest := nextField(text)
	if trimBlanks(rest) != "" {
		return false
	}
	_, _, ok := splitVMSName(first)
	return ok
}

// VMS block size: the unit of the size column.
const vmsBlock = 512

var (
	errBadVersion    = errors.New("no ;version after the name")
	errBadOwner      = errors.New("bad owner (UIC) field")
	errBadProtection = errors.New("bad protection field")
	errExtraFields   = errors.New("unexpected fields after the entry")
)

func parseVMS(line string, clock Clock) (Entry, error) {
	first, rest := nextField(line)
	if first == "" || isVMSHeader(first, rest) {
		return Entry{}, ErrSkip
	}
	name, isDir, ok := splitVMSName(first)
	if !ok {
		return Entry{}, errBadVersion
	}
	e := Entry{Raw: line, Type: TypeFile, Unknown: UnknownPerm}
	if isDir {
		e.Type, e.Mode = TypeDir, fs.ModeDir
	}
	var sizeText, dateText string
	sizeText, rest = nextField(rest)
	dateText, rest = nextField(rest)
	if err := e.setVMSSize(sizeText); err != nil {
		return Entry{}, err
	}
	y, m, d, ok := parseVMSDate(dateText)
	if !ok {
		return Entry{}, errBadDate
	}
	hour, minute, sec, nsec := 0, 0, 0, 0
	e.Precision = DayPrecision
	if field, after := nextField(rest); strings.IndexByte(field, ':') > 0 {
		if hour, minute, sec, nsec, e.Precision, ok = parseVMSTime(field); !ok {
			return Entry{}, errBadTime
		}
		rest = after
	}
	local, ok := exactDate(y, m, d, hour, minute, sec)
	if !ok {
		return Entry{}, errBadDate
	}
	e.ModTime = clock.toUTC(local.Add(time.Duration(nsec)))
	if err := e.setVMSOwnerAndProtection(rest); err != nil {
		return Entry{}, err
	}
	return e, e.acceptName(name)
}

// isVMSHeader recognises "Directory DEV:[DIR]", "Total of 3 files, ..."
// and "Grand total of ...", the lines around the entries.
func isVMSHeader(first, rest string) bool {
	second, _ := nextField(rest)
	switch {
	case strings.EqualFold(first, "Directory"):
		return strings.ContainsAny(second, ":[")
	case strings.EqualFold(first, "Total"):
		return strings.EqualFold(second, "of") || onlyDigits(second)
	case strings.EqualFold(first, "Grand"):
		return strings.EqualFold(second, "total")
	}
	return false
}

// splitVMSName splits NAME.TYPE;VERSION into the name without its version
// (and without ".DIR" for a directory).
func splitVMSName(s string) (name string, isDir, ok bool) {
	i := strings.LastIndexByte(s, ';')
	if i <= 0 || !onlyDigits(s[i+1:]) || len(s)-i-1 > 5 {
		return "", false, false
	}
	name = s[:i]
	if n := len(name) - len(".DIR"); n > 0 && strings.EqualFold(name[n:], ".DIR") {
		return name[:n], true, true
	}
	return name, false, true
}

// setVMSSize reads "used", "used/allocated" or "****".
func (e *Entry) setVMSSize(s string) error {
	if s != "" && strings.Trim(s, "*") == "" {
		e.Unknown |= UnknownSize
		return nil
	}
	used, alloc, hasAlloc := strings.Cut(s, "/")
	blocks, ok := parseBytes(used)
	if !ok || hasAlloc && !onlyDigits(alloc) || blocks > (1<<63-1)/vmsBlock {
		return errBadSize
	}
	e.Size = blocks * vmsBlock
	return nil
}

// parseVMSDate reads D-MMM-YYYY (English month abbreviation, any case).
func parseVMSDate(s string) (int, time.Month, int, bool) {
	d, rest, ok1 := strings.Cut(s, "-")
	mon, y, ok2 := strings.Cut(rest, "-")
	day, ok3 := atoiSmall(d)
	year, ok4 := atoiSmall(y)
	if !ok1 || !ok2 || !ok3 || !ok4 || len(d) > 2 || len(mon) != 3 || len(y) != 4 {
		return 0, 0, 0, false
	}
	m, ok := englishMonth(mon)
	return year, m, day, ok
}

// parseVMSTime reads HH:MM, HH:MM:SS or HH:MM:SS.cc.
func parseVMSTime(s string) (hour, minute, sec, nsec int, precision time.Duration, ok bool) {
	hm, secText, hasSec := s, "", false
	if i := strings.IndexByte(s, ':'); i >= 0 {
		if j := strings.IndexByte(s[i+1:], ':'); j >= 0 {
			hm, secText, hasSec = s[:i+1+j], s[i+2+j:], true
		}
	}
	hour, minute, ok = parseClock(hm)
	if !ok {
		return 0, 0, 0, 0, 0, false
	}
	if !hasSec {
		return hour, minute, 0, 0, MinutePrecision, true
	}
	whole, frac, hasFrac := strings.Cut(secText, ".")
	sec, ok = atoiSmall(whole)
	if !ok || len(whole) != 2 || sec > 59 {
		return 0, 0, 0, 0, 0, false
	}
	precision = time.Second
	if hasFrac {
		n, ok := atoiSmall(frac)
		if !ok || len(frac) > 2 {
			return 0, 0, 0, 0, 0, false
		}
		for range frac {
			precision /= 10
		}
		nsec = n * int(precision)
	}
	return hour, minute, sec, nsec, precision, true
}

// setVMSOwnerAndProtection reads the optional owner and protection
// columns that end a VMS entry.
func (e *Entry) setVMSOwnerAndProtection(rest string) error {
	field, after := nextField(rest)
	if strings.EqualFold(field, "AM") || strings.EqualFold(field, "PM") {
		return errBadTime // VMS prints a 24-hour clock
	}
	if field != "" && field[0] != '(' {
		if err := e.setVMSOwner(field); err != nil {
			return err
		}
		field, after = nextField(after)
	}
	if field != "" {
		if err := e.setVMSProtection(field); err != nil {
			return err
		}
	}
	if trimBlanks(after) != "" {
		return errExtraFields
	}
	return nil
}
