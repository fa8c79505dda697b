package parsers

import (
	"strconv"
	"time"
)

// MVSMember parses the member listings of z/OS partitioned data sets (what
// LIST prints after changing into a PDS), in their three forms:
//
//	 Name     VV.MM   Created       Changed      Size  Init   Mod   Id
//	PAYROLL   01.04 2025/03/11 2026/11/20 14:55   120   100     9 MIRA
//	 Name     Size    TTR    Alias-of AC ------- Attributes ------- Amode Rmode
//	PAYCALC   00A3F0   00001A          00 FO             RN RU            31    ANY
//	NOTES
//
// With ISPF statistics (source libraries) the time is Changed, to the
// minute or second, server-local; the Size column counts lines, not
// bytes, so the size is unknown. Load libraries give the size in bytes, in
// hexadecimal, and no time. A member without statistics is a name alone
// (one to eight capitals, digits, '@', '#' or '$', the first not a
// digit). Header lines give ErrSkip. Members are files; owner, group and
// permission bits are not listed (the ISPF Id is the last user to change
// the member, kept as Owner).
type MVSMember struct{}

// Parse parses one PDS member line. See MVSMember for the accepted forms.
func (MVSMember) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseMVSMember(line, clock)
	return finish("mvs-member", line, e, err)
}

func parseMVSMember(line string, clock Clock) (Entry, error) {
	name, rest := nextField(line)
	if name == "" || name == "Name" {
		return Entry{}, ErrSkip
	}
	if !isMemberName(name) {
		return Entry{}, errNoName
	}
	e := Entry{Raw: line, Type: TypeFile, Unknown: UnknownPerm | UnknownSize}
	second, rest := nextField(rest)
	switch {
	case second == "":
		// A name alone: a member without statistics.
	case len(second) == 6 && isHex(second):
		ttr, _ := nextField(rest)
		if len(ttr) != 6 || !isHex(ttr) {
			return Entry{}, errBadSize
		}
		size, err := strconv.ParseInt(second, 16, 64)
		if err != nil {
			return Entry{}, errBadSize
		}
		e.Size, e.Unknown = size, UnknownPerm
	case len(second) == 5 && second[2] == '.' && onlyDigits(second[:2]) && onlyDigits(second[3:]):
		var created, changed, clockText, lines, init, mod, id string
		created, rest = nextField(rest)
		changed, rest = nextField(rest)
		clockText, rest = nextField(rest)
		lines, rest = nextField(rest)
		init, rest = nextField(rest)
		mod, rest = nextField(rest)
		id, rest = nextField(rest)
		day, ok1 := parseYMDSlash(changed)
		_, ok2 := parseYMDSlash(created)
		hour, minute, sec, precision, ok3 := parseMSClock(clockText)
		if !ok1 || !ok2 || !ok3 || len(clockText) != 5 && len(clockText) != 8 {
			return Entry{}, errBadDate
		}
		if !onlyDigits(lines) || !onlyDigits(init) || !onlyDigits(mod) || trimBlanks(rest) != "" {
			return Entry{}, errTooShort
		}
		local := day.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute + time.Duration(sec)*time.Second)
		e.ModTime, e.Precision, e.Owner = clock.toUTC(local), precision, id
	default:
		return Entry{}, errTooShort
	}
	return e, e.acceptName(name)
}

// isMemberName reports whether s is a PDS member name.
func isMemberName(s string) bool {
	if len(s) > 8 || s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '@' || c == '#' || c == '$') {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}
