package ftpfs

import (
	"context"
	"errors"
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

// writeState is a file open for writing. Its upload (STOR, or APPE when
// appending) starts at open, so that the file exists on the server once
// OpenFile returns, as with os.Create, and a refusal (a missing
// directory, no permission) fails the open. The transfer runs on a
// goroutine of its own and reads a feed: Write gives it bytes, ReadFrom
// its reader, which the transfer reads on that goroutine with a 64 KiB
// buffer and no copy in between. Close ends the feed and returns the
// server's verdict.
type writeState struct {
	sess      *ftpconn.Session
	written   int64
	appending bool
	checked   bool // ask the server the size after the upload
	opened    time.Time
	upload    string // the server path the upload goes to: the target, or a temporary name

	feed   *feed
	done   chan struct{} // closed when the transfer has ended
	result error         // the transfer's outcome, once done is closed
	failed error         // the upload's verdict, once known to be a failure
}

// writeMode says how a file is written.
type writeMode struct {
	appending bool // APPE at the end of the file, else STOR from its start
	check     check
	// atomic uploads to a hidden temporary name, renamed over the
	// target once checked (appends are never atomic).
	atomic bool
}

// newWriteFile takes a pooled connection and starts the upload to p.
// It returns once the server took the command (or refused it: the
// refusal is the error, classified).
func newWriteFile(fsys *Fs, name, p string, u writeMode) (*File, error) {
	appending := u.appending
	s, err := fsys.getSession(ftpconn.ListDefault)
	if err != nil {
		return nil, err
	}
	w := &writeState{sess: s, appending: appending, checked: u.check == checked, opened: time.Now(), upload: p,
		feed: newFeed(), done: make(chan struct{})}
	if u.atomic && !appending {
		w.upload = tempName(p)
	}
	fsys.changed(p, entryOnly)
	go func() {
		_, w.result = s.Store(fsys.ctx, w.upload, w.feed, appending)
		close(w.done)
	}()
	select {
	case <-w.feed.started:
		return &File{fs: fsys, name: name, path: p, write: w}, nil
	case <-w.done:
	}
	if w.result == nil { // an empty upload that ended at once: cannot happen before Close
		w.result = errors.New("the upload ended before it began")
	}
	fsys.pool.Put(s, w.result)
	fsys.changed(p, entryOnly)
	err = fsys.classifyWrite(p, w.result)
	if appending && refusedByPolicy(err) {
		if e, lookErr := fsys.lookup(p); lookErr == nil && !e.IsDir() {
			// APPE to a file that is there, refused as not permitted:
			// the server's policy (proftpd's "451 Append/Restart not
			// permitted"), which no retry changes.
			err = withKind(err, errors.ErrUnsupported)
		}
	}
	return nil, err
}

// refusedByPolicy reports whether err is a reply that says the command
// is not permitted or not allowed.
func refusedByPolicy(err error) bool {
	var r *ReplyError
	if !errors.As(err, &r) {
		return false
	}
	msg := strings.ToLower(r.Message)
	return strings.Contains(msg, "not permitted") || strings.Contains(msg, "not allowed")
}

// send gives the transfer one part and returns the bytes taken. An error
// means the upload failed: the source's error, or the transfer's.
func (w *writeState) send(pt *part) (int64, error) {
	n, err := w.feed.give(pt, w.done)
	w.written += n
	if err == nil {
		select {
		case <-w.done:
			err = w.result
			if err == nil {
				err = errors.New("the server ended the upload early")
			}
		default:
		}
	}
	if err != nil && w.failed == nil {
		w.failed = err
	}
	return n, err
}

// Write sends p to the server. An error means the upload failed; Close
// then reports the server's reason.
func (f *File) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.writable(); err != nil || len(p) == 0 {
		return 0, err
	}
	n, err := f.write.send(&part{p: p})
	return int(n), f.err("write", err)
}

// ReadFrom sends what r gives, up to io.EOF, and returns the bytes sent;
// io.Copy calls it. The transfer reads r directly, with a 64 KiB buffer.
// An error means the upload failed, as for Write; an error of r is
// returned as it is, and fails the upload.
func (f *File) ReadFrom(r io.Reader) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.writable(); err != nil {
		return 0, err
	}
	n, err := f.write.send(&part{r: r})
	return n, f.err("write", err)
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
	w.feed.close()
	<-w.done
	err := w.result
	if w.failed != nil {
		err = w.failed
	}
	if err == nil && w.checked && !w.appending {
		err = w.checkSize(fsys)
	}
	fsys.pool.Put(w.sess, err)
	if !w.appending {
		err = fsys.verifyTransfer(w.upload, w.written, err) // a lost final reply
	}
	if w.upload != p {
		err = w.moveInto(fsys, p, err)
	}
	fsys.changed(p, entryOnly)
	if err == nil {
		return nil
	}
	return fsys.classifyWrite(p, err)
}

// classifyWrite says what a refused or failed upload to p means: writing
// a directory is syscall.EISDIR; a missing directory fs.ErrNotExist.
func (f *Fs) classifyWrite(p string, err error) error {
	if isAmbiguous(err) {
		if e, lookErr := f.lookup(p); lookErr == nil && e.IsDir() {
			return withKind(err, errIsDir)
		}
	}
	return f.classify(p, err)
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
