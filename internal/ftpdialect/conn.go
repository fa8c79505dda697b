package ftpdialect

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// conn is one control connection.
type conn struct {
	srv *Server
	d   *Dialect
	c   net.Conn
	r   *bufio.Reader

	user     string
	loggedIn bool
	cwd      string       // virtual path
	passive  net.Listener // the next data connection's, after PASV or EPSV
	rest     int64        // REST's offset, for the next RETR or STOR
	renaming string       // RNFR's virtual path
	selected map[string]bool
	quit     bool
}

func newConn(s *Server, c net.Conn) *conn {
	return &conn{srv: s, d: &s.dialect, c: c, r: bufio.NewReader(c), cwd: "/"}
}

// run greets the client and answers its commands until QUIT or an I/O
// error.
func (c *conn) run() {
	defer c.closePassive()
	c.reply(220, "ftpdialect test server ready.")
	for !c.quit {
		_ = c.c.SetReadDeadline(time.Now().Add(time.Minute)) // an idle client is dropped
		line, err := c.r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		key := verb
		if verb == "SITE" {
			sub, _, _ := strings.Cut(arg, " ")
			key = "SITE " + strings.ToUpper(sub)
		}
		c.srv.record(key, line)
		c.command(verb, key, arg)
	}
}

// reply sends a one-line reply.
func (c *conn) reply(code int, text string) {
	_ = c.c.SetWriteDeadline(time.Now().Add(dataTimeout))
	_, _ = fmt.Fprintf(c.c, "%d %s\r\n", code, text) // a broken connection ends run's next read
}

// fail sends a failure reply, or "550 Error." on a terse server.
func (c *conn) fail(code int, text string) {
	if c.d.TerseErrors {
		code, text = 550, "Error."
	}
	c.reply(code, text)
}

// failPath reports a file system error about the virtual path v.
func (c *conn) failPath(code int, v string, err error) {
	c.fail(code, fmt.Sprintf("%s: %s.", v, errText(err)))
}

// command answers one command.
func (c *conn) command(verb, key, arg string) {
	if c.srv.refused(key) || (verb == "MLST" && c.srv.refused("MLSD")) {
		c.reply(500, fmt.Sprintf("'%s': command not understood.", key))
		return
	}
	switch verb {
	case "USER":
		if c.loggedIn {
			c.reply(530, "Already logged in.")
			return
		}
		c.user = arg
		c.reply(331, "Password required.")
		return
	case "PASS":
		c.pass(arg)
		return
	case "AUTH":
		c.reply(500, "AUTH not understood.")
		return
	case "QUIT":
		c.reply(221, "Goodbye.")
		c.quit = true
		return
	case "FEAT":
		c.feat()
		return
	case "SYST":
		c.reply(215, "UNIX Type: L8")
		return
	case "NOOP":
		c.reply(200, "NOOP ok.")
		return
	}
	if !c.loggedIn {
		c.reply(530, "Please login with USER and PASS.")
		return
	}
	if h, ok := handlers[verb]; ok {
		h(c, arg)
		return
	}
	c.reply(500, fmt.Sprintf("'%s': command not understood.", verb))
}

// handlers are the commands that need a login.
var handlers = map[string]func(*conn, string){
	"OPTS": (*conn).opts, "TYPE": (*conn).typ, "PWD": (*conn).pwd, "CWD": (*conn).cwdTo,
	"CDUP": func(c *conn, _ string) { c.cwdTo("..") },
	"EPSV": (*conn).epsv, "PASV": (*conn).pasv, "REST": (*conn).restAt,
	"LIST": (*conn).list, "NLST": (*conn).nlst, "MLSD": (*conn).mlsd, "MLST": (*conn).mlst,
	"RETR": (*conn).retr, "STOR": (*conn).stor, "APPE": (*conn).appe,
	"SIZE": (*conn).size, "MDTM": (*conn).mdtm, "MFMT": (*conn).mfmt,
	"MKD": (*conn).mkd, "RMD": (*conn).rmd, "DELE": (*conn).dele,
	"RNFR": (*conn).rnfr, "RNTO": (*conn).rnto, "SITE": (*conn).site,
}

func (c *conn) pass(arg string) {
	if c.user != User || arg != Password || c.loggedIn {
		c.reply(530, "Login incorrect.")
		return
	}
	if !c.srv.login() {
		code, text, _ := strings.Cut(c.d.Busy.Reply, " ")
		n, err := strconv.Atoi(code)
		if err != nil {
			n, text = 421, "Too many users"
		}
		c.reply(n, text)
		c.quit = n == 421
		return
	}
	c.loggedIn = true
	c.reply(230, "User logged in.")
}

func (c *conn) feat() {
	var b strings.Builder
	b.WriteString("211-Features:\r\n")
	for _, f := range []string{"EPSV", "PASV", "REST STREAM", "SIZE", "MDTM", "MFMT"} {
		verb, _, _ := strings.Cut(f, " ")
		if !c.srv.refused(verb) {
			fmt.Fprintf(&b, " %s\r\n", f)
		}
	}
	if !c.srv.refused("MLSD") && !c.srv.refused("MLST") {
		if c.d.FactsOnRequest {
			b.WriteString(" MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;\r\n")
		} else {
			b.WriteString(" MLST type*;perm*;size*;modify*;unique*;unix.mode*;\r\n")
		}
	}
	b.WriteString("211 End.\r\n")
	_ = c.c.SetWriteDeadline(time.Now().Add(dataTimeout))
	_, _ = c.c.Write([]byte(b.String())) // a broken connection ends run's next read
}

func (c *conn) opts(arg string) {
	name, params, _ := strings.Cut(arg, " ")
	switch strings.ToUpper(name) {
	case "UTF8":
		c.reply(200, "Always in UTF8 mode.")
	case "MLST":
		c.selected = map[string]bool{}
		var chosen []string
		for _, f := range strings.Split(params, ";") {
			f = strings.ToLower(f)
			if knownFacts[f] {
				c.selected[f] = true
				chosen = append(chosen, f+";")
			}
		}
		c.reply(200, "MLST OPTS "+strings.Join(chosen, ""))
	default:
		c.fail(501, "Invalid argument.")
	}
}

func (c *conn) typ(arg string) {
	switch strings.ToUpper(arg) {
	case "A", "I", "L 8":
		c.reply(200, "Type set to "+arg+".")
	default:
		c.fail(504, "Unsupported type.")
	}
}

func (c *conn) pwd(string) {
	c.reply(257, fmt.Sprintf("%q is the current directory.", c.cwd))
}

func (c *conn) cwdTo(arg string) {
	v := c.virtual(arg)
	fi, err := os.Stat(c.disk(v))
	switch {
	case err != nil:
		c.failPath(550, v, err)
	case !fi.IsDir():
		c.fail(550, v+": Not a directory.")
	default:
		c.cwd = v
		c.reply(250, "CWD command successful.")
	}
}

func (c *conn) restAt(arg string) {
	n, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || n < 0 {
		c.fail(501, "Bad offset.")
		return
	}
	c.rest = n
	c.reply(350, fmt.Sprintf("Restarting at %d. Send STOR or RETR.", n))
}

// virtual returns the cleaned virtual path of a command's argument.
func (c *conn) virtual(arg string) string {
	if !path.IsAbs(arg) {
		arg = path.Join(c.cwd, arg)
	}
	return path.Clean("/" + arg)
}

// disk returns the local path of the virtual path v.
func (c *conn) disk(v string) string {
	return filepath.Join(c.srv.root, filepath.FromSlash(v))
}
