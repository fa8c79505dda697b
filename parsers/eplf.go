package parsers

import (
	"io/fs"
	"strings"
	"time"
)

// EPLF parses D. J. Bernstein's Easily Parsed LIST Format, which publicfile
// and a few other servers send:
//
//	+i8388621.29609,m1795521600,r,s4096,	notes.txt
//	+i8388621.44468,m1795435200,/,	incoming
//
// A line is '+', facts separated by commas, a tab, and the name. The facts
// used are '/' (a directory: CWD works), 'r' (a file: RETR works), "s"
// size in bytes, "m" modification time in seconds since 1970 (UTC), and
// "up" permission bits in octal. Unknown facts are ignored. Without "s"
// the size is unknown, without "up" the permission bits; an entry with
// neither '/' nor 'r' is TypeOther.
type EPLF struct{}

// Parse parses one EPLF line. See EPLF for the format.
func (EPLF) Parse(line string, _ Clock) (Entry, error) {
	e, err := parseEPLF(line)
	return finish("eplf", line, e, err)
}

func parseEPLF(line string) (Entry, error) {
	if line == "" {
		return Entry{}, ErrSkip
	}
	facts, name, ok := strings.Cut(line, "\t")
	if !ok || facts == "" || facts[0] != '+' {
		return Entry{}, errNoFacts
	}
	e := Entry{Raw: line, Type: TypeOther, Mode: fs.ModeIrregular, Unknown: UnknownSize | UnknownPerm}
	isDir, isFile := false, false
	for _, fact := range strings.Split(facts[1:], ",") {
		switch {
		case fact == "":
		case fact == "/":
			isDir = true
		case fact == "r":
			isFile = true
		case fact[0] == 's':
			size, ok := parseBytes(fact[1:])
			if !ok {
				return Entry{}, errBadSize
			}
			e.Size, e.Unknown = size, e.Unknown&^UnknownSize
		case fact[0] == 'm':
			secs, ok := parseBytes(fact[1:])
			if !ok || secs > 1<<40 {
				return Entry{}, errBadDate
			}
			e.ModTime, e.Precision = time.Unix(secs, 0).UTC(), time.Second
		case strings.HasPrefix(fact, "up"):
			perm, err := parseOctalMode(fact[2:])
			if err != nil {
				return Entry{}, err
			}
			e.Mode, e.Unknown = e.Mode&fs.ModeType|perm, e.Unknown&^UnknownPerm
		}
	}
	switch {
	case isDir:
		e.Type, e.Mode = TypeDir, fs.ModeDir|e.Mode.Perm()|e.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	case isFile:
		e.Type, e.Mode = TypeFile, e.Mode&^fs.ModeType
	}
	return e, e.acceptName(name)
}
