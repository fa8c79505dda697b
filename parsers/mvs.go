package parsers

import (
	"io/fs"
	"strings"
	"time"
)

// MVS parses the data set listings of IBM z/OS (MVS) servers, as LIST
// prints them for a high-level qualifier:
//
//	Volume Unit   Referred  Ext Used Recfm Lrecl BlkSz Dsorg Dsname
//	WRK001 3390   2026/11/20  1   12  FB      80 27920  PS  ACCT.REPORT.NOV
//	WRK002 3390   2026/11/02  3  150  FB      80 27920  PO  ACCT.SOURCE.COBOL
//	Migrated                                                ACCT.OLD.DATA
//	Pseudo Directory                                        ACCT.ARCHIVE
//
// The name is the data set name. A partitioned data set (Dsorg PO or
// PO-E) and a "Pseudo Directory" (a qualifier shared by deeper names) are
// directories: their members or data sets are listed by changing into
// them (see MVSMember). Other data sets are files.
//
// The listing gives no byte size, only the tracks used: Size is the used
// tracks times the track capacity of the unit (56664 bytes for a 3390,
// 47476 for a 3380), the space the data set takes, as FluentFTP reports
// it. For another unit, a migrated data set, or a Used column that has
// overflowed into '+' signs, the size is unknown (UnknownSize).
//
// The only date is Referred, the day the data set was last used; it is the
// entry's ModTime (server-local, DayPrecision). The header line gives
// ErrSkip. Owner, group and permission bits are not listed (UnknownPerm).
// The HFS/USS side of z/OS lists directories as Unix does: use Unix.
type MVS struct{}

// Parse parses one MVS data set line. See MVS for the accepted forms.
func (MVS) Parse(line string, clock Clock) (Entry, error) {
	e, err := parseMVS(line, clock)
	return finish("mvs", line, e, err)
}

// trackBytes is the track capacity of the DASD units, by unit name.
var trackBytes = map[string]int64{"3390": 56664, "3380": 47476}

func parseMVS(line string, clock Clock) (Entry, error) {
	var f [11]string
	n := 0
	for rest := line; n < len(f); n++ {
		f[n], rest = nextField(rest)
		if f[n] == "" {
			break
		}
	}
	if n == 0 || f[0] == "Volume" && f[n-1] == "Dsname" {
		return Entry{}, ErrSkip
	}
	e := Entry{Raw: line, Type: TypeFile, Unknown: UnknownPerm | UnknownSize}
	name := f[n-1]
	switch {
	case n == 2 && f[0] == "Migrated":
		return e, e.acceptName(name)
	case n == 3 && f[0] == "Pseudo" && f[1] == "Directory":
		e.Type, e.Mode = TypeDir, fs.ModeDir
		return e, e.acceptName(name)
	case n < 9 || n > 10:
		return Entry{}, errTooShort
	}
	// Volume Unit Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname, where
	// Ext and Used run together ("1+++++") when Used overflows.
	t, ok := parseYMDSlash(f[2])
	if !ok {
		return Entry{}, errBadDate
	}
	e.ModTime, e.Precision = clock.toUTC(t), DayPrecision
	used := f[4]
	if n == 9 {
		ext, overflow, found := strings.Cut(f[3], "+")
		if !found || !onlyDigits(ext) || strings.Trim(overflow, "+") != "" {
			return Entry{}, errTooShort
		}
		used = "+"
	} else if !onlyDigits(f[3]) {
		return Entry{}, errBadSize
	}
	tracks, ok := parseBytes(used)
	if !ok && strings.Trim(used, "+") != "" {
		return Entry{}, errBadSize
	}
	if perTrack := trackBytes[f[1]]; ok && perTrack > 0 && tracks <= (1<<63-1)/perTrack {
		e.Size = tracks * perTrack
		e.Unknown &^= UnknownSize
	}
	switch dsorg := f[n-2]; dsorg {
	case "PO", "PO-E":
		e.Type, e.Mode = TypeDir, fs.ModeDir
	case "PS", "DA", "VS", "VSAM", "IS", "PS-E", "U", "?":
	default:
		return Entry{}, errBadMode
	}
	return e, e.acceptName(name)
}

// parseYMDSlash reads YYYY/MM/DD.
func parseYMDSlash(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '/' || s[7] != '/' {
		return time.Time{}, false
	}
	y, ok1 := atoiSmall(s[:4])
	m, ok2 := atoiSmall(s[5:7])
	d, ok3 := atoiSmall(s[8:])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	return exactDate(y, time.Month(m), d, 0, 0, 0)
}
