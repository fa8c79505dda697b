package parsers

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

// fixedNow is the clock for line tests: lines with a time of day and no
// year fall within the six months around it.
var fixedNow = Clock{Now: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}

type entryCase struct {
	line string
	want Entry // Raw is filled in by the test
}

func checkEntries(t *testing.T, p Parser, clock Clock, tests []entryCase) {
	t.Helper()
	for _, tt := range tests {
		got, err := p.Parse(tt.line, clock)
		want := tt.want
		want.Raw = tt.line
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.line, err)
			continue
		}
		if got != want {
			t.Errorf("Parse(%q)\n got  %+v\n want %+v", tt.line, got, want)
		}
	}
}

func TestUnixParse(t *testing.T) {
	recent := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, time.UTC) }
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	const minute, dayP = time.Minute, 24 * time.Hour
	checkEntries(t, Unix{}, fixedNow, []entryCase{
		// vsftpd style: numeric ids, fixed columns.
		{"-rw-r--r--    1 1000     1000         4096 Nov 23 02:33 notes.txt",
			Entry{Name: "notes.txt", Type: TypeFile, Size: 4096, Mode: 0o644, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "1000", Group: "1000", Links: 1}},
		{"drwxr-xr-x    2 0        0            4096 May 26  2005 old dir",
			Entry{Name: "old dir", Type: TypeDir, Size: 4096, Mode: fs.ModeDir | 0o755, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "0", Group: "0", Links: 2}},
		// Names with leading, inner and trailing blanks.
		{"-rw-r--r--    1 1000     1000            0 Nov 23 02:33  leading",
			Entry{Name: " leading", Type: TypeFile, Mode: 0o644, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "1000", Group: "1000", Links: 1}},
		{"-rw-r--r--    1 1000     1000            0 May 26  2005   two leading and trailing  ",
			Entry{Name: "  two leading and trailing  ", Type: TypeFile, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "1000", Group: "1000", Links: 1}},
		// " -> " in a name that is not a link stays in the name.
		{"-rw-r--r--    1 ftp      ftp            12 Nov 23 02:33 a -> b",
			Entry{Name: "a -> b", Type: TypeFile, Size: 12, Mode: 0o644, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "ftp", Group: "ftp", Links: 1}},
		// Links: targets with blanks; several arrows resolved by the size.
		{"lrwxrwxrwx    1 ftp      ftp            13 Nov 23 02:33 my link -> my target dir",
			Entry{Name: "my link", Type: TypeLink, Size: 13, Mode: fs.ModeSymlink | 0o777, ModTime: recent(11, 23, 2, 33), Precision: minute, LinkTarget: "my target dir", Owner: "ftp", Group: "ftp", Links: 1}},
		{"lrwxrwxrwx    1 ftp      ftp             3 Nov 23 02:33 a -> b -> c/d",
			Entry{Name: "a -> b", Type: TypeLink, Size: 3, Mode: fs.ModeSymlink | 0o777, ModTime: recent(11, 23, 2, 33), Precision: minute, LinkTarget: "c/d", Owner: "ftp", Group: "ftp", Links: 1}},
		{"lrwxrwxrwx    1 ftp      ftp             8 Nov 23 02:33 a -> b -> c/d",
			Entry{Name: "a", Type: TypeLink, Size: 8, Mode: fs.ModeSymlink | 0o777, ModTime: recent(11, 23, 2, 33), Precision: minute, LinkTarget: "b -> c/d", Owner: "ftp", Group: "ftp", Links: 1}},
		{"lrwxrwxrwx    1 ftp      ftp             9 Nov 23 02:33 abs -> /etc/motd",
			Entry{Name: "abs", Type: TypeLink, Size: 9, Mode: fs.ModeSymlink | 0o777, ModTime: recent(11, 23, 2, 33), Precision: minute, LinkTarget: "/etc/motd", Owner: "ftp", Group: "ftp", Links: 1}},
		// Missing group column; missing link count.
		{"-rw-r--r--   1 ftp          531 May 26  2005 nogroup",
			Entry{Name: "nogroup", Type: TypeFile, Size: 531, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "ftp", Links: 1}},
		{"-rw-r--r-- ftp ftp 531 May 26 2005 nolinks",
			Entry{Name: "nolinks", Type: TypeFile, Size: 531, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "ftp", Group: "ftp"}},
		// Owner and group with blanks: split at the widest gap.
		{"-rw-r--r--   1 Domain Users     staff       7 May 26  2005 x",
			Entry{Name: "x", Type: TypeFile, Size: 7, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "Domain Users", Group: "staff", Links: 1}},
		{"-rw-r--r--   1 1001      Domain Users       7 May 26  2005 x",
			Entry{Name: "x", Type: TypeFile, Size: 7, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "1001", Group: "Domain Users", Links: 1}},
		// Device files: "major, minor" or "major,minor" where the size is.
		{"crw-rw-rw-    1 0        0          1,   3 Nov 23 02:33 null",
			Entry{Name: "null", Type: TypeOther, Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "0", Group: "0", Links: 1}},
		{"brw-rw----    1 root     disk     8,0 May 26  2005 sda",
			Entry{Name: "sda", Type: TypeOther, Mode: fs.ModeDevice | 0o660, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "root", Group: "disk", Links: 1}},
		{"prw-r--r--    1 0        0               0 Nov 23 02:33 fifo",
			Entry{Name: "fifo", Type: TypeOther, Mode: fs.ModeNamedPipe | 0o644, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "0", Group: "0", Links: 1}},
		// ACL markers and special bits; a wide link count glued to the mode.
		{"drwxrwsr-x+   3 0        0            4096 Nov 23 02:33 shared",
			Entry{Name: "shared", Type: TypeDir, Size: 4096, Mode: fs.ModeDir | fs.ModeSetgid | 0o775, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "0", Group: "0", Links: 3}},
		{"drwxr-xr-x+1200 0        0            4096 Nov 23 02:33 wide",
			Entry{Name: "wide", Type: TypeDir, Size: 4096, Mode: fs.ModeDir | 0o755, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "0", Group: "0", Links: 1200}},
		{"-rwsr-xr-T    1 0        0               1 Nov 23 02:33 special",
			Entry{Name: "special", Type: TypeFile, Size: 1, Mode: fs.ModeSetuid | fs.ModeSticky | 0o754, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "0", Group: "0", Links: 1}},
		// Leading blanks before the mode; tabs between columns.
		{"  -rw-r--r--\t1\tu\tg\t5\tNov 23 02:33 tabbed",
			Entry{Name: "tabbed", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "u", Group: "g", Links: 1}},
		// ISO dates (ls --time-style=long-iso and full-iso).
		{"-rw-r--r--    1 u        g               5 2005-05-26 14:03 iso",
			Entry{Name: "iso", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: time.Date(2005, 5, 26, 14, 3, 0, 0, time.UTC), Precision: minute, Owner: "u", Group: "g", Links: 1}},
		{"-rw-r--r--    1 u        g               5 2005-05-26 14:03:09.250000000 +0200 full iso",
			Entry{Name: "full iso", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: time.Date(2005, 5, 26, 12, 3, 9, 250000000, time.UTC), Precision: time.Second, Owner: "u", Group: "g", Links: 1}},
		// Day before month (AIX), non-English months, CJK dates.
		{"-rw-r--r--    1 u        g               5 23 Nov 02:33 dayfirst",
			Entry{Name: "dayfirst", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: recent(11, 23, 2, 33), Precision: minute, Owner: "u", Group: "g", Links: 1}},
		{"-rw-r--r--    1 u        g               5 Okt  3  2004 german",
			Entry{Name: "german", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: day(2004, 10, 3), Precision: dayP, Owner: "u", Group: "g", Links: 1}},
		{"-rw-r--r-- 1 u g 5 11月 3日 2004年 日本語.txt",
			Entry{Name: "日本語.txt", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: day(2004, 11, 3), Precision: dayP, Owner: "u", Group: "g", Links: 1}},
		// Large sizes.
		{"-rw-r--r--    1 u        g      5368709120 May 26  2005 big",
			Entry{Name: "big", Type: TypeFile, Size: 5368709120, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "u", Group: "g", Links: 1}},
		// Mac OS "Peter" servers: no ids, fork sizes or "folder".
		{"-rw-r--r--       10          20       30 May 26  2005 forks",
			Entry{Name: "forks", Type: TypeFile, Size: 30, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP}},
		{"drwxr-xr-x               folder        0 May 26  2005 Folder",
			Entry{Name: "Folder", Type: TypeDir, Mode: fs.ModeDir | 0o755, ModTime: day(2005, 5, 26), Precision: dayP}},
		// A name that looks like a date and a size.
		{"-rw-r--r--    1 u        g               5 May 26  2005 10 May 26  2005 x",
			Entry{Name: "10 May 26  2005 x", Type: TypeFile, Size: 5, Mode: 0o644, ModTime: day(2005, 5, 26), Precision: dayP, Owner: "u", Group: "g", Links: 1}},
	})
}

func TestUnixShift(t *testing.T) {
	clock := fixedNow
	clock.Shift = -5 * time.Hour
	e, err := Unix{}.Parse("-rw-r--r--    1 u g 5 Nov 23 22:00 x", clock)
	want := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	if err != nil || !e.ModTime.Equal(want) {
		t.Errorf("ModTime with shift -5h = %v, %v; want %v", e.ModTime, err, want)
	}
}

func TestUnixSkips(t *testing.T) {
	for _, line := range []string{
		"total 0", "total 123456", "", "   ",
		"drwxr-xr-x    2 0        0            4096 Nov 23 02:33 .",
		"drwxr-xr-x    2 0        0            4096 Nov 23 02:33 ..",
	} {
		if e, err := (Unix{}).Parse(line, fixedNow); !errors.Is(err, ErrSkip) || e != (Entry{}) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrSkip", line, e, err)
		}
	}
}

func TestUnixRejects(t *testing.T) {
	for _, line := range []string{
		"total",
		"total abc",
		"drwxr-xr-x    2 0        0            4096 Nov 23 02:33",
		"drwxr-xr-x    2 0        0            4096 Nov 23 02:33 ",
		"drwxr-xr-x    2 0        0            4096 Nox 23 02:33 x",
		"drwxr-xr-x    2 0        0            4096 Nov 32 02:33 x",
		"drwxr-xr-x    2 0        0            4x96 Nov 23 02:33 x",
		"Drwxr-xr-x    2 0        0            4096 Nov 23 02:33 x" + "\x00",
		"qrwxr-xr-x    2 0        0            4096 Nov 23 02:33 x",
		"-rw-r--r--    2 0        0            4096 Nov 23 02:33 a/b",
		"-rw-r--r--    2 0        0            4096 Nov 23 02:33 nul\x00",
		"-rw-r--r--    2 0        0    99999999999999999999 Nov 23 02:33 huge",
		"-rw-r--r-- x",
		"crw-r--r--    1 0        0           1, Nov 23 02:33 dev",
		"10-23-01  03:25PM       <DIR>          dos",
		"type=file;size=1; mlsd",
	} {
		_, err := Unix{}.Parse(line, fixedNow)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != line || pe.Parser != "unix" {
			t.Errorf("Parse(%q) error = %v; want a *ParseError for the line", line, err)
		}
	}
}

func TestUnixSizeBeyondInt64(t *testing.T) {
	// 2^64-1 is an unsigned -1: the line parses, the size is unknown.
	line := "-rw-r--r--   1 mira  staff  18446744073709551615 Mar  3  2019 sparse.img"
	e, err := (Unix{}).Parse(line, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "sparse.img" || e.Size != 0 || e.Known(UnknownSize) {
		t.Errorf("Parse(%q) = %+v; want sparse.img with an unknown size", line, e)
	}
	line = "-rw-r--r--   1 mira  staff  18446744073709551616 Mar  3  2019 too.big"
	if _, err := (Unix{}).Parse(line, fixedNow); err == nil {
		t.Errorf("Parse(%q): no error for a size beyond 2^64-1", line)
	}
}
