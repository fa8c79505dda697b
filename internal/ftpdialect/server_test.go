package ftpdialect

import (
	"io"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The server's replies, byte for byte where docs/dialects-found.md
// quotes the real daemon's.

// step is one command and what must come back: the final reply's code,
// and text that the reply (or, for a listing, the data) contains.
type step struct {
	command string
	code    int
	has     string // in the final reply, or in the data of a transfer
	hasNot  string // not in the data
}

// client is a raw FTP client.
type client struct {
	t    *testing.T
	conn *textproto.Conn
	addr string
}

func dial(t *testing.T, s *Server) *client {
	t.Helper()
	c, err := textproto.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if _, _, err := c.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	return &client{t: t, conn: c, addr: s.Addr()}
}

// send sends a command and returns its reply.
func (c *client) send(command string) (int, string) {
	c.t.Helper()
	if err := c.conn.PrintfLine("%s", command); err != nil {
		c.t.Fatal(err)
	}
	code, msg, err := c.conn.ReadResponse(0)
	if err != nil {
		c.t.Fatalf("%s: %v", command, err)
	}
	return code, msg
}

// transfer sends EPSV and a data command, and returns the final reply
// and the data.
func (c *client) transfer(command string) (int, string, string) {
	c.t.Helper()
	code, msg := c.send("EPSV")
	if code != 229 {
		c.t.Fatalf("EPSV = %d %s", code, msg)
	}
	port := strings.Trim(msg[strings.Index(msg, "(")+1:strings.Index(msg, ")")], "|")
	host, _, _ := net.SplitHostPort(c.addr)
	dc, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = dc.Close() }()
	code, msg = c.send(command)
	if code != 150 {
		return code, msg, ""
	}
	data, err := io.ReadAll(dc)
	if err != nil {
		c.t.Fatal(err)
	}
	code, msg, err = c.conn.ReadResponse(0)
	if err != nil {
		c.t.Fatal(err)
	}
	return code, msg, string(data)
}

// run runs the steps, logged in, against a server of dialect d over a
// directory with a file, a directory with a blank, and links.
func run(t *testing.T, d Dialect, steps []step) {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"dir", "with space"} {
		if err := os.Mkdir(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "file.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"to-file": "file.txt", "to-dir": "dir", "dangling": "nowhere"} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Start(root, d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	c := dial(t, s)
	c.send("USER " + User)
	if code, msg := c.send("PASS " + Password); code != 230 {
		t.Fatalf("PASS = %d %s", code, msg)
	}
	for _, st := range steps {
		verb, _, _ := strings.Cut(st.command, " ")
		var code int
		var msg, data string
		switch verb {
		case "LIST", "MLSD", "RETR", "STOR", "APPE":
			code, msg, data = c.transfer(st.command)
		default:
			code, msg = c.send(st.command)
			data = msg
		}
		if code != st.code || !strings.Contains(msg+"\n"+data, st.has) || (st.hasNot != "" && strings.Contains(data, st.hasNot)) {
			t.Errorf("%s = %d %s, data %q; want %d, with %q, without %q", st.command, code, msg, data, st.code, st.has, st.hasNot)
		}
	}
}

func TestDialects(t *testing.T) {
	for name, c := range map[string]struct {
		d     Dialect
		steps []step
	}{
		"well-behaved": {Dialect{}, []step{
			{command: "FEAT", code: 211, has: "MLST type*;perm*;size*;modify*;unique*;unix.mode*;"},
			{command: "LIST -a /with space", code: 226},
			{command: "LIST -a /missing", code: 550, has: "/missing: No such file or directory."},
			{command: "LIST -a /to-dir", code: 226, hasNot: "->"},
			{command: "MLSD /", code: 226, has: "type=OS.unix=slink:nowhere;"},
			{command: "MLSD /missing", code: 550},
			{command: "AUTH TLS", code: 500, has: "AUTH not understood"},
			{command: "SITE CHMOD 600 /file.txt", code: 200},
			{command: "MFMT 20210304050607 /file.txt", code: 213},
			{command: "MDTM /file.txt", code: 213, has: "20210304050607"},
		}},
		"pyftpdlib": {Pyftpdlib(), []step{
			{command: "FEAT", code: 211, has: " MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;"},
			{command: "LIST -a /dir", code: 550},
			{command: "LIST /dir", code: 226},
			{command: "LIST -a", code: 226, has: "file.txt"},
			{command: "LIST /with space", code: 226},
			{command: "MLSD /", code: 226, has: "type=file;", hasNot: "dangling"},
			{command: "MLSD /", code: 226, hasNot: "unix.mode"},
			{command: "OPTS MLST type;size;modify;perm;unique;unix.mode;unix.owner;unix.uid;unix.gid;", code: 200, has: "MLST OPTS type;size;modify;perm;unique;unix.mode;unix.uid;unix.gid;"},
			{command: "MLSD /", code: 226, has: "unix.mode=0o644;"},
			{command: "MLSD /missing", code: 501, has: "No such directory."},
		}},
		"inetutils": {Inetutils(), []step{
			{command: "LIST -a /with space", code: 226, has: "/with: No such file or directory\r\nspace: No such file or directory\r\n"},
			{command: "LIST -a /missing", code: 226, has: "/missing: No such file or directory\r\n"},
			{command: "LIST -a /to-dir", code: 226, has: " /to-dir -> dir\r\n"},
			{command: "LIST -a /to-dir/", code: 226, has: "total 8\r\n"},
			{command: "MLSD /", code: 500},
			{command: "STOR /missing/new.txt", code: 553, has: "/missing/new.txt: No such file or directory."},
			{command: "DELE /dangling", code: 550, has: "/dangling: No such file or directory."},
			{command: "MDTM 20210304050607 /file.txt", code: 550, has: "/20210304050607 /file.txt: No such file or directory."},
		}},
		"in.ftpd": {BSDFtpd(), []step{
			{command: "LIST /d*", code: 226, has: "/dir:\r\n", hasNot: "/d*"},
			{command: "FEAT", code: 500, has: "'FEAT': command not understood."},
			{command: "LIST /missing", code: 226, has: "/bin/ls: cannot access '/missing': No such file or directory\r\n"},
		}},
		"terse": {Dialect{TerseErrors: true}, []step{
			{command: "DELE /missing", code: 550, has: "Error."},
			{command: "MLSD /missing", code: 550, has: "Error."},
		}},
		"odd replies": {Dialect{MLSDEndCode: 200, AppendRefused: true, MkdirParents: true}, []step{
			{command: "MLSD /", code: 200},
			{command: "APPE /file.txt", code: 451, has: "Append/Restart not permitted"},
			{command: "MKD /a/b/c", code: 257},
		}},
		"missing commands": {Dialect{Refuse: []string{"SIZE", "SITE CHMOD"}}, []step{
			{command: "SIZE /file.txt", code: 500},
			{command: "SITE CHMOD 600 /file.txt", code: 500, has: "'SITE CHMOD': command not understood."},
		}},
	} {
		t.Run(name, func(t *testing.T) { run(t, c.d, c.steps) })
	}
}

// Busy turns the login away that one connection too many makes.
func TestBusy(t *testing.T) {
	s, err := Start(t.TempDir(), Dialect{Busy: Busy{MaxClients: 1, Reply: "530 Sorry, the maximum number of clients (1) from your host are already connected."}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	first, second := dial(t, s), dial(t, s)
	first.send("USER " + User)
	if code, _ := first.send("PASS " + Password); code != 230 {
		t.Errorf("first login = %d; want 230", code)
	}
	second.send("USER " + User)
	if code, msg := second.send("PASS " + Password); code != 530 || !strings.Contains(msg, "maximum number of clients") {
		t.Errorf("second login = %d %s; want the 530", code, msg)
	}
	if n := s.TurnedAway(); n != 1 {
		t.Errorf("TurnedAway() = %d; want 1", n)
	}
	if got := s.Count("PASS"); got != 2 {
		t.Errorf("Count(PASS) = %d; want 2 (%s)", got, strconv.Quote(strings.Join(s.Lines(), "|")))
	}
}

// Close does not wait for a data connection that a client never made.
func TestCloseDuringTransfer(t *testing.T) {
	s, err := Start(t.TempDir(), Dialect{})
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	c.send("USER " + User)
	c.send("PASS " + Password)
	c.send("EPSV")
	if err := c.conn.PrintfLine("LIST"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.conn.ReadResponse(150); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
}
