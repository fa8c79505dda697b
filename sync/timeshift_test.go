package sync_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// fakeShifter is a TimeShifter that lists every file at the server wall
// clock reading listed (a time in UTC standing for the server's local
// reading), corrected by its shift as ftpfs does, with precision prec.
type fakeShifter struct {
	afero.Fs
	shift  time.Duration
	listed time.Time
	prec   time.Duration
	setErr error
}

func (f *fakeShifter) Stat(name string) (fs.FileInfo, error) {
	info, err := f.Fs.Stat(name)
	if err != nil {
		return nil, err
	}
	return precisionInfo{FileInfo: info, mod: f.listed.Add(-f.shift), prec: f.prec}, nil
}

func (f *fakeShifter) TimeShift() time.Duration { return f.shift }

func (f *fakeShifter) SetTimeShift(d time.Duration) error {
	if f.setErr != nil {
		return f.setErr
	}
	f.shift = d
	return nil
}

var errSetRefused = errors.New("set refused (test)")

func TestSynchronizeTimes(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name     string
		current  time.Duration // the shift before
		listed   time.Duration // the listed wall clock minus the client's clock
		prec     time.Duration
		readOnly bool
		setErr   error
		want     time.Duration
		wantErr  error // errors.Is target, or nil
	}{
		{"UTC+2, minute listing", 0, 2*h + 40*time.Second, time.Minute, false, nil, 2 * h, nil},
		{"UTC-5, truncated to the minute", 0, -5*h - 59*time.Second, time.Minute, false, nil, -5 * h, nil},
		{"UTC+9:30", 0, 9*h + 30*time.Minute - 20*time.Second, time.Minute, false, nil, 9*h + 30*time.Minute, nil},
		{"UTC+5:45", 0, 5*h + 45*time.Minute, time.Minute, false, nil, 5*h + 45*time.Minute, nil},
		{"seven minutes off is zero", 0, 7 * time.Minute, time.Minute, false, nil, 0, nil},
		{"eight minutes off is 15", 0, 8 * time.Minute, time.Minute, false, nil, 15 * time.Minute, nil},
		{"the shift in use is undone", 3 * h, 2 * h, time.Minute, false, nil, 2 * h, nil},
		{"a negative shift in use is undone", -4 * h, -7 * h, time.Minute, false, nil, -7 * h, nil},
		{"no precision given", 0, 2 * h, 0, false, nil, 2 * h, nil},
		{"second precision is UTC", h, 2 * h, time.Second, false, nil, 0, nil},
		{"exactly 24h", 0, 24 * h, time.Minute, false, nil, 24 * h, nil},
		{"-24h", 0, -24 * h, time.Minute, false, nil, -24 * h, nil},
		{"25h is too far", 0, 25 * h, time.Minute, false, nil, 0, errTimeShift},
		{"-24h15m is too far", 0, -24*h - 15*time.Minute, time.Minute, false, nil, 0, errTimeShift},
		{"day precision", 0, 2 * h, 24 * h, false, nil, 0, errAny},
		{"not writable", 0, 2 * h, time.Minute, true, nil, 0, fs.ErrPermission},
		{"SetTimeShift refuses", 0, 2 * h, time.Minute, false, errSetRefused, 0, errSetRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := afero.NewMemMapFs()
			if err := mem.MkdirAll("/dir", 0o755); err != nil {
				t.Fatal(err)
			}
			var backing afero.Fs = mem
			if tt.readOnly {
				backing = afero.NewReadOnlyFs(mem)
			}
			fake := &fakeShifter{Fs: backing, shift: tt.current, listed: base.Add(tt.listed), prec: tt.prec, setErr: tt.setErr}
			got, err := ftpsync.SynchronizeTimes(t.Context(), fake, "/dir", ftpsync.WithClock(func() time.Time { return base }))
			switch {
			case tt.wantErr == nil && (err != nil || got != tt.want):
				t.Errorf("SynchronizeTimes = %v, %v, want %v, nil", got, err, tt.want)
			case tt.wantErr != nil && !matches(err, tt.wantErr):
				t.Errorf("SynchronizeTimes = %v, %v, want an error matching %v", got, err, tt.wantErr)
			}
			wantShift := tt.want
			if tt.wantErr != nil {
				wantShift = tt.current
			}
			if fake.shift != wantShift {
				t.Errorf("shift after SynchronizeTimes = %v, want %v", fake.shift, wantShift)
			}
			if names := listNames(t, mem, "/dir"); len(names) > 0 {
				t.Errorf("files left in /dir: %q", names)
			}
		})
	}
}

// errTimeShift stands for "an *ftpfs.TimeShiftError", errAny for "some
// error".
var (
	errTimeShift = errors.New("*ftpfs.TimeShiftError")
	errAny       = errors.New("any error")
)

func matches(err, want error) bool {
	switch want {
	case errAny:
		return err != nil
	case errTimeShift:
		var tse *ftpfs.TimeShiftError
		return errors.As(err, &tse)
	}
	return errors.Is(err, want)
}

func listNames(t testing.TB, fsys afero.Fs, dir string) []string {
	t.Helper()
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, info := range infos {
		names = append(names, info.Name())
	}
	return names
}

func TestSynchronizeTimesCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	mem := afero.NewMemMapFs()
	fake := &fakeShifter{Fs: mem, shift: time.Hour, listed: base, prec: time.Minute}
	if _, err := ftpsync.SynchronizeTimes(ctx, fake, "/"); !errors.Is(err, context.Canceled) {
		t.Errorf("SynchronizeTimes(canceled) = %v, want %v", err, context.Canceled)
	}
	if fake.shift != time.Hour {
		t.Errorf("shift = %v, want it unchanged (1h)", fake.shift)
	}
}

// TestSynchronizeTimesFTP calibrates ftpfs against servers whose LIST
// shows the wall clock of another time zone. The server's clock is
// injected: every file written gets the time now, which is also the
// client's clock. now is near the real time because the server chooses
// between "15:04" and the year by its real connection time, and ftpfs
// infers the year from the real time.
func TestSynchronizeTimesFTP(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Minute)
	clock := ftpsync.WithClock(func() time.Time { return now })
	h := time.Hour
	tests := []struct {
		offset  time.Duration // the server's zone
		mlsd    bool
		before  time.Duration // the shift the Fs is dialled with
		want    time.Duration
		wantErr error
	}{
		{offset: -5 * h, want: -5 * h},
		{offset: 0, before: 3 * h, want: 0},
		{offset: 2 * h, want: 2 * h},
		{offset: 9*h + 30*time.Minute, before: -h, want: 9*h + 30*time.Minute},
		{offset: 26 * h, before: h, wantErr: errTimeShift},
		// MLSD lists UTC, which needs no shift whatever the server's zone.
		{offset: 2 * h, mlsd: true, before: h, want: 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("UTC%+v/mlsd=%v", tt.offset, tt.mlsd), func(t *testing.T) {
			raw := afero.NewMemMapFs()
			backing := zoneFs{Fs: raw, loc: time.FixedZone("server", int(tt.offset/time.Second)), stamp: now}
			if err := backing.Mkdir("/up", 0o755); err != nil {
				t.Fatal(err)
			}
			var srvOpts []ftpfstest.Option
			if !tt.mlsd {
				srvOpts = append(srvOpts, ftpfstest.WithoutMLSD())
			}
			fsys, _ := serve(t, backing, srvOpts, ftpfs.WithTimeShift(tt.before))

			got, err := ftpsync.SynchronizeTimes(t.Context(), fsys, "up", clock)
			if tt.wantErr != nil {
				if !matches(err, tt.wantErr) {
					t.Fatalf("SynchronizeTimes = %v, %v, want an error matching %v", got, err, tt.wantErr)
				}
				if fsys.TimeShift() != tt.before {
					t.Errorf("TimeShift() after the error = %v, want %v", fsys.TimeShift(), tt.before)
				}
			} else if err != nil || got != tt.want || fsys.TimeShift() != tt.want {
				t.Fatalf("SynchronizeTimes = %v, %v (TimeShift %v), want %v, nil", got, err, fsys.TimeShift(), tt.want)
			}
			if names := listNames(t, raw, "/up"); len(names) > 0 {
				t.Errorf("files left on the server: %q", names)
			}
			if tt.wantErr != nil {
				return
			}
			// With the shift, listed times are true instants again.
			at := now.Add(-3 * time.Hour)
			put(t, raw, "/up/f", "x", at)
			info, err := fsys.Stat("up/f")
			if err != nil {
				t.Fatal(err)
			}
			if !info.ModTime().Equal(at) {
				t.Errorf("Stat(up/f).ModTime() = %v, want %v", info.ModTime(), at)
			}
		})
	}
}

func TestSynchronizeTimesNotWritable(t *testing.T) {
	backing := afero.NewMemMapFs()
	if err := backing.Mkdir("/ro", 0o755); err != nil {
		t.Fatal(err)
	}
	fsys, _ := serve(t, afero.NewReadOnlyFs(backing), []ftpfstest.Option{ftpfstest.WithoutMLSD()}, ftpfs.WithTimeShift(time.Hour))
	got, err := ftpsync.SynchronizeTimes(t.Context(), fsys, "ro")
	var reply *ftpfs.ReplyError
	if err == nil || !strings.Contains(err.Error(), `"ro"`) || !errors.As(err, &reply) {
		t.Errorf("SynchronizeTimes(read-only) = %v, %v, want an error naming \"ro\" wrapping the server's reply", got, err)
	}
	if fsys.TimeShift() != time.Hour {
		t.Errorf("TimeShift() = %v, want it unchanged (1h)", fsys.TimeShift())
	}
}
