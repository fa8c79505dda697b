package ftpfs

import (
	"io/fs"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// FileInfo describes a file on the server, as its directory listing shows
// it. Besides fs.FileInfo it gives the owner, group and link target the
// listing shows, and how precise the modification time is.
//
// A listing without permission bits (MS-DOS style, or MLSD without
// UNIX.mode) gives a Mode with no permission bits set.
type FileInfo struct {
	name  string
	entry parsers.Entry
}

var _ fs.FileInfo = (*FileInfo)(nil)

func newFileInfo(name string, e parsers.Entry) *FileInfo {
	return &FileInfo{name: name, entry: e}
}

// Name returns the base name of the file.
func (fi *FileInfo) Name() string { return fi.name }

// Size returns the size in bytes, as listed.
func (fi *FileInfo) Size() int64 { return fi.entry.Size }

// Mode returns the type and permission bits.
func (fi *FileInfo) Mode() fs.FileMode { return fi.entry.Mode }

// ModTime returns the modification time, in UTC, corrected by the Fs's
// time shift. See ModTimePrecision for how far to trust it.
func (fi *FileInfo) ModTime() time.Time { return fi.entry.ModTime }

// IsDir reports whether the file is a directory.
func (fi *FileInfo) IsDir() bool { return fi.entry.Mode.IsDir() }

// Sys returns the listing entry the information comes from, as a
// *parsers.Entry (the raw line is in its Raw field).
func (fi *FileInfo) Sys() any {
	e := fi.entry
	return &e
}

// Owner returns the owner as listed (a name or a number), or "".
func (fi *FileInfo) Owner() string { return fi.entry.Owner }

// Group returns the group as listed (a name or a number), or "".
func (fi *FileInfo) Group() string { return fi.entry.Group }

// LinkTarget returns the target of a symbolic link as listed, or "".
func (fi *FileInfo) LinkTarget() string { return fi.entry.LinkTarget }

// ModTimePrecision returns how precise ModTime is: a second or finer from
// MLSD, a minute for "Nov 23 02:33" in a Unix listing, a day for "May 26
// 2005". It is zero when the listing gives no time.
func (fi *FileInfo) ModTimePrecision() time.Duration { return fi.entry.Precision }

// String formats the information like fs.FormatFileInfo.
func (fi *FileInfo) String() string { return fs.FormatFileInfo(fi) }

// dirEntry adapts a FileInfo to fs.DirEntry.
type dirEntry struct{ *FileInfo }

func (d dirEntry) Type() fs.FileMode          { return d.Mode().Type() }
func (d dirEntry) Info() (fs.FileInfo, error) { return d.FileInfo, nil }
func (d dirEntry) String() string             { return fs.FormatDirEntry(d) }
