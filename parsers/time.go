package parsers

import (
	"strings"
	"time"
)

// Precisions of listed times.
const (
	MinutePrecision = time.Minute
	DayPrecision    = 24 * time.Hour
)

// ParseUnixTime parses the date columns of an "ls -l" line: a month name
// ("Nov", "Mär", "11月"), a day of the month ("23", "23日") and either a
// time of day ("02:33", "2:33") or a year ("2005", "2005年").
//
// The listed time is the server's local wall-clock time. ParseUnixTime
// returns the UTC instant it stands for (corrected by clock.Shift) and its
// precision: MinutePrecision for a time of day, DayPrecision for a year.
// A time of day has no year; the year chosen is the one, among the server's
// last, current and next year, that puts the date nearest to the server's
// current time (clock.Now plus clock.Shift), skipping years in which the
// date does not exist (Feb 29).
//
// The error is non-nil when a column is malformed or the date does not
// exist (Nov 31).
func ParseUnixTime(month, day, yearOrTime string, clock Clock) (time.Time, time.Duration, error) {
	m, ok := parseMonth(month)
	if !ok {
		return time.Time{}, 0, errBadDate
	}
	d, ok := atoiSmall(strings.TrimSuffix(day, "日"))
	if !ok || d < 1 || d > 31 {
		return time.Time{}, 0, errBadDate
	}
	if hour, minute, ok := parseClock(yearOrTime); ok {
		local, ok := nearestYear(m, d, hour, minute, clock.serverNow())
		if !ok {
			return time.Time{}, 0, errBadDate
		}
		return clock.toUTC(local), MinutePrecision, nil
	}
	year, ok := atoiSmall(strings.TrimSuffix(yearOrTime, "年"))
	if !ok || year < 1000 || year > 9999 {
		return time.Time{}, 0, errBadTime
	}
	local, ok := exactDate(year, m, d, 0, 0, 0)
	if !ok {
		return time.Time{}, 0, errBadDate
	}
	return clock.toUTC(local), DayPrecision, nil
}

// parseClock parses "HH:MM" or "H:MM" (24-hour).
func parseClock(s string) (hour, minute int, ok bool) {
	h, m, found := strings.Cut(s, ":")
	if !found || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, 0, false
	}
	hour, ok1 := atoiSmall(h)
	minute, ok2 := atoiSmall(m)
	if !ok1 || !ok2 || hour > 23 || minute > 59 {
		return 0, 0, false
	}
	return hour, minute, true
}

// exactDate builds a wall-clock time in time.UTC and reports whether the
// date exists (time.Date would silently turn Feb 30 into Mar 2).
func exactDate(year int, month time.Month, day, hour, minute, sec int) (time.Time, bool) {
	t := time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
	return t, t.Month() == month && t.Day() == day
}

// nearestYear picks, among the years around serverNow's, the one that puts
// month/day hour:minute nearest to serverNow.
func nearestYear(month time.Month, day, hour, minute int, serverNow time.Time) (time.Time, bool) {
	var best time.Time
	var bestDist time.Duration
	found := false
	for year := serverNow.Year() - 1; year <= serverNow.Year()+1; year++ {
		t, ok := exactDate(year, month, day, hour, minute, 0)
		if !ok {
			continue
		}
		dist := t.Sub(serverNow)
		if dist < 0 {
			dist = -dist
		}
		if !found || dist < bestDist {
			best, bestDist, found = t, dist, true
		}
	}
	return best, found
}

// ParseMSTime parses the date and time columns of an MS-DOS/IIS listing
// line: a date "10-23-01", "10-23-2001", "10/23/01" (month first) or
// "2001-10-23" (ISO), and a time "03:25PM", "03:25 PM", "15:25" or
// "15:25:07". Two-digit years 70 to 99 are 19xx, the others 20xx.
//
// Like ParseUnixTime it returns the UTC instant (corrected by clock.Shift)
// and the precision: MinutePrecision, or time.Second when the time has
// seconds. The error is non-nil for a malformed column or a date that does
// not exist.
func ParseMSTime(date, clockTime string, clock Clock) (time.Time, time.Duration, error) {
	year, month, day, ok := parseMSDate(date)
	if !ok {
		return time.Time{}, 0, errBadDate
	}
	hour, minute, sec, precision, ok := parseMSClock(clockTime)
	if !ok {
		return time.Time{}, 0, errBadTime
	}
	local, ok := exactDate(year, time.Month(month), day, hour, minute, sec)
	if !ok {
		return time.Time{}, 0, errBadDate
	}
	return clock.toUTC(local), precision, nil
}

func parseMSDate(s string) (year, month, day int, ok bool) {
	var sep byte = '-'
	if strings.IndexByte(s, '/') >= 0 {
		sep = '/'
	}
	a, rest, ok1 := strings.Cut(s, string(sep))
	b, c, ok2 := strings.Cut(rest, string(sep))
	if !ok1 || !ok2 {
		return 0, 0, 0, false
	}
	x, okA := atoiSmall(a)
	y, okB := atoiSmall(b)
	z, okC := atoiSmall(c)
	if !okA || !okB || !okC {
		return 0, 0, 0, false
	}
	switch {
	case len(a) == 4 && len(b) == 2 && len(c) == 2: // ISO
		year, month, day = x, y, z
	case len(a) <= 2 && len(b) <= 2 && len(c) == 2:
		month, day, year = x, y, z+2000
		if z >= 70 {
			year = z + 1900
		}
	case len(a) <= 2 && len(b) <= 2 && len(c) == 4:
		month, day, year = x, y, z
	default:
		return 0, 0, 0, false
	}
	return year, month, day, month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// parseMSClock parses "03:25PM", "03:25 PM", "3:25am", "15:25" and
// "15:25:07".
func parseMSClock(s string) (hour, minute, sec int, precision time.Duration, ok bool) {
	s = strings.TrimSpace(s)
	am, pm := false, false
	if n := len(s); n > 2 {
		am, pm = strings.EqualFold(s[n-2:], "AM"), strings.EqualFold(s[n-2:], "PM")
		if am || pm {
			s = strings.TrimRight(s[:n-2], " ")
		}
	}
	precision = MinutePrecision
	if strings.Count(s, ":") == 2 {
		i := strings.LastIndexByte(s, ':')
		secPart := s[i+1:]
		s = s[:i]
		sec, ok = atoiSmall(secPart)
		if !ok || len(secPart) != 2 || sec > 59 {
			return 0, 0, 0, 0, false
		}
		precision = time.Second
	}
	hour, minute, ok = parseClock(s)
	if !ok {
		return 0, 0, 0, 0, false
	}
	if am || pm {
		if hour < 1 || hour > 12 {
			return 0, 0, 0, 0, false
		}
		hour %= 12
		if pm {
			hour += 12
		}
	}
	return hour, minute, sec, precision, true
}
