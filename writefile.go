package ftpfs

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

// writeState is a file open for writing: an upload (STOR, or APPE when
// appending) that reads from a pipe fed by Write.
type writeState struct {
	pipe      *io.PipeWriter
	done      chan error // the upload's outcome
	sess      *session
	written   int64
	appending bool
	opened    time.Time
	upload    string // the server path the upload goes to: the target, or a temporary name
}

// newWriteFile starts the upload on a pooled connection. The server's
// refusal (a missing directory, no permission) comes back from the first
// Write or from Close.
func newWriteFile(fsys *Fs, name, p string, appending bool) (*File, error) {
	s, err := fsys.pool.get(fsys.ctx, listDefault)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	w := &writeState{pipe: pw, done: make(chan error, 1), sess: s, appending: appending, opened: time.Now(), upload: p}
	if fsys.cfg.atomicWrites && !appending {
		w.upload = tempName(p)
	}
	fsys.changed(p, false)
	go func() {
		command := "STOR"
		err := s.run(fsys.ctx, func() error {
			if appending {
				command = "APPE"
				return s.conn.Append(p, pr)
			}
			return s.conn.Stor(w.upload, pr)
		})
		err = asReply(command, err)
		if err == nil {
			err = io.ErrClosedPipe // for a Write after the server is done
			w.done <- nil
		} else {
			w.done <- err
		}
		pr.CloseWithError(err)
	}()
	return &File{fs: fsys, name: name, path: p, write: w}, nil
}

// Write sends p to the server. An error means the upload failed; Close
// then reports the server's reason.
func (f *File) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return 0, f.err("write", fs.ErrClosed)
	case f.write == nil:
		return 0, f.wrongKind("write")
	}
	n, err := f.write.pipe.Write(p)
	f.write.written += int64(n)
	return n, f.err("write", err)
}

// finish ends the upload and returns the server's verdict.
func (w *writeState) finish(fsys *Fs, p string) error {
	_ = w.pipe.Close() // closing a pipe writer cannot fail
	err := <-w.done
	if err == nil && !w.appending {
		err = w.checkSize(fsys)
	}
	fsys.pool.put(w.sess, broken(err))
	if w.upload != p {
		err = w.moveInto(fsys, p, err)
	}
	fsys.changed(p, false)
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
	var size int64
	err := w.sess.run(fsys.ctx, func() (err error) {
		size, err = w.sess.conn.FileSize(w.upload)
		return err
	})
	switch {
	case err != nil && broken(err):
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
		err = fsys.withSession(listDefault, false, func(ctx context.Context, s *session) error {
			return s.run(ctx, func() error { return s.conn.Rename(w.upload, p) })
		})
		err = asReply("RNFR/RNTO", err)
	}
	if err != nil {
		_ = fsys.withSession(listDefault, false, func(ctx context.Context, s *session) error {
			return s.run(ctx, func() error { return s.conn.Delete(w.upload) })
		}) // best effort: the upload's own error is what matters
	}
	fsys.changed(w.upload, false)
	return err
}

// info describes a file being written.
func (w *writeState) info(p string) *FileInfo {
	_, name := splitPath(p)
	return newFileInfo(name, parsers.Entry{Name: name, Type: parsers.TypeFile, Size: w.written, Mode: 0o644, ModTime: w.opened})
}
