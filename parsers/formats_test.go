package parsers

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

// The lines below are written from each format's layout as its parser's
// doc comment describes it (server manuals and the peers' descriptions),
// with invented names, sizes and dates.

func at(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

func TestOS2Parse(t *testing.T) {
	checkEntries(t, OS2{}, fixedNow, []entryCase{
		{"     0           DIR   11-02-26   09:14  Projects",
			Entry{Name: "Projects", Type: TypeDir, Mode: fs.ModeDir, ModTime: at(2026, 11, 2, 9, 14, 0), Precision: time.Minute, Unknown: UnknownPerm}},
		{" 48213      A          10-30-26   17:40  READ ME.TXT",
			Entry{Name: "READ ME.TXT", Type: TypeFile, Size: 48213, ModTime: at(2026, 10, 30, 17, 40, 0), Precision: time.Minute, Unknown: UnknownPerm}},
		{"  1024    RHS          01-15-1999 08:00  OS2BOOT",
			Entry{Name: "OS2BOOT", Type: TypeFile, Size: 1024, ModTime: at(1999, 1, 15, 8, 0, 0), Precision: time.Minute, Unknown: UnknownPerm}},
	})
	rejectAll(t, OS2{}, "                 DIR   11-02-26   09:14  nosize",
		"     0    ars    DIR   11-02-26   09:14  lower",
		"     0           dir   11-02-26   09:14  lower",
		"     0           DIR   13-02-26   09:14  month",
		"     0           DIR   11-02-26   24:14  hour",
		"     0           DIR   2026-11-02 09:14  iso")
}

func TestNetWareParse(t *testing.T) {
	checkEntries(t, NetWare{}, fixedNow, []entryCase{
		{"d [RWCEAFMS] admin                512 Nov 02 09:14 Projects",
			Entry{Name: "Projects", Type: TypeDir, Size: 512, Mode: fs.ModeDir, ModTime: at(2026, 11, 2, 9, 14, 0), Precision: time.Minute, Owner: "admin", Unknown: UnknownPerm}},
		{"- [R----F--] jdoe               48213 Oct 30  2025 budget 2026.xls",
			Entry{Name: "budget 2026.xls", Type: TypeFile, Size: 48213, ModTime: at(2025, 10, 30, 0, 0, 0), Precision: DayPrecision, Owner: "jdoe", Unknown: UnknownPerm}},
	})
	rejectAll(t, NetWare{}, "x [RWCEAFMS] admin 512 Nov 02 09:14 type",
		"d [RWXEAFMS] admin 512 Nov 02 09:14 rights",
		"d [RWCEAFMS] admin 512 11-02-2026 date",
		"d [RWCEAFMS] admin big Nov 02 09:14 size")
}

func TestOS400Parse(t *testing.T) {
	checkEntries(t, OS400{}, fixedNow, []entryCase{
		{"QSYSOPR         81920 14/11/26 09:14:02 *FILE      INVOICES.FILE",
			Entry{Name: "INVOICES.FILE", Type: TypeFile, Size: 81920, ModTime: at(2026, 11, 14, 9, 14, 2), Precision: time.Second, Owner: "QSYSOPR", Unknown: UnknownPerm}},
		{"MIRA             4096 02/11/26 17:40:55 *DIR       exports/",
			Entry{Name: "exports", Type: TypeDir, Size: 4096, Mode: fs.ModeDir, ModTime: at(2026, 11, 2, 17, 40, 55), Precision: time.Second, Owner: "MIRA", Unknown: UnknownPerm}},
		{"MIRA            12345 30/10/26 08:00:00 *STMF      report 2026.csv",
			Entry{Name: "report 2026.csv", Type: TypeFile, Size: 12345, ModTime: at(2026, 10, 30, 8, 0, 0), Precision: time.Second, Owner: "MIRA", Unknown: UnknownPerm}},
		{"QSYSOPR                                 *MEM       NOV2026.MBR",
			Entry{Name: "NOV2026.MBR", Type: TypeFile, Owner: "QSYSOPR", Unknown: UnknownPerm | UnknownSize}},
	})
	if _, err := (OS400{}).Parse("QSYSOPR    *MEM  INVOICES.FILE/NOV2026.MBR", fixedNow); !errors.Is(err, ErrSkip) {
		t.Errorf("member of another object: error = %v, want ErrSkip", err)
	}
	rejectAll(t, OS400{}, "MIRA 4096 02/11/26 17:40:55 DIR exports",
		"MIRA 4096 32/13/26 17:40:55 *DIR exports",
		"MIRA 4096 02/11/26 17:40 *DIR exports",
		"MIRA big 02/11/26 17:40:55 *DIR exports")
}

func TestMVSParse(t *testing.T) {
	checkEntries(t, MVS{}, fixedNow, []entryCase{
		{"WRK001 3390   2026/11/20  1   12  FB      80 27920  PS  ACCT.REPORT.NOV",
			Entry{Name: "ACCT.REPORT.NOV", Type: TypeFile, Size: 12 * 56664, ModTime: at(2026, 11, 20, 0, 0, 0), Precision: DayPrecision, Unknown: UnknownPerm}},
		{"WRK002 3380   2026/11/02  3  150  FB      80 27920  PO  ACCT.SOURCE.COBOL",
			Entry{Name: "ACCT.SOURCE.COBOL", Type: TypeDir, Mode: fs.ModeDir, Size: 150 * 47476, ModTime: at(2026, 11, 2, 0, 0, 0), Precision: DayPrecision, Unknown: UnknownPerm}},
		{"WRK003 3390   2026/10/01  2+++++  VB   32756 32760  PS  ACCT.BIG.LOG",
			Entry{Name: "ACCT.BIG.LOG", Type: TypeFile, ModTime: at(2026, 10, 1, 0, 0, 0), Precision: DayPrecision, Unknown: UnknownPerm | UnknownSize}},
		{"WRK004 9345   2026/10/01  1    4  FB      80  3120  PS  ACCT.OTHER.UNIT",
			Entry{Name: "ACCT.OTHER.UNIT", Type: TypeFile, ModTime: at(2026, 10, 1, 0, 0, 0), Precision: DayPrecision, Unknown: UnknownPerm | UnknownSize}},
		{"Migrated                                                ACCT.OLD.DATA",
			Entry{Name: "ACCT.OLD.DATA", Type: TypeFile, Unknown: UnknownPerm | UnknownSize}},
		{"Pseudo Directory                                        ACCT.ARCHIVE",
			Entry{Name: "ACCT.ARCHIVE", Type: TypeDir, Mode: fs.ModeDir, Unknown: UnknownPerm | UnknownSize}},
	})
	if _, err := (MVS{}).Parse("Volume Unit   Referred  Ext Used Recfm Lrecl BlkSz Dsorg Dsname", fixedNow); !errors.Is(err, ErrSkip) {
		t.Errorf("header: error = %v, want ErrSkip", err)
	}
	rejectAll(t, MVS{}, "WRK001 3390   20/11/2026  1   12  FB      80 27920  PS  ACCT.DATE",
		"WRK001 3390   2026/11/20  1   12  FB      80 27920  XX  ACCT.DSORG",
		"WRK001 3390   2026/11/20  1   1x  FB      80 27920  PS  ACCT.USED")
}

func TestMVSMemberParse(t *testing.T) {
	checkEntries(t, MVSMember{}, fixedNow, []entryCase{
		{"PAYROLL   01.04 2025/03/11 2026/11/20 14:55   120   100     9 MIRA",
			Entry{Name: "PAYROLL", Type: TypeFile, ModTime: at(2026, 11, 20, 14, 55, 0), Precision: time.Minute, Owner: "MIRA", Unknown: UnknownPerm | UnknownSize}},
		{"PAYCALC   00A3F0   00001A          00 FO             RN RU            31    ANY",
			Entry{Name: "PAYCALC", Type: TypeFile, Size: 0xA3F0, Unknown: UnknownPerm}},
		{"NOTES",
			Entry{Name: "NOTES", Type: TypeFile, Unknown: UnknownPerm | UnknownSize}},
	})
	for _, header := range []string{
		" Name     VV.MM   Created       Changed      Size  Init   Mod   Id",
		" Name     Size    TTR    Alias-of AC ------- Attributes ------- Amode Rmode",
	} {
		if _, err := (MVSMember{}).Parse(header, fixedNow); !errors.Is(err, ErrSkip) {
			t.Errorf("header %q: error = %v, want ErrSkip", header, err)
		}
	}
	rejectAll(t, MVSMember{}, "notes", "TOOLONGNAME", "1ABC", "PAYCALC 00A3G0 00001A 00 FO",
		"PAYROLL 01.04 2025/03/11 2026/13/20 14:55 120 100 9 MIRA")
}

func TestNonStopParse(t *testing.T) {
	checkEntries(t, NonStop{}, fixedNow, []entryCase{
		{`PAYROLL       101             4096 20-Nov-26 14:55:02  200,12  "NUNU"`,
			Entry{Name: "PAYROLL", Type: TypeFile, Size: 4096, ModTime: at(2026, 11, 20, 14, 55, 2), Precision: time.Second, Owner: "200,12", Unknown: UnknownPerm}},
		{`LOGFILE       180O          123904  2-Oct-99 08:00:45  255, 255 "OOOO"`,
			Entry{Name: "LOGFILE", Type: TypeFile, Size: 123904, ModTime: at(1999, 10, 2, 8, 0, 45), Precision: time.Second, Owner: "255,255", Unknown: UnknownPerm}},
	})
	if _, err := (NonStop{}).Parse("File        Code           EOF   Last Modification   Owner   RWEP", fixedNow); !errors.Is(err, ErrSkip) {
		t.Errorf("header: error = %v, want ErrSkip", err)
	}
	rejectAll(t, NonStop{}, `PAYROLL 101 4096 20-Nov-2026 14:55:02 200,12 "NUNU"`,
		`PAYROLL 101 4096 20-Nov-26 14:55 200,12 "NUNU"`,
		`PAYROLL 101 4096 20-Nov-26 14:55:02 mira "NUNU"`)
}

func TestEnterpriseUnixParse(t *testing.T) {
	checkEntries(t, EnterpriseUnix{}, fixedNow, []entryCase{
		{"-C--E-----FTP B MIRA01      20071       1180 Nov 20 14:55 PAYROLL",
			Entry{Name: "PAYROLL", Type: TypeFile, Size: 1180, ModTime: at(2026, 11, 20, 14, 55, 0), Precision: time.Minute, Owner: "MIRA01", Group: "20071", Unknown: UnknownPerm}},
		{"-C--E-----FTP A MIRA01      20071      24000 Mar  3  2025 NOTES",
			Entry{Name: "NOTES", Type: TypeFile, Size: 24000, ModTime: at(2025, 3, 3, 0, 0, 0), Precision: DayPrecision, Owner: "MIRA01", Group: "20071", Unknown: UnknownPerm}},
	})
	rejectAll(t, EnterpriseUnix{}, "-C--E-----XYZ B MIRA01 20071 1180 Nov 20 14:55 X",
		"-c--e-----FTP B MIRA01 20071 1180 Nov 20 14:55 X",
		"-C--E-----FTP C MIRA01 20071 1180 Nov 20 14:55 X")
}

func TestEPLFParse(t *testing.T) {
	checkEntries(t, EPLF{}, fixedNow, []entryCase{
		{"+i8388621.29609,m1795521600,r,s4096,\tnotes.txt",
			Entry{Name: "notes.txt", Type: TypeFile, Size: 4096, ModTime: at(2026, 11, 24, 12, 0, 0), Precision: time.Second, Unknown: UnknownPerm}},
		{"+i8388621.44468,m1795435200,/,up755,\tincoming",
			Entry{Name: "incoming", Type: TypeDir, Mode: fs.ModeDir | 0o755, ModTime: at(2026, 11, 23, 12, 0, 0), Precision: time.Second, Unknown: UnknownSize}},
		{"+m1795435200,\tsocket",
			Entry{Name: "socket", Type: TypeOther, Mode: fs.ModeIrregular, ModTime: at(2026, 11, 23, 12, 0, 0), Precision: time.Second, Unknown: UnknownSize | UnknownPerm}},
	})
	rejectAll(t, EPLF{}, "+r,s12 notes.txt", "r,s12,\tnotes.txt", "+r,sx,\tnotes.txt", "+r,up9,\tnotes.txt", "+r,\ta/b")
}

// rejectAll fails unless p rejects every line with a *ParseError.
func rejectAll(t *testing.T, p Parser, lines ...string) {
	t.Helper()
	for _, line := range lines {
		var pe *ParseError
		if e, err := p.Parse(line, fixedNow); !errors.As(err, &pe) {
			t.Errorf("%T.Parse(%q) = %+v, %v; want a *ParseError", p, line, e, err)
		}
	}
}
