package sync

import (
	"io/fs"
	"strings"
	"testing"
	"time"
)

// info is a FileInfo with a chosen precision (none when prec is zero).
type info struct {
	size int64
	mod  time.Time
	prec time.Duration
}

func (i info) Name() string       { return "f" }
func (i info) Size() int64        { return i.size }
func (i info) Mode() fs.FileMode  { return 0o644 }
func (i info) ModTime() time.Time { return i.mod }
func (i info) IsDir() bool        { return false }
func (i info) Sys() any           { return nil }

// withPrecision adds ModTimePrecision to an info.
type withPrecision struct{ info }

func (i withPrecision) ModTimePrecision() time.Duration { return i.prec }

func fi(size int64, mod time.Time, prec time.Duration) fs.FileInfo {
	if prec == 0 {
		return info{size: size, mod: mod}
	}
	return withPrecision{info{size: size, mod: mod, prec: prec}}
}

func TestNeedsCopy(t *testing.T) {
	base := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return base.Add(d) }
	day := 24 * time.Hour
	// A day-precision time listed by a server in UTC+9:30: local midnight
	// of March 10 is 14:30 UTC on March 9.
	localMidnight := time.Date(2026, 3, 9, 14, 30, 0, 0, time.UTC)
	tests := []struct {
		name       string
		src, dst   fs.FileInfo
		want       bool // needsCopy, CopyIfNewer's rule
		wantMirror bool // needsMirror, Mirror's rule
	}{
		{"same time and size", fi(5, at(0), 0), fi(5, at(0), 0), false, false},
		{"src 1ns later, both exact", fi(5, at(1), time.Nanosecond), fi(5, at(0), time.Nanosecond), true, true},
		{"src later within the default second", fi(5, at(500*time.Millisecond), 0), fi(5, at(0), 0), false, false},
		{"src a second later, default precision", fi(5, at(time.Second), 0), fi(5, at(0), 0), true, true},
		{"zero precision counts as the default", fi(5, at(500*time.Millisecond), 0), withPrecision{info{5, at(0), 0}}, false, false},
		{"dst older, same size", fi(5, at(time.Hour), 0), fi(5, at(0), 0), true, true},
		{"dst newer, same size", fi(5, at(0), 0), fi(5, at(time.Hour), 0), false, false},

		{"MLSD dst, src within its second", fi(5, at(700*time.Millisecond), time.Nanosecond), fi(5, at(0), time.Second), false, false},
		{"MLSD dst, src next second", fi(5, at(time.Second), time.Nanosecond), fi(5, at(0), time.Second), true, true},

		{"minute dst, src within its minute", fi(5, at(42*time.Second), time.Nanosecond), fi(5, at(0), time.Minute), false, false},
		{"minute dst, src at its last instant", fi(5, at(time.Minute-1), time.Nanosecond), fi(5, at(0), time.Minute), false, false},
		{"minute dst, src the next minute", fi(5, at(time.Minute), time.Nanosecond), fi(5, at(0), time.Minute), true, true},
		{"minute src, dst set from it", fi(5, at(0), time.Minute), fi(5, at(0), 0), false, false},
		{"minute src, dst exact inside its minute", fi(5, at(0), time.Minute), fi(5, at(30*time.Second), time.Nanosecond), false, false},
		{"minute src, next minute", fi(5, at(time.Minute), time.Minute), fi(5, at(0), 0), true, true},
		{"both minute, same minute", fi(5, at(0), time.Minute), fi(5, at(0), time.Minute), false, false},
		{"both minute, next minute", fi(5, at(time.Minute), time.Minute), fi(5, at(0), time.Minute), true, true},

		{"day dst, src later that day", fi(5, at(18*time.Hour), time.Nanosecond), fi(5, at(0), day), false, false},
		{"day dst, src the next day", fi(5, at(day), time.Nanosecond), fi(5, at(0), day), true, true},
		{"day dst in UTC+9:30, src that local day", fi(5, at(-3*time.Hour), time.Nanosecond), fi(5, localMidnight, day), false, false},
		{"day dst in UTC+9:30, src the next local day", fi(5, localMidnight.Add(day), time.Nanosecond), fi(5, localMidnight, day), true, true},
		{"day src, dst set from it", fi(5, at(0), day), fi(5, at(0), 0), false, false},
		{"day src, minute dst inside that day", fi(5, at(0), day), fi(5, at(3*time.Hour), time.Minute), false, false},

		{"size differs, same time", fi(6, at(0), 0), fi(5, at(0), 0), true, true},
		{"size differs, same minute", fi(6, at(20*time.Second), time.Nanosecond), fi(5, at(0), time.Minute), true, true},
		{"size differs, src newer", fi(6, at(time.Hour), 0), fi(5, at(0), 0), true, true},
		{"size differs, dst newer", fi(6, at(0), 0), fi(5, at(time.Hour), 0), false, true},
		{"size differs, dst newer than a day src's day", fi(6, at(0), day), fi(5, at(day), 0), false, true},

		{"src time unknown, same size", fi(5, time.Time{}, 0), fi(5, at(0), 0), false, false},
		{"src time unknown, size differs", fi(6, time.Time{}, 0), fi(5, at(0), 0), true, true},
		{"dst time unknown, same size", fi(5, at(0), 0), fi(5, time.Time{}, 0), false, false},
		{"dst time unknown, size differs", fi(5, at(0), 0), fi(6, time.Time{}, 0), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := needsCopy(tt.src, tt.dst); got != tt.want {
				t.Errorf("needsCopy(%v ±%v, %v ±%v) = %v, want %v",
					tt.src.ModTime(), precision(tt.src), tt.dst.ModTime(), precision(tt.dst), got, tt.want)
			}
			if got := needsMirror(tt.src, tt.dst); got != tt.wantMirror {
				t.Errorf("needsMirror(%v ±%v, %v ±%v) = %v, want %v",
					tt.src.ModTime(), precision(tt.src), tt.dst.ModTime(), precision(tt.dst), got, tt.wantMirror)
			}
		})
	}
}

func TestTempName(t *testing.T) {
	tests := []struct {
		name, dir string
	}{
		{"a.txt", ""},
		{"dir/a.txt", "dir/"},
		{"/abs/dir/a b.txt", "/abs/dir/"},
		{"x/" + strings.Repeat("é", 200), "x/"},
	}
	for _, tt := range tests {
		got, err := tempName(tt.name)
		if err != nil {
			t.Fatalf("tempName(%q): %v", tt.name, err)
		}
		dir, base := got[:len(tt.dir)], got[len(tt.dir):]
		if dir != tt.dir || !isTempName(base) || len(base) > maxNameLen {
			t.Errorf("tempName(%q) = %q: dir %q, isTempName %v, %d bytes; want dir %q, a temp name within %d bytes",
				tt.name, got, dir, isTempName(base), len(base), tt.dir, maxNameLen)
		}
	}
	for _, name := range []string{"a.txt", ".a.txt", ".a.ftpfs-tmp-", ".a.ftpfs-tmp-0123456789aZ", "a.ftpfs-tmp-0123456789ab", ".a.ftpfs-tmp-0123456789abc"} {
		if isTempName(name) {
			t.Errorf("isTempName(%q) = true, want false", name)
		}
	}
	if name := ".a.ftpfs-tmp-0123456789ab"; !isTempName(name) {
		t.Errorf("isTempName(%q) = false, want true", name)
	}
}
