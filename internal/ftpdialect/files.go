package ftpdialect

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// timeFormat is the time-val of MDTM, MFMT and MLSD's modify fact.
const timeFormat = "20060102150405"

func (c *conn) size(arg string) {
	v := c.virtual(arg)
	fi, err := os.Stat(c.disk(v))
	switch {
	case err != nil:
		c.failPath(550, v, err)
	case !fi.Mode().IsRegular():
		c.fail(550, v+": not a plain file.")
	default:
		c.reply(213, strconv.FormatInt(fi.Size(), 10))
	}
}

// mdtm takes its whole argument as a path, as inetutils does: "MDTM
// <time> <path>" asks for a file named "<time> <path>".
func (c *conn) mdtm(arg string) {
	v := c.virtual(arg)
	fi, err := os.Stat(c.disk(v))
	if err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(213, fi.ModTime().UTC().Format(timeFormat))
}

func (c *conn) mfmt(arg string) {
	stamp, name, _ := strings.Cut(arg, " ")
	t, err := time.Parse(timeFormat, stamp)
	if err != nil {
		c.fail(501, "Bad time.")
		return
	}
	v := c.virtual(name)
	if err := os.Chtimes(c.disk(v), t, t); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(213, fmt.Sprintf("Modify=%s; %s", stamp, v))
}

func (c *conn) mkd(arg string) {
	v := c.virtual(arg)
	mkdir := os.Mkdir
	if c.d.MkdirParents {
		if _, err := os.Lstat(c.disk(v)); err == nil {
			c.fail(550, v+": File exists.")
			return
		}
		mkdir = os.MkdirAll
	}
	if err := mkdir(c.disk(v), 0o755); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(257, fmt.Sprintf("%q directory created.", v))
}

func (c *conn) rmd(arg string) {
	v := c.virtual(arg)
	fi, err := os.Lstat(c.disk(v))
	switch {
	case err != nil:
		c.failPath(550, v, err)
		return
	case !fi.IsDir():
		c.fail(550, v+": Not a directory.")
		return
	}
	if err := os.Remove(c.disk(v)); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(250, "RMD command successful.")
}

func (c *conn) dele(arg string) {
	v := c.virtual(arg)
	if c.d.DeleFollowsLinks {
		target, err := os.Stat(c.disk(v))
		switch {
		case err != nil:
			c.failPath(550, v, err)
			return
		case target.IsDir():
			c.fail(550, v+": Not a directory.") // the daemons' words for a link to a directory
			return
		}
	}
	fi, err := os.Lstat(c.disk(v))
	switch {
	case err != nil:
		c.failPath(550, v, err)
		return
	case fi.IsDir():
		c.fail(550, v+": Is a directory.")
		return
	}
	if err := os.Remove(c.disk(v)); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(250, "DELE command successful.")
}

func (c *conn) rnfr(arg string) {
	v := c.virtual(arg)
	if _, err := os.Lstat(c.disk(v)); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.renaming = v
	c.reply(350, "File exists, ready for destination name.")
}

func (c *conn) rnto(arg string) {
	from := c.renaming
	c.renaming = ""
	if from == "" {
		c.fail(503, "Bad sequence of commands.")
		return
	}
	v := c.virtual(arg)
	if err := os.Rename(c.disk(from), c.disk(v)); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(250, "RNTO command successful.")
}

// site has SITE CHMOD only.
func (c *conn) site(arg string) {
	sub, rest, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(sub, "CHMOD") {
		c.reply(500, fmt.Sprintf("'SITE %s': command not understood.", strings.ToUpper(sub)))
		return
	}
	modeText, name, _ := strings.Cut(rest, " ")
	mode, err := strconv.ParseUint(modeText, 8, 32)
	if err != nil || mode > 0o7777 {
		c.fail(501, "Bad mode.")
		return
	}
	v := c.virtual(name)
	if err := os.Chmod(c.disk(v), os.FileMode(mode&0o777)|unixBits(mode)); err != nil {
		c.failPath(550, v, err)
		return
	}
	c.reply(200, "SITE CHMOD successful.")
}

// unixBits turns the setuid, setgid and sticky bits of a Unix mode into
// Go's.
func unixBits(mode uint64) os.FileMode {
	var m os.FileMode
	if mode&0o4000 != 0 {
		m |= os.ModeSetuid
	}
	if mode&0o2000 != 0 {
		m |= os.ModeSetgid
	}
	if mode&0o1000 != 0 {
		m |= os.ModeSticky
	}
	return m
}
