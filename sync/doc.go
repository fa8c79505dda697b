// Package sync copies files and trees between any two afero.Fs file
// systems (a local disk and an FTP server seen through ftpfs, two FTP
// servers, memory file systems in tests), copying only what is new or
// changed, and measures an FTP server's time shift so that "newer" means
// what it should. It rebuilds ftputil's upload_if_newer,
// download_if_newer and synchronize_times on afero, and grows them into
// a tree mirror.
//
// The name shadows the standard library's sync, so import it as
//
//	import ftpsync "github.com/ftpfs/ftpfs/sync"
//
// Every function takes the destination first, like io.Copy:
//
//   - Copy, and its wrappers Upload and Download, copy one file.
//   - CopyIfNewer, and its wrappers UploadIfNewer and DownloadIfNewer, copy
//     one file if the target is missing or out of date, and report whether
//     they did.
//   - Mirror makes a destination tree match a source tree for new and
//     changed files, in parallel, optionally removing what the source
//     lacks.
//   - SynchronizeTimes measures and sets an FTP server's time shift.
//
// # When a file counts as newer
//
// Listed modification times are truncated: FTP's MLSD gives seconds, a
// Unix LIST line gives minutes ("Nov 23 02:33") or only the day
// ("May 26  2005"). A FileInfo that has a method ModTimePrecision()
// time.Duration (as *ftpfs.FileInfo does) says how precise its time is;
// any other FileInfo, or a precision of zero or less, counts as precise to
// DefaultPrecision (a second). A time t of precision p means the file
// changed at some instant in [t, t+p), whose last instant is t+p-1ns.
//
// For a source file S and an existing target file T:
//
//   - S is newer than T when S's time is after T's last instant
//     (S.ModTime > T.ModTime + T.precision - 1ns), and T is newer than S
//     likewise.
//   - CopyIfNewer copies when S is newer than T, or when the sizes differ
//     and T is not newer than S (the times are equal within their
//     precision, so only the size can tell). A target that is newer than
//     its source is left alone, as ftputil does, even if the sizes differ.
//   - Mirror copies when S is newer than T, or when the sizes differ,
//     whichever of the two is newer: a run cut short can leave a partial
//     file under the target's name (see Interrupted transfers), newer
//     than its source, and the next run must replace it.
//   - A missing target is always copied. When either time is unknown (the
//     zero time), only a size difference causes a copy.
//
// So a copy whose time was set to its source's, then listed to the minute
// or the day, is not copied again on every run, and a change of the
// source after the target's listed minute (or day) is never missed; a
// change within the same minute (or day) that keeps the size is.
//
// After a copy the target gets the source's modification time through
// Chtimes (over FTP: MFMT). With WithoutTimes, or when Chtimes fails with
// errors.ErrUnsupported (an FTP server that can set no times; not an
// error), the target keeps the time of the copy, which is newer than the
// source's, so the rule still holds.
//
// Times listed by an FTP server in its own time zone must be corrected by
// the server's time shift (ftpfs.WithTimeShift, or SynchronizeTimes),
// else a shift of hours makes targets look hours older or newer than they
// are. MLSD times are UTC and need no shift.
//
// # Interrupted transfers
//
// Copy and CopyIfNewer never write a file in place, nor does Mirror
// write over an existing one: the file is streamed to a temporary file
// ".name.ftpfs-tmp-<12 hex digits>" in the target's directory, and only a
// complete one is renamed over the target. When the destination refuses
// to rename over an existing file (some FTP servers do), the old file is
// first renamed aside to another temporary name, and put back if the
// second rename fails; so the target is always either the old file or the
// new one, and only between those two renames missing. A failed transfer
// removes its temporary file; one that is cut off harder (a crash, a lost
// connection) leaves it, and the next Mirror over that directory removes
// every such temporary file it lists and copies the file again, since the
// target is still old or missing.
//
// A file that Mirror finds missing from the destination has no old
// content to keep, so it is written straight under its name, which saves
// the rename. A failed transfer removes it; one cut off harder leaves a
// partial file, which the next Mirror copies again because its size
// differs from the source's. A rerun thus finishes the job.
//
// With WithResume a rerun also keeps what the interrupted one moved:
// every file is written to a partial file ".name.ftpfs-part-<size>-<mtime>"
// named after the source version it copies, which a failed transfer
// leaves in place, and the next run with WithResume continues it (over
// FTP: REST for a download, APPE for an upload) when the source's size and
// modification time are still those its name records; see WithResume for
// the rule, and WithVerifyHash for checking copies by hash.
//
// # Time shift
//
// SynchronizeTimes follows ftputil: it writes a helper file, reads back
// the time the server lists for it, and takes the difference to the
// client's clock, rounded to 15 minutes, as the shift (at most 24 hours
// either way). A time listed by MLSD (second precision, UTC by RFC 3659)
// gives zero: ftpfs applies the shift to LIST times only, and MLSD times
// need none.
//
// # Costs over FTP
//
// With an *ftpfs.Fs on either side, Mirror costs one listing (MLSD or
// LIST) per directory per side. A download costs a RETR per file. An
// upload of a new file costs a STOR (with its EPSV or PASV) and an MFMT,
// or no MFMT with WithoutTimes: ftpfs's check of each upload's size
// (SIZE) gives way to one listing per directory that received new files,
// after the transfers. Replacing a file costs a STOR, a SIZE, a rename
// (RNFR, RNTO) and an MFMT. ftpfs's Open and ReadDir check a name against
// its parent's listing, which ftpfs's cache keeps for a while (5 seconds
// by default, see ftpfs.WithCache): trees that take longer than that to
// walk or to transfer may cost an extra listing of a parent now and then.
package sync
