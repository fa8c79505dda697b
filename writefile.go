package ftpfs

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
)

// writeState is a file open for writing. Its upload starts with the
// first Write, ReadFrom or Close: Write feeds a transfer (STOR, or APPE
// when appending) through a pipe; ReadFrom, before any Write, hands its
// reader to the transfer itself, so the copy runs in the caller's
// goroutine with a 64 KiB buffer. Data written after a transfer has ended
// is appended (APPE).
type writeState struct {
	sess      *ftpconn.Session
	written   int64
	appending bool
	checked   bool // ask the server the size after the upload
	opened    time.Time
	upload    string // the server path the upload goes to: the target, or a temporary name

	pipe      *io.PipeWriter // while a Write's transfer runs
	done      chan error     // that transfer's outcome
	transfers int            // transfers ended
	failed    error          // the first transfer's failure: the upload's verdict
}

// newWriteFile takes a pooled connection for an upload to p. The
// server's refusal (a missing directory, no permission) comes back from
// the first Write or ReadFrom, or from Close.
func newWriteFile(fsys *Fs, name, p string, appending, checked bool) (*File, error) {
	s, err := fsys.pool.Get(fsys.ctx, ftpconn.ListDefault)
	if err != nil {
		return nil, err
	}
	w := &writeState{sess: s, appending: appending, checked: checked, opened: time.Now(), upload: p}
	if fsys.cfg.atomicWrites && !appending {
		w.upload = tempName(p)
	}
	fsys.changed(p, entryOnly)
	return &File{fs: fsys, name: name, path: p, write: w}, nil
}

// send runs one transfer of everything r gives and returns the bytes the
// data connection took. The first transfer of a write from the start is
// a STOR; an append, or a continuation after an earlier transfer, is an
// APPE. It changes nothing in w, so that it may run on another goroutine;
// ended records its outcome.
func (w *writeState) send(fsys *Fs, r io.Reader) (int64, error) {
	return w.sess.Store(fsys.ctx, w.upload, r, w.appending || w.transfers > 0)
}

// ended records the outcome of a transfer and returns its error.
func (w *writeState) ended(err error) error {
	w.transfers++
	if err != nil && w.failed == nil {
		w.failed = err
	}
	return err
}

// startPipe starts a transfer fed by Write.
func (w *writeState) startPipe(fsys *Fs) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	w.pipe, w.done = pw, done
	go func() {
		_, err := w.send(fsys, pr)
		done <- err
		if err == nil {
			err = io.ErrClosedPipe // for a Write after the server is done
		}
		pr.CloseWithError(err)
	}()
}

// endPipe ends the transfer Write feeds, if one runs, and returns its
// outcome.
func (w *writeState) endPipe() error {
	if w.pipe == nil {
		return nil
	}
	_ = w.pipe.Close() // closing a pipe writer cannot fail
	err := <-w.done
	w.pipe, w.done = nil, nil
	return w.ended(err)
}

// Write sends p to the server. An error means the upload failed; Close
// then reports the server's reason.
func (f *File) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.writable(); err != nil {
		return 0, err
	}
	w := f.write
	if w.pipe == nil {
		w.startPipe(f.fs)
	}
	n, err := w.pipe.Write(p)
	w.written += int64(n)
	return n, f.err("write", err)
}

// ReadFrom sends what r gives, up to io.EOF, and returns the bytes sent;
// io.Copy calls it. Before any Write, the transfer reads r directly on
// the caller's goroutine, with a 64 KiB buffer and no pipe in between.
// An error means the upload failed, as for Write.
func (f *File) ReadFrom(r io.Reader) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.writable(); err != nil {
		return 0, err
	}
	w := f.write
	if w.pipe != nil { // Write's transfer runs: add to it
		n, err := ftpconn.CopyBuffered(w.pipe, r)
		w.written += n
		return n, f.err("write", err)
	}
	n, err := w.send(f.fs, r)
	w.written += n
	return n, f.err("write", w.ended(err))
}

// writable reports why f cannot take more bytes, if it cannot: it is
// closed, not open for writing, or its upload already failed.
func (f *File) writable() error {
	switch {
	case f.closed:
		return f.err("write", fs.ErrClosed)
	case f.write == nil:
		return f.wrongKind("write")
	case f.write.failed != nil:
		return f.err("write", f.write.failed)
	}
	return nil
}

// finish ends the upload and returns the server's verdict.
func (w *writeState) finish(fsys *Fs, p string) error {
	err := w.endPipe()
	if w.transfers == 0 { // nothing written: an empty file
		_, sendErr := w.send(fsys, strings.NewReader(""))
		err = w.ended(sendErr)
	}
	if w.failed != nil {
		err = w.failed
	}
	if err == nil && w.checked && !w.appending {
		err = w.checkSize(fsys)
	}
	fsys.pool.Put(w.sess, err)
	if !w.appending && w.transfers == 1 {
		err = fsys.verifyTransfer(w.upload, w.written, err) // a lost final reply
	}
	if w.upload != p {
		err = w.moveInto(fsys, p, err)
	}
	fsys.changed(p, entryOnly)
	if err == nil {
		return nil
	}
	if isAmbiguous(err) {
		if e, lookErr := fsys.lookup(p); lookErr == nil && e.IsDir() {
			return withKind(err, errIsDir)
		}
	}
	return fsys.classify(p, err)
}

// tempName is the name an atomic write uploads to: hidden, beside the
// target, and unlikely to meet another's.
func tempName(p string) string {
	dir, name := splitPath(p)
	return path.Join(dir, fmt.Sprintf(".%s.ftpfs-%d.tmp", name, rand.Uint64()))
}

// checkSize asks the server (SIZE) how many bytes it stored: FTP marks
// the end of an upload by closing the data connection, so a connection
// cut cleanly in the middle looks like a complete, shorter file to the
// server. A server without SIZE, or one that will not tell, is trusted.
func (w *writeState) checkSize(fsys *Fs) error {
	size, err := w.sess.Size(fsys.ctx, w.upload)
	switch {
	case err != nil && ftpconn.Broken(err):
		return err
	case err == nil && size != w.written:
		return fmt.Errorf("the server stored %d of the %d bytes sent: %w", size, w.written, io.ErrUnexpectedEOF)
	}
	return nil
}

// moveInto ends an atomic write: the finished upload takes the target's
// name (RNFR/RNTO); a failed one is deleted, so no partial file ever
// carries the target's name.
func (w *writeState) moveInto(fsys *Fs, p string, uploadErr error) error {
	err := uploadErr
	if err == nil {
		err = fsys.withSession(change, func(ctx context.Context, s *ftpconn.Session) error {
			return s.Rename(ctx, w.upload, p)
		})
	}
	if err != nil {
		_ = fsys.withSession(change, func(ctx context.Context, s *ftpconn.Session) error {
			return s.Delete(ctx, w.upload)
		}) // best effort: the upload's own error is what matters
	}
	fsys.changed(w.upload, entryOnly)
	return err
}

// info describes a file being written.
func (w *writeState) info(p string) *FileInfo {
	_, name := splitPath(p)
	return newFileInfo(name, parsers.Entry{Name: name, Type: parsers.TypeFile, Size: w.written, Mode: 0o644, ModTime: w.opened})
}
