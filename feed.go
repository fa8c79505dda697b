package ftpfs

import (
	"io"
	"sync"
)

// feed is the reader of an upload's transfer (STOR or APPE), which runs
// on a goroutine of its own from the open of the file to its Close. It
// reads what Write and ReadFrom give it, one part at a time: the bytes of
// a Write, or a ReadFrom's reader, which the transfer reads straight into
// its 64 KiB buffer until io.EOF, with no copy in between. Close ends the
// feed, and so the transfer.
type feed struct {
	parts   chan *part
	started chan struct{} // closed at the transfer's first read: the server took the command
	once    sync.Once
	cur     *part // the transfer goroutine's
}

// part is one Write's bytes, or one ReadFrom's reader.
type part struct {
	p    []byte
	r    io.Reader
	n    int64         // bytes taken so far
	err  error         // r's failure (not io.EOF), which fails the upload
	done chan struct{} // closed when the part is taken whole, or failed
}

func newFeed() *feed {
	return &feed{parts: make(chan *part), started: make(chan struct{})}
}

// Read gives the transfer the next bytes; io.EOF once the feed is closed.
func (fd *feed) Read(buf []byte) (int, error) {
	fd.once.Do(func() { close(fd.started) })
	for {
		if fd.cur == nil {
			pt, ok := <-fd.parts
			if !ok {
				return 0, io.EOF
			}
			fd.cur = pt
		}
		pt := fd.cur
		if pt.r == nil {
			n := copy(buf, pt.p[pt.n:])
			pt.n += int64(n)
			if pt.n == int64(len(pt.p)) {
				fd.taken()
			}
			return n, nil
		}
		n, err := pt.r.Read(buf)
		pt.n += int64(n)
		switch {
		case err == io.EOF:
			fd.taken()
			if n == 0 {
				continue
			}
		case err != nil:
			pt.err = err
			fd.taken()
			return n, err
		}
		return n, nil
	}
}

// taken ends the current part.
func (fd *feed) taken() {
	close(fd.cur.done)
	fd.cur = nil
}

// give hands pt to the transfer and waits until it is taken whole, or
// until the transfer ends (transferDone), whichever comes first. It
// returns the bytes taken, and pt's own failure. The transfer reads the
// part only until give returns, so give owns pt again then.
func (fd *feed) give(pt *part, transferDone <-chan struct{}) (int64, error) {
	pt.done = make(chan struct{})
	select {
	case fd.parts <- pt:
	case <-transferDone:
		return 0, nil
	}
	select {
	case <-pt.done:
	case <-transferDone:
	}
	return pt.n, pt.err
}

// close ends the feed: the transfer sees io.EOF.
func (fd *feed) close() { close(fd.parts) }
