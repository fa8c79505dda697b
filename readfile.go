package ftpfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/jlaffaye/ftp"
)

// readState is a file open for reading. Seek only records the offset; the
// next Read starts a transfer there (RETR after REST) when the current one
// is elsewhere.
type readState struct {
	info   *FileInfo
	offset int64 // where the next Read starts

	stream *ftp.Response // the transfer in progress, if any
	sess   *session      // the connection it holds
	pos    int64         // the offset of the stream's next byte
}

func newReadFile(fsys *Fs, name, p string, info *FileInfo) *File {
	return &File{fs: fsys, name: name, path: p, read: &readState{info: info}}
}

// Read reads from the file at its offset. It returns io.EOF only after
// the server confirmed the whole transfer (226) and, where the listing
// gave the size, all of it arrived; a transfer that ends short is an error
// wrapping io.ErrUnexpectedEOF.
func (f *File) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return 0, f.err("read", fs.ErrClosed)
	case f.read == nil:
		return 0, f.wrongKind("read")
	case len(p) == 0:
		return 0, nil
	}
	r := f.read
	if r.stream != nil && r.pos != r.offset {
		r.stop(f.fs, true)
	}
	if r.stream == nil {
		if r.pastEnd(r.offset) {
			return 0, io.EOF
		}
		if err := r.start(f.fs, f.path); err != nil {
			return 0, f.err("read", err)
		}
	}
	if t := f.fs.cfg.timeout; t > 0 {
		_ = r.stream.SetDeadline(time.Now().Add(t)) // a failure shows up in Read
	}
	n, err := r.stream.Read(p)
	r.pos += int64(n)
	r.offset = r.pos
	switch {
	case err == io.EOF:
		if err := r.stop(f.fs, false); err != nil {
			return n, f.err("read", err)
		}
		if r.pos < r.info.Size() {
			return n, f.err("read", fmt.Errorf("transfer ended at byte %d of %d: %w", r.pos, r.info.Size(), io.ErrUnexpectedEOF))
		}
		return n, io.EOF
	case err != nil:
		r.fail(f.fs)
		return n, f.err("read", err)
	}
	return n, nil
}

// pastEnd reports whether a read at off can be answered with io.EOF
// without a transfer: the listing gave a size and off is at or past it.
// A listed size of 0 proves nothing (an MLSD entry may lack the size
// fact), so an empty file costs a transfer.
func (r *readState) pastEnd(off int64) bool {
	size := r.info.Size()
	return size > 0 && off >= size
}

// start opens a transfer at r.offset on a pooled connection.
func (r *readState) start(fsys *Fs, p string) error {
	s, err := fsys.pool.get(fsys.ctx, listDefault)
	if err != nil {
		return err
	}
	var stream *ftp.Response
	err = s.run(fsys.ctx, func() (err error) {
		stream, err = s.conn.RetrFrom(p, uint64(r.offset))
		return err
	})
	if err != nil {
		fsys.pool.put(s, broken(err))
		return fsys.classify(p, asReply("RETR", err))
	}
	r.stream, r.sess, r.pos = stream, s, r.offset
	return nil
}

// stop ends the transfer in progress and gives its connection back. When
// early, the server's complaint about the cut transfer (426, 450, 451,
// 550) is expected and not an error; a connection that answered anything
// else is not reused.
func (r *readState) stop(fsys *Fs, early bool) error {
	if r.stream == nil {
		return nil
	}
	err := r.stream.Close()
	code := replyCode(err)
	isBroken := broken(err)
	if early {
		isBroken = isBroken || err != nil && code != 426 && code != 450 && code != 451 && code != 550
		err = nil
	}
	fsys.pool.put(r.sess, isBroken)
	r.stream, r.sess = nil, nil
	return asReply("RETR", err)
}

// fail drops a transfer whose data connection failed.
func (r *readState) fail(fsys *Fs) {
	_ = r.stream.Close() // the read error is what matters
	fsys.pool.put(r.sess, true)
	r.stream, r.sess = nil, nil
}

// Seek sets the offset of the next Read. It does no I/O: io.SeekEnd uses
// the size the listing gave. Seeking a file open for writing fails with
// syscall.EBADF (unless it asks for the current offset).
func (f *File) Seek(offset int64, whence int) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, f.err("seek", fs.ErrClosed)
	}
	if f.write != nil && offset == 0 && whence == io.SeekCurrent {
		return f.write.written, nil
	}
	if f.dir != nil && offset == 0 && whence == io.SeekStart {
		f.dir.pos = 0 // rewind, as for os.File
		return 0, nil
	}
	if f.read == nil {
		return 0, f.wrongKind("seek")
	}
	r := f.read
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.offset
	case io.SeekEnd:
		offset += r.info.Size()
	default:
		return 0, f.err("seek", fs.ErrInvalid)
	}
	if offset < 0 {
		return 0, f.err("seek", fs.ErrInvalid)
	}
	r.offset = offset
	return offset, nil
}

// ReadAt reads len(p) bytes at offset off with a transfer of its own, on a
// connection of its own, so calls may run in parallel with each other and
// with Read. Like io.ReaderAt it returns io.EOF with fewer bytes at the
// end of the file.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	closed, r := f.closed, f.read
	f.mu.Unlock()
	switch {
	case closed:
		return 0, f.err("read", fs.ErrClosed)
	case r == nil:
		return 0, f.wrongKind("read")
	case off < 0:
		return 0, f.err("read", fs.ErrInvalid)
	case len(p) == 0:
		return 0, nil
	case r.pastEnd(off):
		return 0, io.EOF
	}
	n := 0
	err := f.fs.withSession(listDefault, true, func(ctx context.Context, s *session) error {
		var stream *ftp.Response
		err := s.run(ctx, func() (err error) {
			stream, err = s.conn.RetrFrom(f.path, uint64(off))
			return err
		})
		if err != nil {
			return asReply("RETR", err)
		}
		part := &readState{info: r.info, stream: stream, sess: s}
		n, err = io.ReadFull(stream, p)
		part.sess = nil // withSession gives the connection back
		closeErr := stream.Close()
		if err == nil { // cut short on purpose
			return nil
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			if closeErr != nil {
				return asReply("RETR", closeErr)
			}
			return io.EOF
		}
		return err
	})
	if err == io.EOF {
		return n, io.EOF
	}
	return n, f.err("read", f.fs.classify(f.path, err))
}
