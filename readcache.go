package ftpfs

import (
	"io"
	"sync"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
)

// The read cache of an open file. Without it every small ReadAt, and
// every small Read after a Seek elsewhere, costs a transfer of its own:
// fstest.TestFS reads a file a byte at a time backwards with ReadAt, and
// sent 200,116 RETRs for three small files. So small reads fetch whole
// blocks and keep the last few:
//
//   - a Read of fewer than blockSize bytes fills a block from the
//     stream (the stream stays where the block ends, so a sequential
//     reader still costs one transfer), and serves it from memory;
//   - a ReadAt of fewer than blockSize bytes fetches the aligned block
//     that holds its offset (one transfer of at most blockSize bytes),
//     so nearby reads, forwards or backwards, cost nothing more;
//   - any Read or ReadAt at an offset a kept block holds is served from
//     it.
//
// Reads of blockSize bytes or more (io.Copy's, through WriteTo) bypass
// the cache: a big download costs no copy and no lock. A file holds at
// most cacheBlocks blocks (256 KiB), from the pool of copy buffers, and
// gives them back at Close. What a block holds is what the server sent
// when it was fetched: a file that changes on the server while open is
// not fetched again.
const (
	blockSize   = ftpconn.CopyBuffer
	cacheBlocks = 4
)

// blockCache is the read cache of one open file. Its zero value is an
// empty cache; it is safe for concurrent use (ReadAt runs in parallel).
type blockCache struct {
	mu     sync.Mutex
	blocks [cacheBlocks]cachedBlock
	tick   uint64 // for least-recently-used eviction
	// end is where a transfer ended with the server's confirmation: the
	// file's true size when the listing gave none. Valid when endKnown.
	end      int64
	endKnown bool
	// failErr is the failure a fill met after its bytes, reported when
	// Read reaches failAt, the end of what it delivered. Read's own (it
	// runs with the File's mu held).
	failErr error
	failAt  int64
}

// cachedBlock is n bytes of the file at off; buf is nil for an empty slot.
type cachedBlock struct {
	off  int64
	n    int
	buf  *[ftpconn.CopyBuffer]byte
	used uint64
}

// copyAt copies to p what the cache holds at off, and returns the bytes
// copied: 0 when no block holds off.
func (c *blockCache) copyAt(p []byte, off int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.blocks {
		b := &c.blocks[i]
		if b.buf != nil && off >= b.off && off < b.off+int64(b.n) {
			c.tick++
			b.used = c.tick
			return copy(p, b.buf[off-b.off:b.n])
		}
	}
	return 0
}

// add keeps the n bytes of buf, which hold the file at off, evicting the
// least recently used block if every slot is taken. The cache owns buf
// from then on.
func (c *blockCache) add(buf *[ftpconn.CopyBuffer]byte, off int64, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	victim := &c.blocks[0]
	for i := range c.blocks {
		b := &c.blocks[i]
		if b.buf == nil {
			victim = b
			break
		}
		if b.used < victim.used {
			victim = b
		}
	}
	if victim.buf != nil {
		ftpconn.PutBuffer(victim.buf)
	}
	c.tick++
	*victim = cachedBlock{off: off, n: n, buf: buf, used: c.tick}
}

// sawEnd records that a transfer ended, confirmed, at end.
func (c *blockCache) sawEnd(end int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.end, c.endKnown = end, true
}

// atEnd reports whether off is known to be at or past the end of the file.
func (c *blockCache) atEnd(off int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endKnown && off >= c.end
}

// active reports whether the cache holds any block.
func (c *blockCache) active() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tick > 0
}

// release gives the blocks back to the pool (at Close).
func (c *blockCache) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.blocks {
		if b := &c.blocks[i]; b.buf != nil {
			ftpconn.PutBuffer(b.buf)
			*b = cachedBlock{}
		}
	}
}

// readCached is Read's cache step, with f.mu held: a read at an offset the
// cache holds is served from it; a small read elsewhere fills a block
// from the stream. It reports false for a big read the cache does not
// hold, which goes to the stream directly.
func (f *File) readCached(p []byte) (n int, handled bool, err error) {
	r := f.read
	c := &r.blocks
	small := len(p) < blockSize
	if !small && !c.active() {
		return 0, false, nil // the fast path of a big download: no lock taken twice
	}
	if n := c.copyAt(p, r.offset); n > 0 {
		r.offset += int64(n)
		return n, true, nil
	}
	if !small {
		return 0, false, nil
	}
	if c.failErr != nil {
		err, at := c.failErr, c.failAt
		c.failErr = nil
		if at == r.offset {
			return 0, true, f.err("read", err)
		}
	}
	if c.atEnd(r.offset) || r.pastEnd(r.offset) {
		return 0, true, io.EOF
	}
	buf := ftpconn.Buffer()
	start := r.offset
	k, err := f.fill(buf[:])
	n = copy(p, buf[:k])
	switch {
	case err == io.EOF:
		c.sawEnd(start + int64(k))
	case err != nil && n > 0:
		c.failErr, c.failAt = err, start+int64(k)
	}
	if k > 0 {
		c.add(buf, start, k)
	} else {
		ftpconn.PutBuffer(buf)
	}
	r.offset = start + int64(n)
	switch {
	case n > 0:
		// The bytes first; a failure after them is reported when the
		// reader gets there.
		return n, true, nil
	case err == io.EOF:
		return 0, true, io.EOF
	}
	return 0, true, f.err("read", err)
}

// fill reads the stream into buf until it is full or the file ends, as
// Read does: a broken transfer is resumed.
func (f *File) fill(buf []byte) (int, error) {
	k := 0
	for k < len(buf) {
		n, retry, err := f.read.readOnce(f.fs, f.path, buf[k:])
		k += n
		switch {
		case retry:
			f.fs.cfg.logger.Info("ftpfs: transfer broken; resuming", "path", f.path, "offset", f.read.offset, "error", err)
		case err != nil:
			return k, err
		}
	}
	return k, nil
}

// readAtCached is ReadAt's cache step, for a read of fewer than blockSize
// bytes: it serves what the cache holds and fetches the aligned blocks it
// does not, each with a ReadAt of a whole block. It reports false for a
// bigger read, which runs its own transfer.
func (f *File) readAtCached(p []byte, off int64) (total int, handled bool, err error) {
	if len(p) >= blockSize {
		return 0, false, nil
	}
	r := f.read
	c := &r.blocks
	for total < len(p) {
		o := off + int64(total)
		if n := c.copyAt(p[total:], o); n > 0 {
			total += n
			continue
		}
		if c.atEnd(o) || r.pastEnd(o) {
			return total, true, io.EOF
		}
		base := o &^ (blockSize - 1)
		buf := ftpconn.Buffer()
		n, err := f.ReadAt(buf[:], base) // a whole block: not cached, its own transfer
		m := 0
		if int(o-base) < n {
			m = copy(p[total:], buf[o-base:n])
		}
		if err == io.EOF {
			c.sawEnd(base + int64(n))
		}
		if n > 0 {
			c.add(buf, base, n)
		} else {
			ftpconn.PutBuffer(buf)
		}
		total += m
		switch {
		case err != nil && err != io.EOF:
			return total, true, err
		case m == 0:
			return total, true, io.EOF // err is io.EOF: the file ends before o
		}
	}
	return total, true, nil
}
