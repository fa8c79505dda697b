package sync

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/afero"
)

// ErrNotRegular is wrapped, in an *fs.PathError naming the file, by the
// errors of Copy and CopyIfNewer (and their wrappers) when the source or
// the target exists but is not a regular file, such as a directory.
var ErrNotRegular = errors.New("not a regular file")

// Copy copies the file srcName of src to dstName in dst, whether or not
// dstName exists and whatever its time, like io.Copy with dst first. The
// bytes stream from src to dst, never held whole in memory. The file is
// written under a temporary name in dstName's directory and renamed over
// dstName once complete, so a failed copy leaves dstName as it was (see
// the package documentation); then dstName gets srcName's modification
// time where dst can set it, unless WithoutTimes. dstName's directory
// must exist.
//
// It uses the options WithProgress, WithoutTimes and WithDryRun (with
// which it only checks the two names). Errors are those of src and dst,
// usually *fs.PathError ([fs.ErrNotExist] for a missing srcName or
// directory), or an *fs.PathError wrapping [ErrNotRegular] when srcName or
// dstName is not a regular file. An error from setting the time (other than
// [errors.ErrUnsupported], which is ignored) comes after the file was
// copied.
func Copy(dst afero.Fs, dstName string, src afero.Fs, srcName string, opts ...Option) error {
	o, err := newOptions(opts)
	if err != nil {
		return err
	}
	srcInfo, err := statRegular(src, srcName)
	if err != nil {
		return err
	}
	if info, err := dst.Stat(dstName); err == nil && !info.Mode().IsRegular() {
		return &fs.PathError{Op: "copy", Path: dstName, Err: ErrNotRegular}
	}
	if o.dryRun {
		return nil
	}
	_, err = copyReporting(o, dst, dstName, src, srcName, srcInfo)
	return err
}

// CopyIfNewer copies srcName of src to dstName in dst, as Copy does, when
// dstName is missing or out of date by the rule of the package
// documentation, which corrects both modification times by their
// precision. It reports whether it copied (with WithDryRun: whether it
// would have). It costs one Stat on each side, then the transfer if any.
// It uses the options of Copy. Errors are as for Copy; when the file was
// copied but its time could not be set, CopyIfNewer returns true and the
// error.
func CopyIfNewer(dst afero.Fs, dstName string, src afero.Fs, srcName string, opts ...Option) (copied bool, err error) {
	o, err := newOptions(opts)
	if err != nil {
		return false, err
	}
	srcInfo, err := statRegular(src, srcName)
	if err != nil {
		return false, err
	}
	dstInfo, err := dst.Stat(dstName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return false, err
	case !dstInfo.Mode().IsRegular():
		return false, &fs.PathError{Op: "copy", Path: dstName, Err: ErrNotRegular}
	case !needsCopy(srcInfo, dstInfo):
		return false, nil
	}
	if o.dryRun {
		return true, nil
	}
	return copyReporting(o, dst, dstName, src, srcName, srcInfo)
}

// Upload copies the local file localName to remoteName on the remote
// file system (an *ftpfs.Fs, say), as Copy(remote, remoteName, local,
// localName, opts...) does: any two afero.Fs will do.
func Upload(remote afero.Fs, remoteName string, local afero.Fs, localName string, opts ...Option) error {
	return Copy(remote, remoteName, local, localName, opts...)
}

// Download copies the remote file remoteName to localName on the local
// file system, as Copy(local, localName, remote, remoteName, opts...)
// does.
func Download(local afero.Fs, localName string, remote afero.Fs, remoteName string, opts ...Option) error {
	return Copy(local, localName, remote, remoteName, opts...)
}

// UploadIfNewer uploads localName to remoteName when remoteName is
// missing or older, and reports whether it did: it is
// CopyIfNewer(remote, remoteName, local, localName, opts...). For times
// listed by an FTP server in its own time zone to compare right, the
// ftpfs.Fs needs the server's time shift (see SynchronizeTimes).
func UploadIfNewer(remote afero.Fs, remoteName string, local afero.Fs, localName string, opts ...Option) (copied bool, err error) {
	return CopyIfNewer(remote, remoteName, local, localName, opts...)
}

// DownloadIfNewer downloads remoteName to localName when localName is
// missing or older, and reports whether it did: it is
// CopyIfNewer(local, localName, remote, remoteName, opts...). The time
// shift matters as for UploadIfNewer.
func DownloadIfNewer(local afero.Fs, localName string, remote afero.Fs, remoteName string, opts ...Option) (copied bool, err error) {
	return CopyIfNewer(local, localName, remote, remoteName, opts...)
}

// statRegular returns the FileInfo of name, which must be a regular file.
func statRegular(fsys afero.Fs, name string) (fs.FileInfo, error) {
	info, err := fsys.Stat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "copy", Path: name, Err: ErrNotRegular}
	}
	return info, nil
}

// copyReporting copies one file for Copy and CopyIfNewer, reporting
// progress as a transfer of one file.
func copyReporting(o *options, dst afero.Fs, dstName string, src afero.Fs, srcName string, info fs.FileInfo) (bool, error) {
	c := &copyFile{dst: dst, dstName: dstName, src: src, srcName: srcName, info: info, times: !o.noTimes, resume: o.resume, hash: o.hash}
	p := Progress{Path: srcName, FilesTotal: 1, BytesTotal: info.Size()}
	if o.progress != nil {
		c.onWrite = func(n int64) {
			p.BytesDone += n
			o.progress(p)
		}
	}
	_, replaced, err := c.run()
	if o.progress != nil {
		p.FilesDone = 1
		o.progress(p)
	}
	return replaced, err
}

// openFunc opens a file as afero.Fs.OpenFile does.
type openFunc func(name string, flag int, perm os.FileMode) (afero.File, error)

// copyFile is one file to copy, and how.
type copyFile struct {
	dst     afero.Fs
	dstName string
	src     afero.Fs
	srcName string
	info    fs.FileInfo  // srcName's
	direct  bool         // write dstName itself (it is missing), not a temporary file renamed over it
	open    openFunc     // opens the file to write; dst.OpenFile when nil
	times   bool         // give dstName the source's modification time
	stop    func() error // if not nil, asked before every read; its error ends the copy (Mirror passes ctx.Err)
	onWrite func(int64)  // if not nil, gets the size of every chunk written
	resume  bool         // WithResume: through a partial file (resume.go)
	hash    bool         // WithVerifyHash
}

// run streams srcName to dstName (directly, or to a temporary file beside
// it that it renames over dstName) and sets its modification time. It
// returns the bytes written and whether dstName now holds the copy.
func (c *copyFile) run() (int64, bool, error) {
	if c.resume && !c.info.ModTime().IsZero() {
		return c.runResumable()
	}
	in, err := c.src.Open(c.srcName)
	if err != nil {
		return 0, false, err
	}
	// The bytes are all read (or the copy failed for another reason):
	// closing a reader has nothing left to report.
	defer func() { _ = in.Close() }()

	name := c.dstName
	if !c.direct {
		if name, err = tempName(c.dstName); err != nil {
			return 0, false, err
		}
	}
	n, err := c.write(name, in)
	if err != nil {
		return n, false, err
	}
	if c.hash {
		if err := c.verifyHash(name); err != nil {
			_ = c.dst.Remove(name) // the mismatch is what matters
			return n, false, err
		}
	}
	if !c.direct {
		if err := replace(c.dst, name, c.dstName); err != nil {
			return n, false, err
		}
	}
	return n, true, c.setTime()
}

// write streams in to the file name of dst. On failure it removes the
// partial file; should that fail too, Mirror's next run removes it (a
// temporary name) or copies it again (the target's own name: a partial
// file's size differs from the source's).
func (c *copyFile) write(name string, in io.Reader) (int64, error) {
	open := c.open
	if open == nil {
		open = c.dst.OpenFile
	}
	out, err := open(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm(c.info))
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(&progressWriter{w: out, onWrite: c.onWrite}, stoppableReader{stop: c.stop, r: in})
	if cerr := out.Close(); cerr != nil {
		err = errors.Join(err, cerr)
	}
	if err != nil {
		_ = c.dst.Remove(name) // the copy's error is what matters
	}
	return n, err
}

// setTime gives dstName the source's modification time, unless told not
// to or the source's is unknown. A destination that cannot set times
// ([errors.ErrUnsupported]) is no error: the copy keeps its own time,
// which is newer than the source's.
func (c *copyFile) setTime() error {
	mt := c.info.ModTime()
	if !c.times || mt.IsZero() {
		return nil
	}
	err := c.dst.Chtimes(c.dstName, mt, mt)
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	return err
}

// replace renames tmp to name in fsys. If fsys refuses to rename over an
// existing file, it moves the old file aside (to another temporary name),
// renames tmp, and removes the old file; if that rename fails too, it
// puts the old file back. Either way name is never a partial file. On
// failure tmp is removed.
func replace(fsys afero.Fs, tmp, name string) error {
	err := fsys.Rename(tmp, name)
	if err == nil {
		return nil
	}
	if info, statErr := fsys.Stat(name); statErr != nil || !info.Mode().IsRegular() {
		_ = fsys.Remove(tmp) // the rename's error is what matters
		return err
	}
	aside, nameErr := tempName(name)
	if nameErr != nil {
		_ = fsys.Remove(tmp) // as above
		return err
	}
	if asideErr := fsys.Rename(name, aside); asideErr != nil {
		_ = fsys.Remove(tmp) // as above
		return err
	}
	if err := fsys.Rename(tmp, name); err != nil {
		// Put the old file back. Should that fail, both copies keep
		// their temporary names, and the next Mirror removes them.
		if fsys.Rename(aside, name) == nil {
			_ = fsys.Remove(tmp)
		}
		return err
	}
	// The new file is in place; an old copy left behind has a temporary
	// name, and the next Mirror removes it.
	_ = fsys.Remove(aside)
	return nil
}

// filePerm is the permission a new copy of info is created with: the
// source's bits plus owner read and write, or 0666 when the source shows
// none (MLSD without UNIX.mode). The target may ignore it (FTP does) or
// mask it (umask).
func filePerm(info fs.FileInfo) fs.FileMode {
	if p := info.Mode().Perm(); p != 0 {
		return p | 0o600
	}
	return 0o666
}

// progressWriter passes the size of every write to onWrite.
type progressWriter struct {
	w       io.Writer
	onWrite func(int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if n > 0 && p.onWrite != nil {
		p.onWrite(int64(n))
	}
	return n, err
}

// stoppableReader stops reading once stop returns an error; a nil stop
// never does.
type stoppableReader struct {
	stop func() error
	r    io.Reader
}

func (s stoppableReader) Read(b []byte) (int, error) {
	if s.stop != nil {
		if err := s.stop(); err != nil {
			return 0, err
		}
	}
	return s.r.Read(b)
}
