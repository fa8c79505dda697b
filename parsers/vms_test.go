package parsers

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// The VMS lines below are written from the DIRECTORY/SIZE/DATE/OWNER/
// PROTECTION layout of the OpenVMS DCL manual, with invented names.

func TestVMSParse(t *testing.T) {
	local := func(y int, m time.Month, d, h, min, s, ns int) time.Time {
		return time.Date(y, m, d, h, min, s, ns, time.UTC)
	}
	checkEntries(t, VMS{}, fixedNow, []entryCase{
		{"NOTES.TXT;3            5/6        14-NOV-2026 09:41:07  [STAFF,MIRA]   (RWED,RWED,RE,R)",
			Entry{Name: "NOTES.TXT", Type: TypeFile, Size: 5 * 512, Mode: 0o754, ModTime: local(2026, 11, 14, 9, 41, 7, 0), Precision: time.Second, Owner: "MIRA", Group: "STAFF"}},
		{"TOOLS.DIR;1            1/3         2-JAN-2024 08:00     [SYSTEM]       (RWE,RWE,RE,RE)",
			Entry{Name: "TOOLS", Type: TypeDir, Size: 512, Mode: fs.ModeDir | 0o755, ModTime: local(2024, 1, 2, 8, 0, 0, 0), Precision: time.Minute, Owner: "SYSTEM"}},
		{"build.log;12  40  3-mar-2025 17:02:55.31",
			Entry{Name: "build.log", Type: TypeFile, Size: 40 * 512, ModTime: local(2025, 3, 3, 17, 2, 55, 310_000_000), Precision: 10 * time.Millisecond, Unknown: UnknownPerm}},
		{"OLD.DAT;1   7/8   30-JUN-1999   [ARCHIVE]   (RWED,RWED,,)",
			Entry{Name: "OLD.DAT", Type: TypeFile, Size: 7 * 512, Mode: 0o700, ModTime: local(1999, 6, 30, 0, 0, 0, 0), Precision: DayPrecision, Owner: "ARCHIVE"}},
		{"HUGE.BCK;1  ******  30-JUN-2026 12:00 OPERATOR (RWED,RWED,RE,)",
			Entry{Name: "HUGE.BCK", Type: TypeFile, ModTime: local(2026, 6, 30, 12, 0, 0, 0), Precision: time.Minute, Owner: "OPERATOR", Mode: 0o750, Unknown: UnknownSize}},
		{"A_RATHER_LONG_FILE_NAME.DAT;12\n                     220/222      03-OCT-2025 17:02:55  [STAFF,MIRA]   (RWED,RWED,,)",
			Entry{Name: "A_RATHER_LONG_FILE_NAME.DAT", Type: TypeFile, Size: 220 * 512, Mode: 0o700, ModTime: local(2025, 10, 3, 17, 2, 55, 0), Precision: time.Second, Owner: "MIRA", Group: "STAFF"}},
		{"WEB.DIR;1  4/9  1-DEC-2025 10:00:00  [WWW,APACHE$WWW  (RWE,RWE,RE,RE)",
			Entry{Name: "WEB", Type: TypeDir, Size: 4 * 512, Mode: fs.ModeDir | 0o755, ModTime: local(2025, 12, 1, 10, 0, 0, 0), Precision: time.Second, Owner: "APACHE$WWW", Group: "WWW"}},
	})
}

func TestVMSSkipsAndRejects(t *testing.T) {
	for _, line := range []string{
		"Directory DKA0:[PUB]",
		"Total of 3 files, 226/231 blocks.",
		"Grand total of 2 directories, 9 files, 300/320 blocks.",
		"",
	} {
		if _, err := (VMS{}).Parse(line, fixedNow); !errors.Is(err, ErrSkip) {
			t.Errorf("Parse(%q) error = %v, want ErrSkip", line, err)
		}
	}
	for _, line := range []string{
		"NOTES.TXT              5/6        14-NOV-2026 09:41:07",       // no version
		"NOTES.TXT; 3           5/6        14-NOV-2026 09:41:07",       // blank in the version
		"NOTES.TXT;3            x/6        14-NOV-2026 09:41:07",       // size
		"NOTES.TXT;3            5/6        NOV-14-2026 09:41:07",       // date order
		"NOTES.TXT;3            5/6        14-NOX-2026 09:41:07",       // month
		"NOTES.TXT;3            5/6        14-NOV-26 09:41:07",         // two-digit year
		"NOTES.TXT;3            5/6        14-NOV-2026 09:41:07 PM",    // 12-hour clock
		"NOTES.TXT;3            5/6        14-NOV-2026 25:41:07",       // hour
		"NOTES.TXT;3            5/6        14-NOV-2026 09:41 [ST-AFF]", // UIC
		"NOTES.TXT;3            5/6        14-NOV-2026 09:41 [S] (RWEDX,,,)",
		"NOTES.TXT;3            5/6        14-NOV-2026 09:41 [S] (RWED,RWED,RE)",
		"NOTES.TXT;3            5/6        14-NOV-2026 09:41 [S] (R,R,R,R) extra",
		"DIR/X.TXT;3            5/6        14-NOV-2026 09:41",
		"NOTES.TXT;3",
	} {
		var pe *ParseError
		if _, err := (VMS{}).Parse(line, fixedNow); !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a *ParseError", line, err)
		}
	}
}

func TestVMSListingJoinsLines(t *testing.T) {
	listing := "Directory DKA0:[PUB]\r\n\r\n" +
		"A_RATHER_LONG_FILE_NAME.DAT;12\r\n" +
		"                     220/222      03-OCT-2025 17:02:55  [STAFF,MIRA]   (RWED,RWED,,)\r\n" +
		"NOTES.TXT;3            5/6        14-NOV-2026 09:41:07  [STAFF,MIRA]   (RWED,RWED,RE,R)\r\n" +
		"ANOTHER_VERY_LONG_NAME_FOR_A_FILE.TXT;1\r\n" +
		"\r\n" +
		"                       1/3        14-NOV-2026 09:42:00  [STAFF,MIRA]   (RWED,RWED,RE,R)\r\n" +
		"\r\nTotal of 3 files, 226/231 blocks.\r\n"
	for _, p := range []Parser{VMS{}, NewAuto()} {
		entries, err := ParseListing([]byte(listing), p, fixedNow)
		if err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name)
		}
		if len(entries) != 3 || entries[0].Size != 220*512 || entries[2].Name != "ANOTHER_VERY_LONG_NAME_FOR_A_FILE.TXT" {
			t.Errorf("%T: entries %q", p, names)
		}
	}
}

func TestVMSIncomplete(t *testing.T) {
	for line, want := range map[string]bool{
		"LONG_NAME.TXT;1":      true,
		"  LONG_NAME.TXT;1  ":  true,
		"LONG_NAME.TXT;1 5/6":  false,
		"LONG_NAME.TXT":        false,
		"total 12":             false,
		"drwxr-xr-x 2 0 0 4 x": false,
	} {
		if got := (VMS{}).Incomplete(line); got != want {
			t.Errorf("Incomplete(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestVMSListingNamesOlderVersions(t *testing.T) {
	listing := "NOTES.TXT;3  5/6  14-NOV-2026 09:41:07\r\n" +
		"NOTES.TXT;2  4/6  13-NOV-2026 09:41:07\r\n" +
		"OTHER.TXT;1  1/3  13-NOV-2026 09:41:07\r\n" +
		"NOTES.TXT;1  4/6  12-NOV-2026 09:41:07\r\n"
	entries, err := ParseListing([]byte(listing), NewAuto(), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name)
	}
	if got, want := strings.Join(names, "|"), "NOTES.TXT|NOTES.TXT;2|OTHER.TXT|NOTES.TXT;1"; got != want {
		t.Errorf("names = %q, want %q", got, want)
	}
}

func TestVMSListingDoesNotJoinTwoNames(t *testing.T) {
	listing := "LOST_ITS_SECOND_LINE.TXT;1\r\n" +
		"A_RATHER_LONG_FILE_NAME.DAT;12\r\n" +
		"                     220/222      03-OCT-2025 17:02:55  [STAFF,MIRA]   (RWED,RWED,,)\r\n"
	entries, err := ParseListing([]byte(listing), VMS{}, fixedNow)
	var pe *ParseError
	if len(entries) != 1 || entries[0].Name != "A_RATHER_LONG_FILE_NAME.DAT" || !errors.As(err, &pe) || pe.Line != "LOST_ITS_SECOND_LINE.TXT;1" {
		t.Errorf("entries %+v, error %v; want the second entry and an error for the first", entries, err)
	}
}
