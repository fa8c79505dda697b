package parsers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkContract fails the test unless p's answer for line keeps the
// package's promise: an entry with a sane name, ErrSkip, or a *ParseError
// that quotes the line.
func checkContract(t *testing.T, p Parser, line string) {
	e, err := p.Parse(line, fixedNow)
	if err != nil {
		if errors.Is(err, ErrSkip) {
			if e != (Entry{}) {
				t.Errorf("Parse(%q) = %+v with ErrSkip; want an empty entry", line, e)
			}
			return
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != line {
			t.Errorf("Parse(%q) error = %#v; want a *ParseError quoting the line", line, err)
		}
		return
	}
	switch {
	case e.Name == "":
		t.Errorf("Parse(%q): empty name", line)
	case strings.ContainsAny(e.Name, "/\x00"):
		t.Errorf("Parse(%q): name %q has a slash or NUL", line, e.Name)
	case e.Size < 0:
		t.Errorf("Parse(%q): negative size %d", line, e.Size)
	case typeOf(e.Mode) != e.Type:
		t.Errorf("Parse(%q): type %v disagrees with mode %v", line, e.Type, e.Mode)
	case e.Raw != line:
		t.Errorf("Parse(%q): Raw = %q", line, e.Raw)
	}
}

// addSeeds seeds a fuzz target with every line of the golden listings and
// a few hand-written lines.
func addSeeds(f *testing.F, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "listings", "*.txt"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(strings.TrimSuffix(line, "\r"))
		}
	}
	for _, line := range extra {
		f.Add(line)
	}
}

func FuzzUnix(f *testing.F) {
	addSeeds(f,
		"-rw-r--r--    1 1000     1000         4096 Nov 23 02:33 notes.txt",
		"lrwxrwxrwx    1 ftp      ftp             3 Nov 23 02:33 a -> b -> c/d",
		"crw-rw-rw-    1 0        0          1,   3 Nov 23 02:33 null",
		"-rw-r--r--    1 u        g               5 2005-05-26 14:03:09.250000000 +0200 full iso",
		"-rw-r--r-- 1 u g 5 11月 3日 2004年 日本語.txt",
		"drwxr-xr-x+1200 0        0            4096 Nov 23 02:33 wide",
		"total 12")
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, Unix{}, line) })
}

func FuzzMSDOS(f *testing.F) {
	addSeeds(f,
		"11-24-26  09:05AM       <DIR>          Reports 2026",
		"11-24-2026  21:05             1,234,567 big file.bin",
		"11-24-26  09:05PM       <JUNCTION>     Link [C:\\target dir]",
		"2026-11-24  21:05:07    12 x")
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, MSDOS{}, line) })
}

func FuzzMLSD(f *testing.F) {
	addSeeds(f,
		"type=file;size=4096;modify=20261123023304.5;UNIX.mode=0644;UNIX.owner=1000;UNIX.group=100; notes.txt",
		"type=OS.unix=slink:/etc/motd;modify=20261123023304; motd",
		"type=cdir; /",
		" no facts")
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, MLSD{}, line) })
}

func FuzzAuto(f *testing.F) {
	addSeeds(f,
		"-rw-r--r--    1 1000     1000         4096 Nov 23 02:33 notes.txt",
		"11-24-26  09:05AM       <DIR>          Reports 2026")
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, NewAuto(), line) })
}
