package parsers

import (
	"strings"
	"testing"
)

// TestAutoDetectsEveryFormat feeds NewAuto a short listing of each format,
// headers included, and checks the parser it settles on and the entries.
func TestAutoDetectsEveryFormat(t *testing.T) {
	tests := []struct {
		want    Parser
		listing []string
		names   string
	}{
		{Unix{}, []string{"total 8", "-rw-r--r--    1 mira staff 12 Nov 23 02:33 a.txt", "drwxr-xr-x    2 mira staff 4096 Nov 23 02:33 b"}, "a.txt|b"},
		{MSDOS{}, []string{"11-24-26  09:05AM       <DIR>          Reports", "11-24-26  09:05PM                 1234 data.csv"}, "Reports|data.csv"},
		{VMS{}, []string{"Directory DKA0:[PUB]", "", "NOTES.TXT;3  5/6  14-NOV-2026 09:41:07  [STAFF,MIRA]  (RWED,RWED,RE,R)", "A_LONG_NAME.DAT;2", "   1/3  14-NOV-2026 09:41:07  [STAFF,MIRA]  (RWED,RWED,RE,R)", "", "Total of 2 files, 6/9 blocks."}, "NOTES.TXT|A_LONG_NAME.DAT"},
		{NetWare{}, []string{"d [RWCEAFMS] admin                512 Nov 02 09:14 Projects", "- [R----F--] jdoe               48213 Oct 30  2025 budget.xls"}, "Projects|budget.xls"},
		{OS2{}, []string{"     0           DIR   11-02-26   09:14  Projects", " 48213      A          10-30-26   17:40  README.TXT"}, "Projects|README.TXT"},
		{OS400{}, []string{"QSYSOPR         81920 14/11/26 09:14:02 *FILE      INVOICES.FILE", "QSYSOPR                                 *MEM       INVOICES.FILE/NOV2026.MBR", "MIRA             4096 02/11/26 17:40:55 *DIR       exports/"}, "INVOICES.FILE|exports"},
		{MVS{}, []string{"Volume Unit   Referred  Ext Used Recfm Lrecl BlkSz Dsorg Dsname", "WRK001 3390   2026/11/20  1   12  FB      80 27920  PS  ACCT.REPORT.NOV", "Pseudo Directory                                        ACCT.ARCHIVE"}, "ACCT.REPORT.NOV|ACCT.ARCHIVE"},
		{MVSMember{}, []string{" Name     VV.MM   Created       Changed      Size  Init   Mod   Id", "PAYROLL   01.04 2025/03/11 2026/11/20 14:55   120   100     9 MIRA", "NOTES"}, "PAYROLL|NOTES"},
		{NonStop{}, []string{"File        Code           EOF   Last Modification   Owner   RWEP", `PAYROLL       101             4096 20-Nov-26 14:55:02  200,12  "NUNU"`}, "PAYROLL"},
		{EnterpriseUnix{}, []string{"-C--E-----FTP B MIRA01      20071       1180 Nov 20 14:55 PAYROLL"}, "PAYROLL"},
		{EPLF{}, []string{"+i8388621.29609,m1795521600,r,s4096,\tnotes.txt", "+i8388621.44468,m1795435200,/,\tincoming"}, "notes.txt|incoming"},
		{MLSD{}, []string{"type=file;size=12;modify=20261123023304; a.txt", "type=dir;modify=20261123023304; b"}, "a.txt|b"},
	}
	for _, tt := range tests {
		a := NewAuto()
		entries, err := ParseListing([]byte(strings.Join(tt.listing, "\r\n")+"\r\n"), a, fixedNow)
		if err != nil {
			t.Errorf("%T: %v", tt.want, err)
		}
		if a.Detected() != tt.want {
			t.Errorf("%T listing: detected %T", tt.want, a.Detected())
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name)
		}
		if got := strings.Join(names, "|"); got != tt.names {
			t.Errorf("%T listing: names %q, want %q", tt.want, got, tt.names)
		}
	}
}

// TestAutoKeepsUnixLinesUnix checks that no other format takes Unix lines,
// including odd ones the Unix parser rejects: Auto must report them, not
// settle on another format.
func TestAutoKeepsUnixLinesUnix(t *testing.T) {
	for _, line := range []string{
		"-rw-r--r--   1 mira  staff  12 Nov 23 02:33 a.txt",
		"drwxr-xr-x+1200 0        0            4096 Nov 23 02:33 wide",
		"-rw-r--r--   1 mira  staff  12 Nov 23 02:33 NAME.TXT;1",
		"lrwxrwxrwx   1 mira  staff  3 Nov 23 02:33 x -> y",
	} {
		a := NewAuto()
		if _, err := a.Parse(line, fixedNow); err != nil || a.Detected() != (Unix{}) {
			t.Errorf("Parse(%q): %v, detected %T; want Unix", line, err, a.Detected())
		}
	}
	for _, line := range []string{
		"-rw-r--r--   1 mira  staff  12 Nov 33 02:33 bad day",
		"-rw-r--r--   1 mira  staff  twelve Nov 23 02:33 bad size",
		"drwxr-xr-x   2 mira  staff  512 2026-13-01 10:00 bad month",
	} {
		a := NewAuto()
		if e, err := a.Parse(line, fixedNow); err == nil {
			t.Errorf("Parse(%q) = %+v by %T; want an error", line, e, a.Detected())
		}
	}
}

func TestNewAutoForSystem(t *testing.T) {
	for syst, want := range map[string]Parser{
		"215 VMS system type.":                           VMS{},
		"215 MVS is the operating system of this server": MVS{},
		"215 OS/400 is the remote operating system.":     OS400{},
		"215 UNIX Type: L8":                              Unix{},
		"":                                               Unix{},
	} {
		a := NewAutoForSystem(syst)
		if a.candidates[0] != want {
			t.Errorf("NewAutoForSystem(%q) tries %T first, want %T", syst, a.candidates[0], want)
		}
		if len(a.candidates) != len(DefaultCandidates()) {
			t.Errorf("NewAutoForSystem(%q): %d candidates, want %d", syst, len(a.candidates), len(DefaultCandidates()))
		}
	}
}
