package parsers

import (
	"io/fs"
	"strconv"
	"strings"
)

// ParseUnixMode parses the mode column of an "ls -l" line, such as
// "drwxr-sr-x" or "-rw-r--r--+", into an fs.FileMode with the io/fs type
// bits, the permission bits and the setuid, setgid and sticky bits.
//
// The first character is the type: '-' (or 'f') regular file, 'd'
// directory, 'l' symbolic link, 'c' character device, 'b' block device,
// 'p' named pipe, 's' socket, 'D' door. Nine permission characters follow,
// in which 's'/'S' and 't'/'T' mark the special bits with and without the
// execute bit. One trailing ACL or extended-attribute marker ('+', '@' or
// '.') is accepted and ignored. A nine-character form that lacks the last
// (other-execute) character, "drw-r--rw", reads as if it ended in '-'.
//
// It also reads the form Go's fs.FileMode.String prints, which servers
// written in Go (ftpserverlib) send: type and special-bit letters from
// "dalTLDpSugct?" followed by nine rwx characters ("Lrwxrwxrwx",
// "dtrwxrwxrwx", "urwxr-xr-x"). Anything else is an error.
func ParseUnixMode(s string) (fs.FileMode, error) {
	if len(s) == 11 && isACLMarker(s[10]) {
		s = s[:10]
	}
	switch len(s) {
	case 10:
		if m, err := parseLsMode(s); err == nil {
			return m, nil
		}
	case 9:
		// "drw-r--rw": some servers print only eight permission
		// characters; what is missing is the last, other-execute one
		// (the other eight read as usual), so it is taken as unset.
		return parseLsMode(s + "-")
	}
	return parseGoMode(s)
}

// goModeLetters are the letters fs.FileMode.String prints for its bits,
// in its order.
const goModeLetters = "dalTLDpSugct?"

// parseGoMode reads the fs.FileMode.String form.
func parseGoMode(s string) (fs.FileMode, error) {
	if len(s) < 10 {
		return 0, errBadMode
	}
	letters, perms := s[:len(s)-9], s[len(s)-9:]
	var mode fs.FileMode
	if letters != "-" {
		last := -1
		for i := 0; i < len(letters); i++ {
			bit := strings.IndexByte(goModeLetters, letters[i])
			if bit <= last { // unknown, repeated or out of order
				return 0, errBadMode
			}
			last = bit
			mode |= 1 << (31 - bit)
		}
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		switch perms[i] {
		case rwx[i]:
			mode |= 1 << (8 - i)
		case '-':
		default:
			return 0, errBadMode
		}
	}
	return mode, nil
}

// parseLsMode reads the ten-character form of ls -l.
func parseLsMode(s string) (fs.FileMode, error) {
	mode, ok := unixTypeBits(s[0])
	if !ok {
		return 0, errBadMode
	}
	for i := 0; i < 3; i++ {
		triple := s[1+3*i : 4+3*i]
		shift := uint(6 - 3*i)
		switch triple[0] {
		case 'r':
			mode |= 4 << shift
		case '-':
		default:
			return 0, errBadMode
		}
		switch triple[1] {
		case 'w':
			mode |= 2 << shift
		case '-':
		default:
			return 0, errBadMode
		}
		special := specialBit[i]
		switch c := triple[2]; {
		case c == 'x':
			mode |= 1 << shift
		case c == '-':
		case c == special.withExec:
			mode |= 1<<shift | special.bit
		case c == special.withoutExec:
			mode |= special.bit
		default:
			return 0, errBadMode
		}
	}
	return mode, nil
}

// specialBit says, for the user, group and other triples, which letters
// mark the special bit in the execute position.
var specialBit = [3]struct {
	withExec, withoutExec byte
	bit                   fs.FileMode
}{
	{'s', 'S', fs.ModeSetuid},
	{'s', 'S', fs.ModeSetgid},
	{'t', 'T', fs.ModeSticky},
}

func isACLMarker(c byte) bool { return c == '+' || c == '@' || c == '.' }

func unixTypeBits(c byte) (fs.FileMode, bool) {
	switch c {
	case '-', 'f':
		return 0, true
	case 'd':
		return fs.ModeDir, true
	case 'l':
		return fs.ModeSymlink, true
	case 'c':
		return fs.ModeDevice | fs.ModeCharDevice, true
	case 'b':
		return fs.ModeDevice, true
	case 'p':
		return fs.ModeNamedPipe, true
	case 's':
		return fs.ModeSocket, true
	case 'D':
		return fs.ModeIrregular, true
	}
	return 0, false
}

// typeOf derives the entry type from the io/fs type bits.
func typeOf(m fs.FileMode) Type {
	switch {
	case m.IsRegular():
		return TypeFile
	case m.IsDir():
		return TypeDir
	case m&fs.ModeSymlink != 0:
		return TypeLink
	default:
		return TypeOther
	}
}

// parseOctalMode parses a numeric mode such as "0755" or "100644" (as
// MLSD's UNIX.mode fact gives it) into permission and special bits. The
// file-type bits of a full st_mode are ignored: the type comes from the
// "type" fact. A "0o" prefix is taken too: pyftpdlib writes modes with
// Python's oct(), "0o755".
func parseOctalMode(s string) (fs.FileMode, error) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O') {
		s = s[2:]
	}
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil || s == "" {
		return 0, errBadFact
	}
	mode := fs.FileMode(n & 0o777)
	if n&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if n&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if n&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return mode, nil
}
