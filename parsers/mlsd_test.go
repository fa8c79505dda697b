package parsers

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

func TestMLSDParse(t *testing.T) {
	stamp := time.Date(2026, 11, 23, 2, 33, 4, 0, time.UTC)
	// MLSD times are UTC: the clock's shift must not change them.
	clock := Clock{Now: fixedNow.Now, Shift: 3 * time.Hour}
	checkEntries(t, MLSD{}, clock, []entryCase{
		{"type=file;size=4096;modify=20261123023304;UNIX.mode=0644;UNIX.owner=1000;UNIX.group=100; notes.txt",
			Entry{Name: "notes.txt", Type: TypeFile, Size: 4096, Mode: 0o644, ModTime: stamp, Precision: time.Second, Owner: "1000", Group: "100"}},
		{"Type=dir;Modify=20261123023304;Perm=flcdmpe;Unix.Mode=2775; a dir",
			Entry{Name: "a dir", Type: TypeDir, Mode: fs.ModeDir | fs.ModeSetgid | 0o775, ModTime: stamp, Precision: time.Second, Unknown: UnknownSize}},
		{"modify=20261123023304.123;type=file;size=0; frac",
			Entry{Name: "frac", Type: TypeFile, ModTime: stamp.Add(123 * time.Millisecond), Precision: time.Millisecond, Unknown: UnknownPerm}},
		{"type=OS.unix=slink:/etc/motd;modify=20261123023304; motd",
			Entry{Name: "motd", Type: TypeLink, Mode: fs.ModeSymlink, LinkTarget: "/etc/motd", ModTime: stamp, Precision: time.Second, Unknown: UnknownSize | UnknownPerm}},
		{"type=OS.unix=symlink;size=7; nolink",
			Entry{Name: "nolink", Type: TypeLink, Size: 7, Mode: fs.ModeSymlink, Unknown: UnknownPerm}},
		{"type=OS.unix=chr-1/3; null",
			Entry{Name: "null", Type: TypeOther, Mode: fs.ModeIrregular, Unknown: UnknownSize | UnknownPerm}},
		{"type=file;UNIX.owner=0;UNIX.ownername=root;UNIX.group=0;UNIX.groupname=wheel; named",
			Entry{Name: "named", Type: TypeFile, Owner: "0", Group: "0", Unknown: UnknownSize | UnknownPerm}},
		{"type=file;UNIX.ownername=root;UNIX.groupname=wheel; names only",
			Entry{Name: "names only", Type: TypeFile, Owner: "root", Group: "wheel", Unknown: UnknownSize | UnknownPerm}},
		{"modify=20261123023304;perm=radfwMT;size=6;type=file;unix.gid=8;unix.mode=0o640;unix.uid=7; python oct",
			Entry{Name: "python oct", Type: TypeFile, Size: 6, Mode: 0o640, ModTime: stamp, Precision: time.Second, Owner: "7", Group: "8"}},
		{"type=file;UNIX.uid=7;UNIX.gid=8; ids",
			Entry{Name: "ids", Type: TypeFile, Owner: "7", Group: "8", Unknown: UnknownSize | UnknownPerm}},
		{"type=file;size=1;  leading blank",
			Entry{Name: " leading blank", Type: TypeFile, Size: 1, Unknown: UnknownPerm}},
		{"type=file;size=1; semi;colon=and equals ",
			Entry{Name: "semi;colon=and equals ", Type: TypeFile, Size: 1, Unknown: UnknownPerm}},
		{"UNIX.mode=0644;type=file; mode before type",
			Entry{Name: "mode before type", Type: TypeFile, Mode: 0o644, Unknown: UnknownSize}},
		{"type=dir;sizd=4096; sizd",
			Entry{Name: "sizd", Type: TypeDir, Size: 4096, Mode: fs.ModeDir, Unknown: UnknownPerm}},
		{"size=;type=file; empty value",
			Entry{Name: "empty value", Type: TypeFile, Unknown: UnknownSize | UnknownPerm}},
		{"size=5; no type",
			Entry{Name: "no type", Type: TypeFile, Size: 5, Unknown: UnknownPerm}},
		{" no facts",
			Entry{Name: "no facts", Type: TypeFile, Unknown: UnknownSize | UnknownPerm}},
		{"type=file; 日本語 ✓",
			Entry{Name: "日本語 ✓", Type: TypeFile, Unknown: UnknownSize | UnknownPerm}},
	})
}

func TestMLSDSkipsAndRejects(t *testing.T) {
	for _, line := range []string{
		"type=cdir;modify=20261123023304; /home/ftp",
		"type=pdir;modify=20261123023304; ..",
		"Type=CDir; .",
		"type=dir; .",
		"type=file;unique=8a; /srv/elsewhere/target",
	} {
		if _, err := (MLSD{}).Parse(line, fixedNow); !errors.Is(err, ErrSkip) {
			t.Errorf("Parse(%q) error = %v, want ErrSkip", line, err)
		}
	}
	for _, line := range []string{
		"type=file;size=1;",
		"type=file;size=1; ",
		"type=file missing-semicolon",
		"type=file;size=-1; neg",
		"type=file;size=x; bad",
		"type=file;modify=2026112302330; short",
		"type=file;modify=20261323023304; month",
		"type=file;modify=20261123023304.; dot",
		"type=file;UNIX.mode=0999; mode",
		"type=file;noequals; x",
		"=x;type=file; x",
		"type=file; a/b",
		"-rw-r--r--    1 u g 5 Nov 23 02:33 unix",
	} {
		_, err := (MLSD{}).Parse(line, fixedNow)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Parser != "mlsd" {
			t.Errorf("Parse(%q) error = %v; want a *ParseError", line, err)
		}
	}
}
