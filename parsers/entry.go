package parsers

import (
	"io/fs"
	"time"
)

// Type is the kind of directory entry a listing line describes.
type Type uint8

// The entry types a listing can describe.
const (
	TypeFile  Type = iota // a regular file
	TypeDir               // a directory
	TypeLink              // a symbolic link
	TypeOther             // a device, pipe, socket or anything else
)

// String returns "file", "dir", "link" or "other".
func (t Type) String() string {
	switch t {
	case TypeFile:
		return "file"
	case TypeDir:
		return "dir"
	case TypeLink:
		return "link"
	default:
		return "other"
	}
}

// Entry is what one listing line says about one directory entry.
//
// Fields the listing does not give are left at their zero value: an
// MS-DOS line has no owner, a listing line without a time has a zero
// ModTime and a zero Precision. Where a zero value could be mistaken for a
// listed one (a size of 0, permission bits of 0), Unknown says that the
// listing did not give it.
type Entry struct {
	// Name is the entry's name within its directory, exactly as listed
	// (leading and trailing spaces included). It is never empty and never
	// contains a slash.
	Name string
	// Type says whether the entry is a file, a directory, a link or
	// something else. It agrees with the type bits of Mode.
	Type Type
	// Unknown lists the fields that the listing does not give and that
	// are therefore zero: UnknownSize for an MS-DOS <DIR>, an MLSD line
	// without a size fact or a size the server could not print;
	// UnknownPerm for listings without Unix permission bits (MS-DOS,
	// MLSD without UNIX.mode, NetWare, z/OS…). The zero value says that
	// every field is as listed, so entries built by hand or by custom
	// parsers keep their meaning.
	Unknown Field // next to Type: fits in its padding, Entry keeps its size
	// Size is the size in bytes as listed (for a directory or a link,
	// whatever the server printed). Device files have size 0.
	Size int64
	// Mode holds the permission bits, the setuid, setgid and sticky bits,
	// and the io/fs type bits (fs.ModeDir, fs.ModeSymlink, fs.ModeDevice,
	// fs.ModeCharDevice, fs.ModeNamedPipe, fs.ModeSocket).
	Mode fs.FileMode
	// ModTime is the modification time as a UTC instant, corrected by the
	// time shift where the listing gives server-local times.
	ModTime time.Time
	// Precision is how precise ModTime is: time.Second (or finer) for
	// MLSD, time.Minute for "Nov 23 02:33", 24*time.Hour for
	// "May 26  2005". Zero when the listing gives no time.
	Precision time.Duration
	// LinkTarget is the target of a symbolic link, when the listing shows
	// it.
	LinkTarget string
	// Owner and Group are the owner and group as listed: names or
	// numeric ids.
	Owner, Group string
	// Links is the hard-link count, zero when the listing does not give
	// it.
	Links int
	// Raw is the listing line the entry came from (for an entry that spans
	// several lines, the lines joined with "\n").
	Raw string
}

// Field names the Entry fields whose zero value can be a listed value, for
// Entry.Unknown.
type Field uint8

// The fields Entry.Unknown can mark.
const (
	UnknownSize Field = 1 << iota // Size is 0 because the listing gives no size
	UnknownPerm                   // Mode has no permission bits because the listing gives none
)

// Known reports whether the listing gave the fields f (all of them, when f
// names several).
func (e *Entry) Known(f Field) bool { return e.Unknown&f == 0 }

// IsDir reports whether the entry is a directory.
func (e *Entry) IsDir() bool { return e.Type == TypeDir }
