package parsers

import (
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// MLSD parses RFC 3659 fact lines, as MLSD (and MLST) return them:
//
//	type=file;size=4096;modify=20240102150405.123;UNIX.mode=0644; name
//
// Fact names are matched without regard to case. The facts used are type
// (file, dir, cdir, pdir, OS.unix=slink:target, OS.unix=symlink and the
// like), size (or sizd for directories), modify (UTC, with optional
// fractional seconds), UNIX.mode, UNIX.owner and UNIX.group (or UNIX.uid,
// UNIX.gid, UNIX.ownername, UNIX.groupname; numbers win over names). Other
// facts are ignored. The name is everything after the first "; ", so it may
// contain ";", "=" and leading blanks.
//
// Times are UTC by definition: the clock's shift is not applied. The
// precision is time.Second, or finer as the fraction says. Without a
// UNIX.mode fact the permission bits are zero and Unknown has
// UnknownPerm; without a size or sizd fact the size is zero and Unknown
// has UnknownSize; without a type fact the
// entry is a file; a type this parser does not know (OS.unix=chr-3/1, say)
// gives TypeOther; a fact with an empty value is ignored. A line that
// starts with a blank has no facts. Lines of type cdir and pdir, the
// names "." and "..", and absolute pathnames ("/srv/a", which name no
// entry of the listed directory) give ErrSkip; any other name with a
// slash is an error.
type MLSD struct{}

// Parse parses one MLSD fact line. See MLSD for the accepted facts.
func (MLSD) Parse(line string, _ Clock) (Entry, error) {
	e, err := parseMLSD(line)
	return finish("mlsd", line, e, err)
}

func parseMLSD(line string) (Entry, error) {
	// Facts end at "; " (RFC 3659 puts one blank before the name); a
	// server that leaves out the last semicolon ends them at the first
	// blank.
	var facts, name string
	switch i := strings.Index(line, "; "); {
	case strings.HasPrefix(line, " "): // no facts at all
		name = line[1:]
	case i >= 0:
		facts, name = line[:i+1], line[i+2:]
	default:
		return Entry{}, errNoFacts
	}
	e := Entry{Raw: line}
	var owner, ownerName, group, groupName string
	hasSize, hasMode := false, false
	for facts != "" {
		var fact string
		fact, facts, _ = strings.Cut(facts, ";")
		key, value, ok := strings.Cut(fact, "=")
		if !ok || key == "" {
			return Entry{}, errBadFact
		}
		if value == "" {
			continue // "size=;": a fact without a value says nothing
		}
		var err error
		switch {
		case strings.EqualFold(key, "type"):
			err = e.setMLSDType(value)
		case strings.EqualFold(key, "size"), strings.EqualFold(key, "sizd"):
			e.Size, err = strconv.ParseInt(value, 10, 64)
			if err != nil || e.Size < 0 {
				err = errBadSize
			}
			hasSize = true
		case strings.EqualFold(key, "modify"):
			e.ModTime, e.Precision, err = parseMLSDTime(value)
		case strings.EqualFold(key, "unix.mode"):
			var perm fs.FileMode
			perm, err = parseOctalMode(value)
			e.Mode = e.Mode&fs.ModeType | perm
			hasMode = true
		case strings.EqualFold(key, "unix.owner"), strings.EqualFold(key, "unix.uid"):
			owner = value
		case strings.EqualFold(key, "unix.ownername"):
			ownerName = value
		case strings.EqualFold(key, "unix.group"), strings.EqualFold(key, "unix.gid"):
			group = value
		case strings.EqualFold(key, "unix.groupname"):
			groupName = value
		}
		if err != nil {
			return Entry{}, err
		}
	}
	if !hasSize {
		e.Unknown |= UnknownSize
	}
	if !hasMode {
		e.Unknown |= UnknownPerm
	}
	// Numbers win over names: proftpd's names follow its virtual user,
	// not the file.
	e.Owner = firstNonEmpty(owner, ownerName)
	e.Group = firstNonEmpty(group, groupName)
	if strings.HasPrefix(name, "/") && !strings.Contains(name, "\x00") {
		// An absolute pathname, as MLST gives it, names no entry of the
		// listed directory; in MLSD output such a line only says where
		// a link points (see ParseListing), so it is skipped.
		return Entry{}, ErrSkip
	}
	return e, e.acceptName(name)
}

// setMLSDType applies the value of the type fact.
func (e *Entry) setMLSDType(value string) error {
	kind, target, _ := strings.Cut(value, ":")
	perm := e.Mode.Perm() | e.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	switch {
	case strings.EqualFold(kind, "file"):
		e.Type, e.Mode = TypeFile, perm
	case strings.EqualFold(kind, "dir"):
		e.Type, e.Mode = TypeDir, fs.ModeDir|perm
	case strings.EqualFold(kind, "cdir"), strings.EqualFold(kind, "pdir"):
		return ErrSkip
	case strings.EqualFold(kind, "OS.unix=slink"), strings.EqualFold(kind, "OS.unix=symlink"),
		strings.EqualFold(kind, "OS.unix=link"), strings.EqualFold(kind, "link"):
		e.Type, e.Mode, e.LinkTarget = TypeLink, fs.ModeSymlink|perm, target
	default:
		e.Type, e.Mode = TypeOther, fs.ModeIrregular|perm
	}
	return nil
}

// parseMLSDTime parses a time-val: YYYYMMDDHHMMSS with an optional
// fraction, in UTC.
func parseMLSDTime(s string) (time.Time, time.Duration, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if len(whole) != 14 || hasFrac && (frac == "" || len(frac) > 9) {
		return time.Time{}, 0, errBadDate
	}
	var v [6]int
	widths := [6]int{4, 2, 2, 2, 2, 2}
	pos := 0
	for i, w := range widths {
		n, ok := atoiSmall(whole[pos : pos+w])
		if !ok {
			return time.Time{}, 0, errBadDate
		}
		v[i], pos = n, pos+w
	}
	if v[3] > 23 || v[4] > 59 || v[5] > 60 {
		return time.Time{}, 0, errBadDate
	}
	t, ok := exactDate(v[0], time.Month(v[1]), v[2], v[3], v[4], 0)
	if !ok {
		return time.Time{}, 0, errBadDate
	}
	t = t.Add(time.Duration(v[5]) * time.Second)
	precision := time.Second
	if hasFrac {
		n, ok := atoiSmall(frac)
		if !ok {
			return time.Time{}, 0, errBadDate
		}
		precision = time.Second
		for range frac {
			precision /= 10
		}
		t = t.Add(time.Duration(n) * precision)
	}
	return t, precision, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
