package parsers

import (
	"io/fs"
	"testing"
)

func TestParseUnixMode(t *testing.T) {
	tests := []struct {
		in   string
		want fs.FileMode
	}{
		{"-rw-r--r--", 0o644},
		{"drwxr-xr-x", fs.ModeDir | 0o755},
		{"lrwxrwxrwx", fs.ModeSymlink | 0o777},
		{"----------", 0},
		{"frw-r--r--", 0o644},
		{"crw-rw-rw-", fs.ModeDevice | fs.ModeCharDevice | 0o666},
		{"brw-rw----", fs.ModeDevice | 0o660},
		{"prw-------", fs.ModeNamedPipe | 0o600},
		{"srwxrwxrwx", fs.ModeSocket | 0o777},
		{"Dr--r--r--", fs.ModeIrregular | 0o444},
		{"-rwsr-xr-x", fs.ModeSetuid | 0o755},
		{"-rwSr--r--", fs.ModeSetuid | 0o644},
		{"drwxr-sr-x", fs.ModeDir | fs.ModeSetgid | 0o755},
		{"-rw-r-Sr--", fs.ModeSetgid | 0o644},
		{"drwxrwxrwt", fs.ModeDir | fs.ModeSticky | 0o777},
		{"-rw-rw-rwT", fs.ModeSticky | 0o666},
		{"d--S--S--t", fs.ModeDir | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky | 0o001},
		{"drwxrwx---+", fs.ModeDir | 0o770},
		{"-rw-r--r--@", 0o644},
		{"-rw-r--r--.", 0o644},
		// Eight permission characters: the other-execute one is missing.
		{"drw-r--rw", fs.ModeDir | 0o646},
		{"-rwxr-x--", 0o750},
		// fs.FileMode.String, as Go servers print it.
		{"Lrwxrwxrwx", fs.ModeSymlink | 0o777},
		{"dtrwxrwxrwx", fs.ModeDir | fs.ModeSticky | 0o777},
		{"urwxr-xr-x", fs.ModeSetuid | 0o755},
		{"ugrwxr-xr-x", fs.ModeSetuid | fs.ModeSetgid | 0o755},
		{"Dcrw-rw-rw-", fs.ModeDevice | fs.ModeCharDevice | 0o666},
		{"Srwxrwxrwx", fs.ModeSocket | 0o777},
		{"?rw-r--r--", fs.ModeIrregular | 0o644},
	}
	for _, tt := range tests {
		got, err := ParseUnixMode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseUnixMode(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestParseUnixModeRejects(t *testing.T) {
	for _, in := range []string{
		"", "drwxr-xr", "drwxr-xrx", "drwxr-xr-x-", "xrwxr-xr-x", "dxrwr-xr-x", "-rw-r--r--*",
		"-rwtr--r--", "-rw-r--r-s", "-rw-r--r-- ", "drwxr-xr-x++",
		"tdrwxrwxrwx", "ddrwxrwxrwx", "Xrwxrwxrwx", "d-rwsrwxrwx", "uu-rw-r--r--",
	} {
		if got, err := ParseUnixMode(in); err == nil {
			t.Errorf("ParseUnixMode(%q) = %v, nil; want an error", in, got)
		}
	}
}

func TestParseOctalMode(t *testing.T) {
	tests := []struct {
		in   string
		want fs.FileMode
	}{
		{"644", 0o644},
		{"0755", 0o755},
		{"100644", 0o644},
		{"4755", fs.ModeSetuid | 0o755},
		{"2755", fs.ModeSetgid | 0o755},
		{"1777", fs.ModeSticky | 0o777},
	}
	for _, tt := range tests {
		got, err := parseOctalMode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseOctalMode(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "8", "rwx", "-1"} {
		if _, err := parseOctalMode(in); err == nil {
			t.Errorf("parseOctalMode(%q): no error", in)
		}
	}
}
