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
	case !e.Known(UnknownSize) && e.Size != 0:
		t.Errorf("Parse(%q): size %d said to be unknown", line, e.Size)
	case !e.Known(UnknownPerm) && e.Mode.Perm() != 0:
		t.Errorf("Parse(%q): permission bits %v said to be unknown", line, e.Mode.Perm())
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
	addSeeds(f, append(otherSeeds,
		"-rw-r--r--    1 1000     1000         4096 Nov 23 02:33 notes.txt",
		"11-24-26  09:05AM       <DIR>          Reports 2026")...)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, NewAuto(), line) })
}

// otherSeeds are one or two lines of each format beyond Unix, MS-DOS and
// MLSD, written from the parsers' doc comments.
var otherSeeds = []string{
	"NOTES.TXT;3            5/6        14-NOV-2026 09:41:07  [STAFF,MIRA]   (RWED,RWED,RE,R)",
	"A_RATHER_LONG_FILE_NAME.DAT;12\n       220/222      03-OCT-2025 17:02:55.31  [STAFF,MIRA]   (RWED,RWED,,)",
	"TOOLS.DIR;1  ****  2-JAN-2024  SYSTEM",
	"d [RWCEAFMS] admin                512 Nov 02 09:14 Projects",
	"     0           DIR   11-02-26   09:14  Projects",
	" 48213      A          10-30-2026 17:40  README.TXT",
	"QSYSOPR         81920 14/11/26 09:14:02 *FILE      INVOICES.FILE",
	"QSYSOPR                                 *MEM       INVOICES.FILE/NOV2026.MBR",
	"WRK001 3390   2026/11/20  1   12  FB      80 27920  PO  ACCT.REPORT.NOV",
	"WRK003 3390   2026/10/01  2+++++  VB   32756 32760  PS  ACCT.BIG.LOG",
	"Pseudo Directory                                        ACCT.ARCHIVE",
	"PAYROLL   01.04 2025/03/11 2026/11/20 14:55   120   100     9 MIRA",
	"PAYCALC   00A3F0   00001A          00 FO             RN RU            31    ANY",
	`PAYROLL       101             4096 20-Nov-26 14:55:02  200, 12  "NUNU"`,
	"-C--E-----FTP B MIRA01      20071       1180 Nov 20 14:55 PAYROLL",
	"+i8388621.29609,m1795521600,r,s4096,up644,\tnotes.txt",
}

func FuzzVMS(f *testing.F) {
	f.Add("Directory DKA0:[PUB]")
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, VMS{}, line) })
}

func FuzzOS2(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, OS2{}, line) })
}

func FuzzNetWare(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, NetWare{}, line) })
}

func FuzzOS400(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, OS400{}, line) })
}

func FuzzMVS(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, MVS{}, line) })
}

func FuzzMVSMember(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, MVSMember{}, line) })
}

func FuzzNonStop(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, NonStop{}, line) })
}

func FuzzEnterpriseUnix(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, EnterpriseUnix{}, line) })
}

func FuzzEPLF(f *testing.F) {
	addOtherSeeds(f)
	f.Fuzz(func(t *testing.T, line string) { checkContract(t, EPLF{}, line) })
}

// FuzzParseListing parses whole listings with Auto, joining VMS lines and
// resolving MLSD links: every entry must keep the package's promises.
func FuzzParseListing(f *testing.F) {
	f.Add(strings.Join(otherSeeds, "\r\n"))
	f.Add("LONG_NAME.TXT;1\r\n  1/2  1-JAN-2026 10:00\r\nX.;1\r\n")
	f.Add("type=OS.unix=symlink;unique=1; l\r\ntype=file;unique=1; /t\r\n")
	f.Fuzz(func(t *testing.T, listing string) {
		entries, _ := ParseListing([]byte(listing), NewAuto(), fixedNow)
		for _, e := range entries {
			if e.Name == "" || strings.ContainsAny(e.Name, "/\x00") || e.Size < 0 || !e.Known(UnknownSize) && e.Size != 0 {
				t.Errorf("entry %+v breaks the contract", e)
			}
		}
	})
}

func addOtherSeeds(f *testing.F) {
	for _, line := range otherSeeds {
		f.Add(line)
	}
}
