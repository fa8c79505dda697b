package sync

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// TimeShifter is a file system whose listed times are corrected by a time
// shift, the server's local time minus UTC. *ftpfs.Fs is one.
type TimeShifter interface {
	afero.Fs
	// TimeShift returns the shift in use.
	TimeShift() time.Duration
	// SetTimeShift sets the shift; it may refuse values out of its range.
	SetTimeShift(time.Duration) error
}

var _ TimeShifter = (*ftpfs.Fs)(nil)

// Time shifts are multiples of ShiftStep within ±MaxShift, as ftputil
// and ftpfs.SetTimeShift require.
const (
	ShiftStep = 15 * time.Minute
	MaxShift  = 24 * time.Hour
)

// helperPrefix starts the name of SynchronizeTimes's helper file. It has
// no leading dot, which some servers' listings would hide.
const helperPrefix = "ftpsync-timeshift-"

// SynchronizeTimes measures the time shift of fsys's server (its local
// time minus UTC, as ftputil's synchronize_times does), sets it with
// SetTimeShift, and returns it. dir must be a directory that fsys may
// write in.
//
// It writes a small helper file with a unique name in dir, reads back
// the time the server lists for it (one Stat: one listing of dir for an
// *ftpfs.Fs), and removes it. The listed local time minus the client's
// time (time.Now, or WithClock's) is the shift, rounded to the nearest
// multiple of ShiftStep (15 minutes), which absorbs the minute precision
// of LIST times, the time the upload took and clocks a few minutes apart.
//
// When the helper's time comes from an MLSD listing (second precision,
// UTC by RFC 3659), the answer is zero: MLSD times need no correction, and
// ftpfs applies the shift only to LIST times, so no measurement through
// MLSD can tell anything about them. To calibrate LIST times on a server
// that has MLSD, measure with an ftpfs.Fs dialled with ftpfs.WithoutMLSD
// and pass the result to the other with ftpfs.WithTimeShift or
// SetTimeShift.
//
// The measured shift is refused, and the shift in use left as it was,
// when it is more than MaxShift (24 hours) either way: the error wraps an
// [*ftpfs.TimeShiftError]. When dir cannot be written, the error says so
// and wraps fsys's error ([fs.ErrPermission], [fs.ErrNotExist] or the
// server's reply). An error from SetTimeShift is returned as it is; an
// error removing the helper is returned with the shift, which is then set.
// ctx is checked between the steps; fsys's own calls end as fsys decides.
func SynchronizeTimes(ctx context.Context, fsys TimeShifter, dir string, opts ...Option) (shift time.Duration, err error) {
	o, err := newOptions(opts)
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	helper, err := helperName(dir)
	if err != nil {
		return 0, err
	}
	if err := afero.WriteFile(fsys, helper, []byte("ftpsync time shift probe\n"), 0o644); err != nil {
		// A refused upload may still have left a file behind.
		_ = fsys.Remove(helper)
		return 0, fmt.Errorf("ftpsync: cannot write the time-shift helper file in %q: %w", dir, err)
	}
	now := o.now()
	defer func() {
		if rmErr := fsys.Remove(helper); rmErr != nil && err == nil {
			err = fmt.Errorf("ftpsync: cannot remove the time-shift helper file: %w", rmErr)
		}
	}()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	info, err := fsys.Stat(helper)
	if err != nil {
		return 0, err
	}
	shift, err = measureShift(info, fsys.TimeShift(), now)
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := fsys.SetTimeShift(shift); err != nil {
		return 0, err
	}
	return shift, nil
}

// helperName returns a fresh name for the helper file in dir.
func helperName(dir string) (string, error) {
	r, err := randomHex()
	if err != nil {
		return "", err
	}
	return path.Join(dir, helperPrefix+r+".tmp"), nil
}

// measureShift computes the shift from the helper's FileInfo, whose
// ModTime fsys corrected by the shift current, and the client's time when
// the helper was written.
func measureShift(info fs.FileInfo, current time.Duration, now time.Time) (time.Duration, error) {
	mt := info.ModTime()
	switch {
	case mt.IsZero():
		return 0, errors.New("ftpsync: the server lists no time for the time-shift helper file")
	case listedInUTC(info):
		return 0, nil
	case precision(info) > time.Minute:
		return 0, fmt.Errorf("ftpsync: the server lists the time-shift helper file's time to the %v only", precision(info))
	}
	// The listing showed the server's local wall clock; fsys took the
	// current shift off it.
	listed := mt.Add(current)
	shift := listed.Sub(now).Round(ShiftStep)
	if shift > MaxShift || shift < -MaxShift {
		return 0, fmt.Errorf("ftpsync: the server lists local time %s when the client's clock reads %s UTC: %w",
			listed.UTC().Format(time.DateTime), now.UTC().Format(time.DateTime), &ftpfs.TimeShiftError{Shift: shift})
	}
	return shift, nil
}

// listedInUTC reports whether info's time was listed as UTC, which is
// the case for MLSD listings: for an ftpfs FileInfo, when its listing
// line is an MLSD line with that time; for others, when the time is
// precise to the second or better.
func listedInUTC(info fs.FileInfo) bool {
	if e, ok := info.Sys().(*parsers.Entry); ok {
		m, err := parsers.MLSD{}.Parse(e.Raw, parsers.Clock{})
		return err == nil && m.Precision > 0 && m.ModTime.Equal(e.ModTime)
	}
	p, ok := info.(precisioner)
	return ok && p.ModTimePrecision() > 0 && p.ModTimePrecision() <= time.Second
}
