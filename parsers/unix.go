package parsers

import (
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// Unix parses "ls -l" style lines, as vsftpd, pure-ftpd, proftpd,
// ftpserverlib, busybox and most Unix servers send them for LIST:
//
//	drwxr-xr-x    2 1000     1000         4096 Nov 23 02:33 dir name
//	-rw-r--r--    1 owner    group    12414535 May 26  2005 file
//	lrwxrwxrwx    1 root     root            7 2005-05-26 14:03 bin -> usr/bin
//	crw-r-----    1 root     kmem       1,   3 Jan 30 11:42 mem
//
// The link count, the owner and the group columns may each be missing;
// owner and group names may contain blanks (split at the widest gap); a
// device file has "major, minor" where the size would be. Dates are "Mon
// DD HH:MM", "Mon DD YYYY", "DD Mon ...", ISO "YYYY-MM-DD HH:MM" (ls
// --time-style=long-iso, or full-iso with seconds and a zone) or the CJK
// "M月 D日 YYYY年" form, with the month names that parseMonth knows.
//
// The name is everything after the single blank that follows the date, so
// leading, inner and trailing blanks are kept. For a link, the name and
// the target are split at " -> "; where the line has more than one " -> ",
// the split that makes the target as long as the listed size wins (ls
// prints a link's size as the length of its target). For other types, a
// " -> " is part of the name.
//
// "total N" lines and the "." and ".." entries give ErrSkip.
type Unix struct{}

// maxUnixFields bounds the columns examined before the date: mode, links,
// owner and group names of several words, size, and the date itself.
const maxUnixFields = 24

// span is a [start, end) byte range of a column within the line.
type span struct{ start, end int }

// Parse parses one "ls -l" line. See Unix for the accepted forms.
func (Unix) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseUnix(line, clock)
	return finish("unix", line, e, err)
}

func parseUnix(line string, clock Clock) (Entry, error) {
	var cols [maxUnixFields]span
	n := splitColumns(line, cols[:])
	if n == 0 {
		return Entry{}, ErrSkip
	}
	first := line[cols[0].start:cols[0].end]
	if first == "total" && n == 2 {
		if _, ok := atoiSmall(line[cols[1].start:cols[1].end]); ok {
			return Entry{}, ErrSkip
		}
	}
	if n < 5 {
		return Entry{}, errTooShort
	}
	modeText, links := first, ""
	if len(first) > 11 {
		// "drwxr-x---+1464": a wide link count glued to the mode.
		cut := 10
		if isACLMarker(first[10]) {
			cut = 11
		}
		if isNumber(first[cut:]) {
			modeText, links = first[:cut], first[cut:]
		}
	}
	mode, err := ParseUnixMode(modeText)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Mode: mode, Type: typeOf(mode), Raw: line}

	// The size column is the first column after the mode that is
	// followed by a date.
	for i := 1; i < n-1; i++ {
		size, ids, ok := parseSize(line, mode, cols[1:i+1])
		if !ok {
			continue
		}
		dateEnd, ok := parseUnixDate(line, cols[i+1:n], clock, &e)
		if !ok {
			continue
		}
		if size == sizeTooBig {
			e.Unknown |= UnknownSize
		} else {
			e.Size = size
		}
		if macPeterColumns(line, ids, line[cols[i].start:cols[i].end]) {
			ids = nil // no link count, owner or group in this dialect
		}
		if err := e.setIDs(line, ids, links); err != nil {
			return Entry{}, err
		}
		return e, e.setName(line, dateEnd)
	}
	return Entry{}, errBadDate
}

// splitColumns records the blank-separated columns of line in cols and
// returns how many it found (at most len(cols)).
func splitColumns(line string, cols []span) int {
	n := 0
	i := 0
	for n < len(cols) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		cols[n] = span{start, i}
		n++
	}
	return n
}

// parseUnixDate tries to read a date from the first columns of cols. On
// success it stores the time in e and returns the byte offset in line
// where the date ends.
func parseUnixDate(line string, cols []span, clock Clock, e *Entry) (end int, ok bool) {
	col := func(i int) string { return line[cols[i].start:cols[i].end] }
	if len(cols) >= 3 {
		// "Nov 23 02:33", "May 26 2005", "3月 2日 2003年".
		if t, p, err := ParseUnixTime(col(0), col(1), col(2), clock); err == nil {
			e.ModTime, e.Precision = t, p
			return cols[2].end, true
		}
		// "02 Mar 16:27" (day first, as AIX prints it).
		if _, isDay := atoiSmall(col(0)); isDay {
			if t, p, err := ParseUnixTime(col(1), col(0), col(2), clock); err == nil {
				e.ModTime, e.Precision = t, p
				return cols[2].end, true
			}
		}
	}
	if len(cols) >= 2 {
		if t, p, used, ok := parseISODateTime(line, cols, clock); ok {
			e.ModTime, e.Precision = t, p
			return cols[used-1].end, true
		}
	}
	return 0, false
}

// parseISODateTime reads "2005-05-26 14:03" (ls --time-style=long-iso) or
// "2005-05-26 14:03:12.123456789 +0200" (full-iso) and returns how many
// columns it used.
func parseISODateTime(line string, cols []span, clock Clock) (time.Time, time.Duration, int, bool) {
	date := line[cols[0].start:cols[0].end]
	tod := line[cols[1].start:cols[1].end]
	if len(date) != 10 || date[4] != '-' || date[7] != '-' {
		return time.Time{}, 0, 0, false
	}
	year, ok1 := atoiSmall(date[:4])
	month, ok2 := atoiSmall(date[5:7])
	day, ok3 := atoiSmall(date[8:])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 {
		return time.Time{}, 0, 0, false
	}
	if len(tod) > 5 && len(cols) >= 3 {
		// full-iso: "14:03:12.123456789 +0200"
		stamp := date + "T" + tod + line[cols[2].start:cols[2].end]
		t, err := time.Parse("2006-01-02T15:04:05.999999999-0700", stamp)
		if err != nil {
			return time.Time{}, 0, 0, false
		}
		return t.UTC(), time.Second, 3, true
	}
	hour, minute, ok := parseClock(tod)
	if !ok {
		return time.Time{}, 0, 0, false
	}
	local, ok := exactDate(year, time.Month(month), day, hour, minute, 0)
	if !ok {
		return time.Time{}, 0, 0, false
	}
	return clock.toUTC(local), MinutePrecision, 2, true
}

// parseSize reads the size from the last of cols (the columns from the
// one after the mode up to the candidate size column) and returns the
// columns before it, which hold the link count, owner and group. A device
// file has "major, minor" or "major,minor" instead of a size; its size is
// 0 and the "major," column is not an id.
func parseSize(line string, mode fs.FileMode, cols []span) (size int64, ids []span, ok bool) {
	last := len(cols) - 1
	s := line[cols[last].start:cols[last].end]
	ids = cols[:last]
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, nil, false
	}
	if mode&fs.ModeDevice != 0 {
		if major, minor, found := strings.Cut(s, ","); found {
			return 0, ids, isNumber(major) && isNumber(minor)
		}
		if last > 0 {
			prev := line[cols[last-1].start:cols[last-1].end]
			if major, found := strings.CutSuffix(prev, ","); found {
				return 0, ids[:last-1], isNumber(major) && isNumber(s)
			}
		}
	}
	size, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if _, err := strconv.ParseUint(s, 10, 64); err == nil {
			return sizeTooBig, ids, true
		}
		return 0, nil, false
	}
	return size, ids, true
}

// sizeTooBig is what parseSize returns for a size column between 2^63 and
// 2^64-1: a number, so the line is well formed, but not a size an int64
// holds. Such a size is what a server prints for an unsigned -1 (an
// unknown or broken size), never the length of a real file, so the
// entry's size is unknown (UnknownSize) rather than clamped.
const sizeTooBig = -1

// macPeterColumns recognises the Mac OS servers (NetPresenz, WebSTAR)
// whose "ls -l" has no link count, owner or group: a directory shows the
// word "folder" there, a file its resource-fork and data-fork sizes, which
// add up to the size column.
func macPeterColumns(line string, ids []span, sizeText string) bool {
	col := func(i int) string { return line[ids[i].start:ids[i].end] }
	switch len(ids) {
	case 1:
		return col(0) == "folder"
	case 2:
		resource, err1 := strconv.ParseUint(col(0), 10, 64)
		data, err2 := strconv.ParseUint(col(1), 10, 64)
		size, err3 := strconv.ParseUint(sizeText, 10, 64)
		sum := resource + data
		return err1 == nil && err2 == nil && err3 == nil && sum >= resource && sum == size && size > 0
	}
	return false
}

// setIDs fills Links, Owner and Group from the columns between the mode
// and the size. links is a link count glued to the mode, if any; else a
// leading numeric column is the link count.
func (e *Entry) setIDs(line string, ids []span, links string) error {
	col := func(i int) string { return line[ids[i].start:ids[i].end] }
	if links == "" && len(ids) > 0 && isNumber(col(0)) {
		links, ids = col(0), ids[1:]
	}
	if links != "" {
		n, ok := atoiSmall(links)
		if !ok {
			return errTooShort
		}
		e.Links = n
	}
	switch len(ids) {
	case 0:
	case 1:
		e.Owner = col(0)
	default:
		gap := widestGap(ids)
		e.Owner = line[ids[0].start:ids[gap].end]
		e.Group = line[ids[gap+1].start:ids[len(ids)-1].end]
	}
	return nil
}

// widestGap returns i such that the widest run of blanks between columns
// lies between ids[i] and ids[i+1]; ties go to the leftmost.
func widestGap(ids []span) int {
	best, bestWidth := 0, -1
	for i := 0; i+1 < len(ids); i++ {
		if w := ids[i+1].start - ids[i].end; w > bestWidth {
			best, bestWidth = i, w
		}
	}
	return best
}

func isNumber(s string) bool {
	_, ok := atoiSmall(s)
	return ok
}

// setName takes the name (and, for links, the target) from what follows
// the date.
func (e *Entry) setName(line string, dateEnd int) error {
	if dateEnd+1 >= len(line) {
		return errNoName
	}
	name := line[dateEnd+1:]
	if e.Type == TypeLink {
		name, e.LinkTarget = splitLink(name, e.Size)
	}
	return e.acceptName(name)
}

// acceptName checks a parsed name and stores it: "." and ".." are skipped,
// an empty name or one with a slash or a NUL is an error.
func (e *Entry) acceptName(name string) error {
	switch {
	case name == "":
		return errNoName
	case name == "." || name == "..":
		return ErrSkip
	case strings.ContainsAny(name, "/\x00"):
		return errBadName
	}
	e.Name = name
	return nil
}

// splitLink splits "name -> target". With several arrows it prefers the
// split whose target is size bytes long, else the first arrow.
func splitLink(s string, size int64) (name, target string) {
	const arrow = " -> "
	first := strings.Index(s, arrow)
	if first < 0 {
		return s, ""
	}
	for i := first; i >= 0; {
		if int64(len(s)-i-len(arrow)) == size {
			return s[:i], s[i+len(arrow):]
		}
		next := strings.Index(s[i+1:], arrow)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return s[:first], s[first+len(arrow):]
}
