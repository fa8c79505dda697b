package parsers

import (
	"testing"
	"time"
)

func date(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestParseUnixTimeYearInference(t *testing.T) {
	tests := []struct {
		name                  string
		now                   time.Time
		shift                 time.Duration
		month, day, yearOrTOD string
		want                  time.Time
	}{
		{"same day", date(2024, 6, 15, 12, 0), 0, "Jun", "15", "11:00", date(2024, 6, 15, 11, 0)},
		{"months ago", date(2024, 6, 15, 12, 0), 0, "Feb", "1", "08:00", date(2024, 2, 1, 8, 0)},
		{"last year across new year", date(2025, 1, 1, 0, 5), 0, "Dec", "31", "23:59", date(2024, 12, 31, 23, 59)},
		{"next year across new year", date(2024, 12, 31, 23, 58), 0, "Jan", "1", "00:03", date(2025, 1, 1, 0, 3)},
		{"skew: minutes in the future", date(2024, 6, 15, 12, 0), 0, "Jun", "15", "12:07", date(2024, 6, 15, 12, 7)},
		{"skew: hours in the future", date(2024, 6, 15, 12, 0), 0, "Jun", "15", "17:00", date(2024, 6, 15, 17, 0)},
		{"skew: hours in the past", date(2024, 6, 15, 12, 0), 0, "Jun", "15", "05:00", date(2024, 6, 15, 5, 0)},
		{"skew at new year, file in the future", date(2024, 12, 31, 23, 0), 0, "Jan", "1", "01:00", date(2025, 1, 1, 1, 0)},
		{"skew at new year, file in the past", date(2025, 1, 1, 0, 30), 0, "Dec", "31", "20:00", date(2024, 12, 31, 20, 0)},
		{"five months ago", date(2024, 6, 15, 12, 0), 0, "Jan", "20", "10:00", date(2024, 1, 20, 10, 0)},
		{"nearer last year", date(2024, 3, 1, 0, 0), 0, "Oct", "2", "10:00", date(2023, 10, 2, 10, 0)},
		{"Feb 29 in a leap year", date(2024, 3, 10, 0, 0), 0, "Feb", "29", "10:00", date(2024, 2, 29, 10, 0)},
		{"Feb 29 from the following year", date(2025, 1, 10, 0, 0), 0, "Feb", "29", "10:00", date(2024, 2, 29, 10, 0)},
		{"Feb 29 seen before the leap year", date(2023, 12, 20, 0, 0), 0, "Feb", "29", "10:00", date(2024, 2, 29, 10, 0)},
		// The server is five hours ahead of UTC: its wall clock reads
		// 2025-01-01 02:00 while UTC reads 2024-12-31 21:00, so "Jan 1"
		// is this year for the server.
		{"shift moves the server across new year", date(2024, 12, 31, 21, 0), 5 * time.Hour, "Jan", "1", "01:30", date(2024, 12, 31, 20, 30)},
		{"negative shift", date(2025, 1, 1, 3, 0), -5 * time.Hour, "Dec", "31", "21:00", date(2025, 1, 1, 2, 0)},
		{"shift of 9:30", date(2024, 6, 15, 12, 0), 9*time.Hour + 30*time.Minute, "Jun", "15", "21:00", date(2024, 6, 15, 11, 30)},
		{"year form", date(2024, 6, 15, 12, 0), 0, "May", "26", "2005", date(2005, 5, 26, 0, 0)},
		{"year form with shift", date(2024, 6, 15, 12, 0), 2 * time.Hour, "May", "26", "2005", date(2005, 5, 25, 22, 0)},
		{"single-digit hour", date(2024, 6, 15, 12, 0), 0, "Mar", "12", "3:33", date(2024, 3, 12, 3, 33)},
		{"CJK", date(2024, 6, 15, 12, 0), 0, "6月", "3日", "2003年", date(2003, 6, 3, 0, 0)},
		{"German month", date(2024, 6, 15, 12, 0), 0, "Mär", "3", "2003", date(2003, 3, 3, 0, 0)},
		{"French month with dot", date(2024, 6, 15, 12, 0), 0, "févr.", "3", "2003", date(2003, 2, 3, 0, 0)},
		{"lower case", date(2024, 6, 15, 12, 0), 0, "dec", "3", "2003", date(2003, 12, 3, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := ParseUnixTime(tt.month, tt.day, tt.yearOrTOD, Clock{Now: tt.now, Shift: tt.shift})
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseUnixTime(%q, %q, %q) = %v, %v; want %v", tt.month, tt.day, tt.yearOrTOD, got, err, tt.want)
			}
		})
	}
}

func TestParseUnixTimePrecision(t *testing.T) {
	clock := Clock{Now: date(2024, 6, 15, 12, 0)}
	if _, p, _ := ParseUnixTime("Jun", "1", "10:00", clock); p != time.Minute {
		t.Errorf("precision of a time of day = %v, want a minute", p)
	}
	if _, p, _ := ParseUnixTime("Jun", "1", "2001", clock); p != 24*time.Hour {
		t.Errorf("precision of a year = %v, want a day", p)
	}
}

func TestParseUnixTimeRejects(t *testing.T) {
	clock := Clock{Now: date(2026, 6, 15, 12, 0)}
	tests := []struct{ month, day, yearOrTOD string }{
		{"Max", "4", "2000"}, {"May", "32", "2000"}, {"May", "0", "2000"}, {"May", "ab", "2000"},
		{"May", "4", "abcd"}, {"Dec", "19", "ab:11"}, {"Dec", "19", "23:ab"}, {"Feb", "23", "30:01"},
		{"Apr", "7", "18:79"}, {"Nov", "31", "2018"}, {"Feb", "29", "2023"}, {"May", "4", "209"},
		// 2025, 2026 and 2027 have no Feb 29: no year fits.
		{"Feb", "29", "10:00"},
		{"13月", "1", "2001"},
	}
	for _, tt := range tests {
		if got, _, err := ParseUnixTime(tt.month, tt.day, tt.yearOrTOD, clock); err == nil {
			t.Errorf("ParseUnixTime(%q, %q, %q) = %v, nil; want an error", tt.month, tt.day, tt.yearOrTOD, got)
		}
	}
}

func TestParseMSTime(t *testing.T) {
	tests := []struct {
		date, tod string
		shift     time.Duration
		want      time.Time
		precision time.Duration
	}{
		{"10-23-01", "03:25PM", 0, date(2001, 10, 23, 15, 25), time.Minute},
		{"10-23-01", "03:25 PM", 0, date(2001, 10, 23, 15, 25), time.Minute},
		{"10-23-95", "03:25AM", 0, date(1995, 10, 23, 3, 25), time.Minute},
		{"01-01-70", "12:00AM", 0, date(1970, 1, 1, 0, 0), time.Minute},
		{"01-01-69", "12:00PM", 0, date(2069, 1, 1, 12, 0), time.Minute},
		{"10-23-2001", "15:25", 0, date(2001, 10, 23, 15, 25), time.Minute},
		{"2013-09-02", "18:48", 0, date(2013, 9, 2, 18, 48), time.Minute},
		{"10/23/01", "3:25pm", 0, date(2001, 10, 23, 15, 25), time.Minute},
		{"10-23-2001", "15:25:07", 0, time.Date(2001, 10, 23, 15, 25, 7, 0, time.UTC), time.Second},
		{"10-23-01", "03:25PM", 2 * time.Hour, date(2001, 10, 23, 13, 25), time.Minute},
	}
	for _, tt := range tests {
		got, p, err := ParseMSTime(tt.date, tt.tod, Clock{Shift: tt.shift})
		if err != nil || !got.Equal(tt.want) || p != tt.precision {
			t.Errorf("ParseMSTime(%q, %q) = %v, %v, %v; want %v, %v", tt.date, tt.tod, got, p, err, tt.want, tt.precision)
		}
	}
	for _, bad := range [][2]string{
		{"13-01-01", "03:25PM"}, {"02-30-01", "03:25PM"}, {"10-23-01", "13:25PM"}, {"10-23-01", "00:25AM"},
		{"10-23-01", "03:60PM"}, {"1023-01", "03:25PM"}, {"10-23-001", "03:25PM"}, {"10-23-01", "0325PM"},
		{"10-23-01", "03:25:7"},
	} {
		if got, _, err := ParseMSTime(bad[0], bad[1], Clock{}); err == nil {
			t.Errorf("ParseMSTime(%q, %q) = %v, nil; want an error", bad[0], bad[1], got)
		}
	}
}
