package ftpfs_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// Hostile replies: a fake control server whose every answer a test may
// replace. It tests how the client reads what a server says, not the
// file system, so it knows only the commands the Fs sends.

// rlFake is a scripted FTP server on 127.0.0.1.
type rlFake struct {
	ln       net.Listener
	listing  []byte // what MLSD and LIST send
	greeting string // the first reply; "220 fake ready" if empty
	// answer may answer a command itself and return true; the session
	// ends when it returns an error.
	answer func(s *rlFakeSession, verb, arg string) (bool, error)

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// rlFakeSession is one client of an rlFake.
type rlFakeSession struct {
	f    *rlFake
	c    net.Conn
	data net.Listener // the passive listener of the next transfer
}

// rlFakeServer starts a fake server that lists listing; it stops when the
// test ends.
func rlFakeServer(t *testing.T, listing string, answer func(s *rlFakeSession, verb, arg string) (bool, error)) *rlFake {
	t.Helper()
	return rlStartFake(t, &rlFake{listing: []byte(listing), answer: answer})
}

// rlStartFake starts f, configured but not yet listening.
func rlStartFake(t *testing.T, f *rlFake) *rlFake {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.ln = ln
	f.wg.Add(1)
	go f.serve()
	t.Cleanup(func() {
		_ = ln.Close() // ends serve
		f.mu.Lock()
		for _, c := range f.conns {
			_ = c.Close() // ends its session
		}
		f.mu.Unlock()
		f.wg.Wait()
	})
	return f
}

// URL is the fake server's address as an ftp:// URL.
func (f *rlFake) URL() string { return "ftp://user:pass@" + f.ln.Addr().String() + "/" }

func (f *rlFake) serve() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns = append(f.conns, c)
		f.wg.Add(1)
		f.mu.Unlock()
		go func() {
			defer f.wg.Done()
			s := &rlFakeSession{f: f, c: c}
			s.run()
			_ = c.Close() // the session is over either way
			if s.data != nil {
				_ = s.data.Close()
			}
		}()
	}
}

// send writes raw bytes on the control connection.
func (s *rlFakeSession) send(text string) error {
	_, err := io.WriteString(s.c, text)
	return err
}

// passive opens the listener of the next transfer and returns its port.
func (s *rlFakeSession) passive() (int, error) {
	if s.data != nil {
		_ = s.data.Close() // replaced by the new one
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	s.data = ln
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// transfer sends payload over the passive connection, between 150 and
// 226.
func (s *rlFakeSession) transfer(payload []byte) error {
	if s.data == nil {
		return s.send("425 Use PASV first\r\n")
	}
	if err := s.send("150 Here it comes\r\n"); err != nil {
		return err
	}
	if tl, ok := s.data.(*net.TCPListener); ok {
		_ = tl.SetDeadline(time.Now().Add(rlWait)) // a client that never comes fails the session
	}
	dc, err := s.data.Accept()
	_ = s.data.Close() // one connection per transfer
	s.data = nil
	if err != nil {
		return err
	}
	_ = dc.SetDeadline(time.Now().Add(rlWait)) // a stuck client fails the write
	_, err = dc.Write(payload)
	_ = dc.Close() // the end of the data is the close
	if err != nil {
		return err
	}
	return s.send("226 Done\r\n")
}

func (s *rlFakeSession) run() {
	_ = s.c.SetDeadline(time.Now().Add(rlWait)) // bounds the whole session
	greeting := s.f.greeting
	if greeting == "" {
		greeting = "220 fake ready"
	}
	if s.send(greeting+"\r\n") != nil {
		return
	}
	r := bufio.NewReader(s.c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		verb = strings.ToUpper(verb)
		if s.f.answer != nil {
			handled, err := s.f.answer(s, verb, arg)
			if err != nil {
				return
			}
			if handled {
				continue
			}
		}
		if err := s.standard(verb); err != nil {
			return
		}
	}
}

// standard is the fake server's own answer to verb.
func (s *rlFakeSession) standard(verb string) error {
	switch verb {
	case "USER":
		return s.send("331 Password please\r\n")
	case "PASS":
		return s.send("230 Logged in\r\n")
	case "FEAT":
		return s.send("211-Features:\r\n MLST type*;size*;modify*;\r\n UTF8\r\n211 End\r\n")
	case "TYPE", "OPTS", "NOOP":
		return s.send("200 OK\r\n")
	case "PWD":
		return s.send("257 \"/\" is the current directory\r\n")
	case "EPSV":
		port, err := s.passive()
		if err != nil {
			return err
		}
		return s.send(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", port))
	case "PASV":
		port, err := s.passive()
		if err != nil {
			return err
		}
		return s.send(fmt.Sprintf("227 Entering Passive Mode (127,0,0,1,%d,%d)\r\n", port>>8, port&0xff))
	case "MLSD", "LIST":
		return s.transfer(s.f.listing)
	case "QUIT":
		_ = s.send("221 Bye\r\n") // the client may be gone
		return io.EOF
	}
	return s.send("502 Not implemented\r\n")
}

// rlBounded runs op and returns its error, or fails the test if op
// panics or does not return within rlWait.
func rlBounded(t *testing.T, what string, op func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		done <- op()
	}()
	timer := time.NewTimer(rlWait)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil && strings.HasPrefix(err.Error(), "panic: ") {
			t.Errorf("%s panicked: %v", what, err)
		}
		return err
	case <-timer.C:
		t.Fatalf("%s did not return within %v", what, rlWait)
		return nil
	}
}

// rlHostileOpts bound every exchange with a hostile server.
func rlHostileOpts(extra ...ftpfs.Option) []ftpfs.Option {
	return append([]ftpfs.Option{ftpfs.WithTimeout(500 * time.Millisecond), ftpfs.WithDialTimeout(time.Second)}, extra...)
}

// rlListing is a well-formed MLSD listing of one file, "a.txt".
const rlListing = "type=file;size=3;modify=20240101000000; a.txt\r\n"

// rlDialAndList dials the fake server and reads its root directory.
func rlDialAndList(t *testing.T, f *rlFake, opts ...ftpfs.Option) ([]os.FileInfo, error) {
	t.Helper()
	var infos []os.FileInfo
	err := rlBounded(t, "Dial and ReadDir", func() error {
		fsys, err := ftpfs.Dial(t.Context(), f.URL(), rlHostileOpts(opts...)...)
		if err != nil {
			return err
		}
		defer fsys.Close()
		infos, err = afero.ReadDir(fsys, "/")
		return err
	})
	return infos, err
}

// TestHostilePASVNamesAnotherHost: a PASV reply that names a host other
// than the server's is not followed: the data connection goes to the
// control connection's host, at the port named, and the listing arrives.
func TestHostilePASVNamesAnotherHost(t *testing.T) {
	f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
		switch verb {
		case "EPSV":
			return true, s.send("500 EPSV not understood\r\n")
		case "PASV":
			port, err := s.passive()
			if err != nil {
				return true, err
			}
			return true, s.send(fmt.Sprintf("227 Entering Passive Mode (10,99,1,2,%d,%d)\r\n", port>>8, port&0xff))
		}
		return false, nil
	})
	var mu sync.Mutex
	var dialed []string
	dialer := func(ctx context.Context, network, address string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, address)
		mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	}
	infos, err := rlDialAndList(t, f, ftpfs.WithDialer(dialer))
	if err != nil || !slices.Equal(rlNames(infos), []string{"a.txt"}) {
		t.Errorf("ReadDir with PASV naming 10.99.1.2 = %q, %v; want [a.txt] over a data connection to the server", rlNames(infos), err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range dialed {
		if strings.HasPrefix(a, "10.99.1.2:") {
			t.Errorf("the Fs dialed %s, the host the PASV reply named; want the server's host", a)
		}
	}
}

// TestHostilePassiveReplies: malformed EPSV and PASV replies give an
// error, or a right listing when a fallback works; never a panic or a
// hang.
func TestHostilePassiveReplies(t *testing.T) {
	for _, tc := range []struct {
		name, epsv, pasv string // "" for the fake server's own answer
		wantErr          bool
	}{
		{"EPSV port not a number, PASV refused", "229 Entering Extended Passive Mode (|||port|)", "502 No", true},
		{"EPSV port out of range, PASV refused", "229 Entering Extended Passive Mode (|||99999|)", "502 No", true},
		{"EPSV port negative, PASV refused", "229 Entering Extended Passive Mode (|||-21|)", "502 No", true},
		{"EPSV port zero, PASV refused", "229 Entering Extended Passive Mode (|||0|)", "502 No", true},
		{"EPSV tuple empty, PASV refused", "229 Entering Extended Passive Mode (|||)", "502 No", true},
		{"EPSV without parentheses, PASV refused", "229 Entering Extended Passive Mode", "502 No", true},
		{"EPSV tuple bad, PASV works", "229 Entering Extended Passive Mode (|x|)", "", false},
		{"PASV too few numbers", "500 No", "227 Entering Passive Mode (127,0,0,1)", true},
		{"PASV port byte too large", "500 No", "227 Entering Passive Mode (127,0,0,1,999,999)", true},
		{"PASV numbers not numbers", "500 No", "227 Entering Passive Mode (a,b,c,d,e,f)", true},
		{"PASV without parentheses", "500 No", "227 Entering Passive Mode 127,0,0,1,4,1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
				switch {
				case verb == "EPSV" && tc.epsv != "":
					return true, s.send(tc.epsv + "\r\n")
				case verb == "PASV" && tc.pasv != "":
					return true, s.send(tc.pasv + "\r\n")
				}
				return false, nil
			})
			infos, err := rlDialAndList(t, f)
			switch {
			case tc.wantErr && err == nil:
				t.Errorf("ReadDir = %q, nil; want an error", rlNames(infos))
			case !tc.wantErr && (err != nil || !slices.Equal(rlNames(infos), []string{"a.txt"})):
				t.Errorf("ReadDir = %q, %v; want [a.txt] over PASV", rlNames(infos), err)
			}
		})
	}
}

// TestHostileCutReplies: multi-line replies that stop in the middle (the
// connection closes, or the server falls silent) and refusals of 1 MB, cut
// or whole, give an error within the time bound, never a panic or a hang.
func TestHostileCutReplies(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, tc := range []struct {
		name   string
		verb   string
		reply  string
		close  bool // close the connection after the reply; else fall silent
		dialOK bool // Dial is expected to work and ReadDir to fail
	}{
		{"FEAT cut, closed", "FEAT", "211-Features:\r\n MLST type*;\r\n", true, false},
		{"FEAT cut, silent", "FEAT", "211-Features:\r\n MLST type*;\r\n", false, false},
		{"PWD cut, closed", "PWD", "257-first line\r\n", true, false},
		{"PWD cut, silent", "PWD", "257-first line\r\n", false, false},
		{"MLSD preliminary cut, closed", "MLSD", "150-Opening\r\n", true, true},
		{"MLSD preliminary cut, silent", "MLSD", "150-Opening\r\n", false, true},
		{"MLSD refusal cut mid-line, silent", "MLSD", "550-No such\r\n thing and", false, true},
		{"MLSD refused with a 1 MB line", "MLSD", "550 " + huge + "\r\n", false, true},
		{"MLSD 1 MB without an end of line, silent", "MLSD", "550 " + huge, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
				if verb != tc.verb {
					return false, nil
				}
				if err := s.send(tc.reply); err != nil || tc.close {
					return true, io.EOF
				}
				return true, nil // silent: the next command gets the next answer
			})
			infos, err := rlDialAndList(t, f)
			if err == nil {
				t.Errorf("ReadDir = %q, nil; want an error", rlNames(infos))
			}
			var pe *fs.PathError
			if tc.dialOK && !errors.As(err, &pe) {
				t.Errorf("error %v: want Dial to work and ReadDir to fail with an *fs.PathError", err)
			}
			if len(fmt.Sprint(err)) > 64<<10 {
				t.Logf("the error message is %d bytes long", len(fmt.Sprint(err)))
			}
		})
	}
}

// TestHostileHugeGreeting: a greeting line of 1 MB is read, or refused,
// within the time bound; if the Fs accepts it, it works.
func TestHostileHugeGreeting(t *testing.T) {
	f := rlStartFake(t, &rlFake{listing: []byte(rlListing), greeting: "220 " + strings.Repeat("g", 1<<20)})
	infos, err := rlDialAndList(t, f)
	if err == nil && !slices.Equal(rlNames(infos), []string{"a.txt"}) {
		t.Errorf("ReadDir after a 1 MB greeting = %q, nil; want [a.txt] or an error", rlNames(infos))
	}
}

// TestHostileListings: listings with NUL bytes, invalid UTF-8 and a line
// of 1 MB give an error, or entries without those names; never a panic, a
// hang, a name with a NUL, or, through the io/fs view, a name that is not
// a valid path element.
func TestHostileListings(t *testing.T) {
	ok := "type=file;size=1;modify=20240101000000; ok\r\n"
	for _, tc := range []struct {
		name    string
		listing string
	}{
		{"NUL in a name", "type=file;size=3;modify=20240101000000; a\x00b\r\n" + ok},
		{"NUL in the facts", "type=file;si\x00ze=3;modify=20240101000000; c\r\n" + ok},
		{"invalid UTF-8 name", "type=file;size=3;modify=20240101000000; \xff\xfe.txt\r\n" + ok},
		{"1 MB name", "type=file;size=3;modify=20240101000000; " + strings.Repeat("n", 1<<20) + "\r\n" + ok},
		{"slash in a name", "type=file;size=3;modify=20240101000000; ../../etc/passwd\r\n" + ok},
		{"dot names", "type=dir;modify=20240101000000; .\r\ntype=dir;modify=20240101000000; ..\r\n" + ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rlFakeServer(t, tc.listing, nil)
			var infos []os.FileInfo
			var entries []fs.DirEntry
			var errAfero, errIOFS error
			rlBounded(t, "ReadDir", func() error {
				fsys, err := ftpfs.Dial(t.Context(), f.URL(), rlHostileOpts()...)
				if err != nil {
					errAfero, errIOFS = err, err
					return nil
				}
				defer fsys.Close()
				infos, errAfero = afero.ReadDir(fsys, "/")
				fsys.Cache().Clear()
				entries, errIOFS = fs.ReadDir(fsys.IOFS(), ".")
				return nil
			})
			for _, fi := range infos {
				if errAfero == nil && (strings.ContainsAny(fi.Name(), "\x00/") || fi.Name() == "." || fi.Name() == "..") {
					t.Errorf("afero ReadDir = entry %q with no error; want an error or the entry left out", fi.Name())
				}
			}
			for _, d := range entries {
				if errIOFS == nil && (!fs.ValidPath(d.Name()) || strings.Contains(d.Name(), "/") || d.Name() == ".") {
					t.Errorf("io/fs ReadDir = entry %q, not a valid path element, with no error; want an error or the entry left out", d.Name())
				}
			}
			t.Logf("afero: %d entries, %v; io/fs: %d entries, %v", len(infos), errAfero, len(entries), errIOFS)
		})
	}
}
