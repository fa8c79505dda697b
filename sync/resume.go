package sync

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// Partial copies (WithResume) are named "." + name + partMarker + the
// source's size + "-" + its modification time in Unix nanoseconds, in the
// directory of the file they stand for: the name records which version of
// the source the bytes are a prefix of.
const partMarker = ".ftpfs-part-"

// partName returns the name of the partial copy, for the file name (a
// slash path), of the source version info describes. The base name is
// shortened, on a rune boundary, to keep it within maxNameLen bytes.
func partName(name string, info fs.FileInfo) string {
	dir, base := path.Split(name)
	suffix := partMarker + strconv.FormatInt(info.Size(), 10) + "-" + strconv.FormatInt(info.ModTime().UnixNano(), 10)
	if room := maxNameLen - 1 - len(suffix); len(base) > room {
		for room > 0 && !utf8.RuneStart(base[room]) {
			room--
		}
		base = base[:room]
	}
	return dir + "." + base + suffix
}

// isPartName reports whether the base name was made by partName.
func isPartName(base string) bool {
	i := strings.LastIndex(base, partMarker)
	if i < 1 || base[0] != '.' {
		return false
	}
	size, mtime, ok := strings.Cut(base[i+len(partMarker):], "-")
	if !ok {
		return false
	}
	mtime = strings.TrimPrefix(mtime, "-") // a time before 1970
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(size) && digits(mtime)
}

// checksummer is a file system that computes file hashes itself, as
// *ftpfs.Fs does when its server offers HASH or XMD5 and the like.
type checksummer interface {
	Checksum(name, algo string) (string, []byte, error)
	HashAlgorithms() []string
}

// newHash returns a hash of the named algorithm ("SHA-256" …), or nil.
func newHash(algo string) hash.Hash {
	switch algo {
	case "SHA-512":
		return sha512.New()
	case "SHA-256":
		return sha256.New()
	case "SHA-1":
		return sha1.New()
	case "MD5":
		return md5.New()
	case "CRC32":
		return crc32.NewIEEE()
	}
	return nil
}

// hashFile hashes the first limit bytes of the named file (all of it
// when limit < 0) by reading it.
func hashFile(fsys afero.Fs, name, algo string, limit int64) ([]byte, error) {
	h := newHash(algo)
	if h == nil {
		return nil, fmt.Errorf("ftpsync: unknown hash %q: %w", algo, errors.ErrUnsupported)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only
	var r io.Reader = f
	if limit >= 0 {
		r = io.LimitReader(f, limit)
	}
	n, err := io.Copy(h, r)
	if err != nil {
		return nil, err
	}
	if limit >= 0 && n < limit {
		return nil, &fs.PathError{Op: "hash", Path: name, Err: io.ErrUnexpectedEOF}
	}
	return h.Sum(nil), nil
}

// sumOf returns the hash of the named file of fsys with algo: its own
// (Checksum) where it has one, else by reading the file.
func sumOf(fsys afero.Fs, name, algo string) ([]byte, error) {
	if c, ok := fsys.(checksummer); ok {
		for _, a := range c.HashAlgorithms() {
			if a == algo {
				_, sum, err := c.Checksum(name, algo)
				return sum, err
			}
		}
	}
	return hashFile(fsys, name, algo, -1)
}

// hashAlgo picks the algorithm to compare a copy with its source: the
// strongest that a side computing its own hashes offers (the other side
// reads its file), one both offer when both do. "" when neither side
// computes hashes: reading both files would double the transfer.
func hashAlgo(a, b afero.Fs) string {
	ca, okA := a.(checksummer)
	cb, okB := b.(checksummer)
	switch {
	case okA && okB:
		for _, x := range ca.HashAlgorithms() {
			for _, y := range cb.HashAlgorithms() {
				if x == y {
					return x
				}
			}
		}
	case okA:
		if algos := ca.HashAlgorithms(); len(algos) > 0 {
			return algos[0]
		}
	case okB:
		if algos := cb.HashAlgorithms(); len(algos) > 0 {
			return algos[0]
		}
	}
	return ""
}

// ErrHashMismatch is wrapped, in an *fs.PathError naming the copy, by
// the error of a copy whose hash differs from its source's (see
// WithVerifyHash). The copy is removed.
var ErrHashMismatch = errors.New("the copy's hash differs from the source's")

// verifyHash compares the hash of the copy name in c.dst with its
// source's, where one side computes hashes; nil when neither does.
func (c *copyFile) verifyHash(name string) error {
	algo := hashAlgo(c.dst, c.src)
	if algo == "" {
		return nil
	}
	want, err := sumOf(c.src, c.srcName, algo)
	if err != nil {
		return err
	}
	got, err := sumOf(c.dst, name, algo)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return &fs.PathError{Op: "verify", Path: name, Err: fmt.Errorf("%s %x, source %x: %w", algo, got, want, ErrHashMismatch)}
	}
	return nil
}

// runResumable is run with WithResume: the copy is written to the
// partial file of its source's version (partName), continued where an
// earlier run left it, and renamed over dstName once complete (and
// verified). A failed copy leaves the partial file for the next run.
func (c *copyFile) runResumable() (int64, bool, error) {
	part := partName(c.dstName, c.info)
	offset := c.resumeOffset(part)
	n, err := c.writePart(part, offset)
	if err != nil && offset > 0 && refused(err) {
		// The destination would not append (proftpd refuses APPE
		// unless told otherwise): copy it all.
		if info, statErr := c.dst.Stat(part); statErr == nil && info.Size() == offset {
			var m int64
			m, err = c.writePart(part, 0)
			n += m
		}
	}
	if err != nil {
		return n, false, err
	}
	if info, err := c.dst.Stat(part); err != nil {
		return n, false, err
	} else if info.Size() != c.info.Size() {
		_ = c.dst.Remove(part) // the error is what matters
		return n, false, &fs.PathError{Op: "copy", Path: c.dstName, Err: fmt.Errorf("the copy has %d bytes, the source %d: %w", info.Size(), c.info.Size(), io.ErrUnexpectedEOF)}
	}
	if c.hash {
		if err := c.verifyHash(part); err != nil {
			_ = c.dst.Remove(part) // the next run copies it all again
			return n, false, err
		}
	}
	if err := replace(c.dst, part, c.dstName); err != nil {
		return n, false, err
	}
	return n, true, c.setTime()
}

// resumeOffset returns where the copy to part may go on: the size of a
// partial file of the same source version, if it is shorter than the
// source (or as long: then only the checks remain), else 0. A partial
// file that cannot be trusted is removed. With WithVerifyHash, where the
// destination computes hashes (an FTP server with HASH), the partial
// file's hash must also equal that of the source's first bytes.
func (c *copyFile) resumeOffset(part string) int64 {
	info, err := c.dst.Stat(part)
	if err != nil {
		return 0
	}
	size := info.Size()
	if !info.Mode().IsRegular() || size > c.info.Size() {
		_ = c.dst.Remove(part) // not ours, or not a prefix: start over
		return 0
	}
	if d, ok := c.dst.(checksummer); ok && c.hash && size > 0 {
		algo := hashAlgo(c.dst, nil)
		_, got, err := d.Checksum(part, algo)
		if err == nil {
			want, werr := hashFile(c.src, c.srcName, algo, size)
			if werr != nil || !bytes.Equal(got, want) {
				_ = c.dst.Remove(part) // not a prefix of the source
				return 0
			}
		}
	}
	return size
}

// writePart writes the source from offset on to part: appending to it
// (over FTP: APPE; the source is read from offset, over FTP with REST),
// or from the start. The partial file is kept whatever happens.
func (c *copyFile) writePart(part string, offset int64) (int64, error) {
	in, err := c.src.Open(c.srcName)
	if err != nil {
		return 0, err
	}
	defer func() { _ = in.Close() }() // read only
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if offset > 0 {
		if _, err := in.Seek(offset, io.SeekStart); err != nil {
			return 0, err
		}
		flag = os.O_WRONLY | os.O_APPEND
	}
	if offset == c.info.Size() {
		return 0, nil // complete already
	}
	out, err := c.dst.OpenFile(part, flag, filePerm(c.info))
	if err != nil {
		return 0, err
	}
	if offset > 0 && c.onWrite != nil {
		c.onWrite(offset) // done by an earlier run
	}
	n, err := io.Copy(&progressWriter{w: out, onWrite: c.onWrite}, stoppableReader{stop: c.stop, r: in})
	if cerr := out.Close(); cerr != nil {
		err = errors.Join(err, cerr)
	}
	return n, err
}

// refused reports whether err is the destination's refusal rather than a
// broken connection, a timeout or the end of the run: a refused append is
// worth a full copy, a broken connection is not.
func refused(err error) bool {
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed), errors.As(err, &netErr), os.IsTimeout(err):
		return false
	}
	return true
}
