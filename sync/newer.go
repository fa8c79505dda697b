package sync

import (
	"io/fs"
	"time"
)

// DefaultPrecision is the precision assumed for a modification time whose
// FileInfo does not say (has no ModTimePrecision method, or returns zero
// or less from it). Most file systems and protocols keep at least whole
// seconds, and several (SFTP, tar, FTP's MFMT) keep no more.
const DefaultPrecision = time.Second

// precisioner is implemented by FileInfos that know how precise their
// modification time is, such as *ftpfs.FileInfo.
type precisioner interface {
	ModTimePrecision() time.Duration
}

// precision returns how precise info's modification time is.
func precision(info fs.FileInfo) time.Duration {
	if p, ok := info.(precisioner); ok {
		if d := p.ModTimePrecision(); d > 0 {
			return d
		}
	}
	return DefaultPrecision
}

// latest returns the last instant that info's modification time may
// stand for: a time listed with precision p was truncated, so the file
// changed somewhere in [t, t+p).
func latest(info fs.FileInfo) time.Time {
	return info.ModTime().Add(precision(info) - 1)
}

// newer reports whether a's modification time is certainly later than
// b's, whatever the truncation of either.
func newer(a, b fs.FileInfo) bool {
	return a.ModTime().After(latest(b))
}

// needsCopy applies CopyIfNewer's rule (see the package documentation)
// to a source file and an existing target file.
func needsCopy(src, dst fs.FileInfo) bool {
	sizeDiffers := src.Size() != dst.Size()
	if src.ModTime().IsZero() || dst.ModTime().IsZero() {
		return sizeDiffers
	}
	if newer(src, dst) {
		return true
	}
	return sizeDiffers && !newer(dst, src)
}

// needsMirror applies Mirror's rule to a source file and an existing
// target file: needsCopy's, and also whenever the sizes differ, even when
// the target is newer (a run cut short can leave a partial file, newer
// than its source, under the target's name).
func needsMirror(src, dst fs.FileInfo) bool {
	return src.Size() != dst.Size() || needsCopy(src, dst)
}
