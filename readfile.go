package ftpfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
)

// readState is a file open for reading. Seek only records the offset; the
// next Read starts a transfer there (RETR after REST) when the current one
// is elsewhere.
type readState struct {
	info   *FileInfo
	offset int64 // where the next Read starts

	stream  *ftpconn.Download // the transfer in progress, if any
	sess    *ftpconn.Session  // the connection it holds
	pos     int64             // the offset of the stream's next byte
	resumes int               // resumptions since bytes last arrived
	blocks  blockCache        // what small reads fetched (readcache.go)
	lazy    lazyStat          // the listing's information, when the open had SIZE's only (openprobe.go)
}

func newReadFile(fsys *Fs, name, p string, info *FileInfo) *File {
	return &File{fs: fsys, name: name, path: p, read: &readState{info: info}}
}

// Read reads from the file at its offset. It returns io.EOF only after
// the server confirmed the whole transfer (226) and, where the listing
// gave the size, all of it arrived; a transfer that ends short is an error
// wrapping io.ErrUnexpectedEOF. A transfer broken by the network (or by a
// transient 4xx from the server) is resumed with REST at the last byte
// delivered, up to maxResumes times in a row.
func (f *File) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.readable(); err != nil || len(p) == 0 {
		return 0, err
	}
	if n, handled, err := f.readCached(p); handled {
		return n, err
	}
	for {
		n, retry, err := f.read.readOnce(f.fs, f.path, p)
		switch {
		case retry:
		case err == io.EOF:
			return n, io.EOF
		default:
			return n, f.err("read", err)
		}
		f.fs.cfg.logger.Info("ftpfs: transfer broken; resuming", "path", f.path, "offset", f.read.offset, "error", err)
	}
}

// WriteTo writes the rest of the file to w and returns the bytes
// written; io.Copy calls it. It reads with a 64 KiB buffer, which costs
// half the system calls and wake-ups of io.Copy's 32 KiB, and
// otherwise behaves as Read: the transfer is resumed where it broke, and
// one that ends short is an error (wrapping io.ErrUnexpectedEOF). An
// error of w is returned as it is. Like Read, it may run concurrently
// with ReadAt and Close (which ends it with fs.ErrClosed).
func (f *File) WriteTo(w io.Writer) (int64, error) {
	pooled := ftpconn.Buffer()
	defer ftpconn.PutBuffer(pooled)
	buf := pooled[:]
	var total int64
	for {
		n, err := f.Read(buf)
		if n > 0 {
			written, werr := w.Write(buf[:n])
			total += int64(written)
			switch {
			case werr != nil:
				return total, werr
			case written < n:
				return total, io.ErrShortWrite
			}
		}
		switch {
		case err == io.EOF:
			return total, nil
		case err != nil:
			return total, err
		}
	}
}

// readable reports why f cannot be read, if it cannot.
func (f *File) readable() error {
	switch {
	case f.closed:
		return f.err("read", fs.ErrClosed)
	case f.read == nil:
		return f.wrongKind("read")
	}
	return nil
}

// maxResumes bounds how many times in a row a broken transfer is resumed
// (REST at the last byte delivered) before Read reports the error.
const maxResumes = 3

// readOnce reads from the transfer at r.offset, starting one if needed.
// It reports retry when the transfer broke before delivering anything and
// may be resumed.
func (r *readState) readOnce(fsys *Fs, p string, buf []byte) (n int, retry bool, err error) {
	if r.stream != nil && r.pos != r.offset {
		r.stop(fsys, true)
	}
	if r.stream == nil {
		if r.pastEnd(r.offset) {
			return 0, false, io.EOF
		}
		if err := r.start(fsys, p); err != nil {
			// A connection that broke while idle in the pool: try a new
			// one.
			retry := ftpconn.Broken(err) && r.resumes < maxResumes && fsys.ctx.Err() == nil
			if retry {
				r.resumes++
			}
			return 0, retry, err
		}
	}
	n, err = r.stream.Read(buf)
	r.pos += int64(n)
	r.offset = r.pos
	if n > 0 {
		r.resumes = 0
	}
	switch {
	case err == io.EOF:
		stopErr := r.stop(fsys, false)
		short := r.pos < r.info.Size()
		switch {
		case stopErr == nil && !short:
			return n, false, io.EOF
		case !short:
			// Every byte came, but the server says the transfer failed,
			// or its verdict was lost (then verified).
			if stopErr = fsys.verifyTransfer(p, r.pos, stopErr); stopErr == nil {
				return n, false, io.EOF
			}
			return n, false, stopErr
		case n > 0:
			return n, false, nil // the next Read resumes
		case r.resumes < maxResumes && fsys.ctx.Err() == nil:
			// Short of the listed size: a cut connection (some servers
			// report those as 226, others as 426, 451 or 550), or a file
			// that shrank, which gives nothing more, and the error stands.
			r.resumes++
			return 0, true, io.ErrUnexpectedEOF
		}
		return n, false, errors.Join(fmt.Errorf("transfer ended at byte %d of %d: %w", r.pos, r.info.Size(), io.ErrUnexpectedEOF), stopErr)
	case err != nil:
		r.fail(fsys)
		switch {
		case isStalled(err):
			return n, false, err // a stall already took the whole timeout
		case n > 0:
			return n, false, nil // the next Read resumes
		case r.resumes < maxResumes && fsys.ctx.Err() == nil:
			r.resumes++
			return 0, true, err
		}
		return n, false, err
	}
	return n, false, nil
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
	s, err := fsys.getSession(ftpconn.ListDefault)
	if err != nil {
		return err
	}
	stream, err := s.Retr(fsys.ctx, p, r.offset)
	if err != nil {
		fsys.pool.Put(s, err)
		return fsys.classify(p, err)
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
	var err error
	if early {
		if r.stream.Abandon(r.info.Size() - r.pos) {
			fsys.pool.Discard(r.sess)
		} else {
			fsys.pool.Put(r.sess, nil)
		}
	} else {
		err = r.stream.Close()
		fsys.pool.Put(r.sess, err)
	}
	r.stream, r.sess = nil, nil
	return err
}

// fail drops a transfer whose data connection failed.
func (r *readState) fail(fsys *Fs) {
	_ = r.stream.Close() // the read error is what matters
	fsys.pool.Discard(r.sess)
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
	if r != nil && r.stream != nil {
		// Give back the connection Read holds, which ReadAt may need (the
		// next Read starts again at its offset).
		r.stop(f.fs, true)
	}
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
	if n, handled, err := f.readAtCached(p, off); handled {
		return n, err
	}
	total := 0
	for attempt := 0; ; attempt++ {
		n, retry, err := f.readAt(p[total:], off+int64(total))
		total += n
		end := off + int64(total)
		switch {
		case err == nil:
			return total, nil
		case err == io.EOF && end >= r.info.Size():
			return total, io.EOF
		case attempt < maxResumes && (retry || n > 0 || err == io.EOF) && !isStalled(err):
			// A broken connection, or a transfer short of the listed
			// size: try the rest.
			continue
		case err == io.EOF:
			err = fmt.Errorf("transfer ended at byte %d of %d: %w", end, r.info.Size(), io.ErrUnexpectedEOF)
		}
		return total, f.err("read", f.fs.classify(f.path, err))
	}
}

// readAt is one attempt of ReadAt, on a pooled connection. It reports
// whether the connection broke before any byte arrived, so that the
// attempt may be repeated on a fresh one.
func (f *File) readAt(p []byte, off int64) (n int, retry bool, err error) {
	fsys := f.fs
	s, err := fsys.getSession(ftpconn.ListDefault)
	if err != nil {
		return 0, false, err
	}
	stream, err := s.Retr(fsys.ctx, f.path, off)
	if err != nil {
		fsys.pool.Put(s, err)
		return 0, ftpconn.Broken(err), err
	}
	n, err = io.ReadFull(stream, p)
	if err == nil { // cut short on purpose
		if stream.Abandon(f.read.info.Size() - off - int64(n)) {
			fsys.pool.Discard(s)
		} else {
			fsys.pool.Put(s, nil)
		}
		return n, false, nil
	}
	closeErr := stream.Close()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF:
		fsys.pool.Put(s, closeErr)
		if closeErr != nil { // the transfer must have ended well
			return n, false, closeErr
		}
		return n, false, io.EOF
	}
	fsys.pool.Discard(s)
	return n, true, err
}
