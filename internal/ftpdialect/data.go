package ftpdialect

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"time"
)

func (c *conn) epsv(string) {
	port, ok := c.listenPassive()
	if ok {
		c.reply(229, fmt.Sprintf("Entering Extended Passive Mode (|||%d|)", port))
	}
}

func (c *conn) pasv(string) {
	port, ok := c.listenPassive()
	if ok {
		c.reply(227, fmt.Sprintf("Entering Passive Mode (127,0,0,1,%d,%d).", port>>8, port&0xff))
	}
}

// listenPassive opens the listener of the next data connection.
func (c *conn) listenPassive() (int, bool) {
	c.closePassive()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil || !c.srv.track(ln) {
		c.reply(425, "Cannot open a passive port.")
		return 0, false
	}
	c.passive = ln
	return ln.Addr().(*net.TCPAddr).Port, true
}

func (c *conn) closePassive() {
	if c.passive != nil {
		c.srv.untrack(c.passive)
		_ = c.passive.Close() // nothing waits on it
		c.passive = nil
	}
}

// sendListing sends a listing's bytes as a data transfer ending with 226
// (or end, when not zero).
func (c *conn) sendListing(end int, listing []byte) {
	c.transfer(end, func(dc net.Conn) error {
		_, err := dc.Write(listing)
		return err
	})
}

// transfer runs a data transfer: 150, the data connection, move, 226
// (or end, when not zero). move gets the data connection.
func (c *conn) transfer(end int, move func(net.Conn) error) {
	c.rest = 0
	if c.passive == nil {
		c.reply(425, "Use PASV or EPSV first.")
		return
	}
	ln := c.passive
	c.passive = nil
	defer func() {
		c.srv.untrack(ln)
		_ = ln.Close() // one connection per PASV
	}()
	c.reply(150, "Opening BINARY mode data connection.")
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(dataTimeout))
	dc, err := ln.Accept()
	if err != nil {
		c.reply(425, "Cannot open data connection.")
		return
	}
	_ = dc.SetDeadline(time.Now().Add(dataTimeout))
	err = move(dc)
	if cerr := dc.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		c.reply(426, "Connection closed; transfer aborted.")
	case end != 0:
		c.reply(end, "MLSD complete.")
	default:
		c.reply(226, "Transfer complete.")
	}
}

func (c *conn) retr(arg string) {
	offset := c.rest
	c.rest = 0
	v := c.virtual(arg)
	f, err := os.Open(c.disk(v))
	if err != nil {
		c.failPath(550, v, err)
		return
	}
	defer func() { _ = f.Close() }() // read only
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		c.fail(550, v+": Not a plain file.")
		return
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.transfer(0, func(dc net.Conn) error {
		_, err := io.Copy(dc, f)
		return err
	})
}

func (c *conn) stor(arg string) {
	offset := c.rest
	c.rest = 0
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if offset > 0 {
		flag = os.O_WRONLY | os.O_CREATE
	}
	c.store(arg, flag, offset)
}

func (c *conn) appe(arg string) {
	if c.d.AppendRefused {
		c.fail(451, "Append/Restart not permitted")
		return
	}
	c.store(arg, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0)
}

// store receives a file into the virtual path of arg.
func (c *conn) store(arg string, flag int, offset int64) {
	v := c.virtual(arg)
	if _, err := os.Stat(c.disk(path.Dir(v))); errors.Is(err, fs.ErrNotExist) {
		code := c.d.StoreMissingDirCode
		if code == 0 {
			code = 550
		}
		c.failPath(code, v, err)
		return
	}
	f, err := os.OpenFile(c.disk(v), flag, 0o644)
	if err != nil {
		c.failPath(550, v, err)
		return
	}
	if offset > 0 {
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			_ = f.Close() // the seek's error is what matters
			c.failPath(550, v, err)
			return
		}
	}
	c.transfer(0, func(dc net.Conn) error {
		_, err := io.Copy(f, dc)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
