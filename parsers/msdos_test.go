package parsers

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

func TestMSDOSParse(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	checkEntries(t, MSDOS{}, fixedNow, []entryCase{
		{"11-24-26  09:05AM       <DIR>          Reports 2026",
			Entry{Name: "Reports 2026", Type: TypeDir, Mode: fs.ModeDir, ModTime: at(2026, 11, 24, 9, 5), Precision: time.Minute, Unknown: UnknownSize | UnknownPerm}},
		{"11-24-26  09:05PM                 1234 data.csv",
			Entry{Name: "data.csv", Type: TypeFile, Size: 1234, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownPerm}},
		{"11-24-2026  21:05             1,234,567 big file.bin",
			Entry{Name: "big file.bin", Type: TypeFile, Size: 1234567, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownPerm}},
		{"11-24-2026  21:05             1.234 dotted.bin",
			Entry{Name: "dotted.bin", Type: TypeFile, Size: 1234, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownPerm}},
		{"2026-11-24  21:05    <DIR>  iso dir",
			Entry{Name: "iso dir", Type: TypeDir, Mode: fs.ModeDir, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownSize | UnknownPerm}},
		{"11-24-26  09:05 PM    12 spaced ampm",
			Entry{Name: "spaced ampm", Type: TypeFile, Size: 12, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownPerm}},
		{"11-24-26  09:05PM       <JUNCTION>     Link [C:\\target dir]",
			Entry{Name: "Link", Type: TypeLink, Mode: fs.ModeSymlink, LinkTarget: "C:\\target dir", ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownSize | UnknownPerm}},
		{"11-24-26  09:05PM                    0 trailing  ",
			Entry{Name: "trailing  ", Type: TypeFile, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownPerm}},
		{"11-24-26  09:05PM                    0 日本語",
			Entry{Name: "日本語", Type: TypeFile, ModTime: at(2026, 11, 24, 21, 5), Precision: time.Minute, Unknown: UnknownPerm}},
	})
}

func TestMSDOSRejectsAndSkips(t *testing.T) {
	for _, line := range []string{
		"11-24-26  09:05PM       <DIR>          .",
		"11-24-26  09:05PM       <DIR>          ..",
		"",
	} {
		if _, err := (MSDOS{}).Parse(line, fixedNow); !errors.Is(err, ErrSkip) {
			t.Errorf("Parse(%q) error = %v, want ErrSkip", line, err)
		}
	}
	for _, line := range []string{
		"11-24-26  09:05PM",
		"11-24-26  09:05PM  12",
		"11-24-26  09:05PM  12  ",
		"13-24-26  09:05PM  12 x",
		"11-24-26  19:05PM  12 x",
		"11-24-26  09:05PM  1,23 x",
		"11-24-26  09:05PM  12a x",
		"11-24-26  09:05PM  <DIR> a/b",
		"-rw-r--r--    1 u g 5 Nov 23 02:33 unix",
	} {
		_, err := (MSDOS{}).Parse(line, fixedNow)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Parser != "msdos" {
			t.Errorf("Parse(%q) error = %v; want a *ParseError", line, err)
		}
	}
}
