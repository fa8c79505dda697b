// Package ftpdialect is a small FTP server for hermetic tests that
// speaks the dialects of real daemons: the ways in which pyftpdlib, GNU
// inetutils ftpd, ftpd-ssl's in.ftpd, proftpd and others depart from what
// a client expects (docs/dialects-found.md records each with its
// exchange). A [Dialect] turns each way on or off.
//
// The server serves a directory of the local disk as its root "/", so a
// test can make symbolic links with os.Symlink, over plain FTP on
// 127.0.0.1 (passive data connections only; AUTH TLS is refused). It has
// the commands an FTP client library sends: USER, PASS, AUTH, FEAT, OPTS,
// SYST, TYPE, PWD, CWD, CDUP, EPSV, PASV, LIST, NLST, MLSD, MLST, RETR
// (after REST), STOR, APPE, SIZE, MDTM, MFMT, MKD, RMD, DELE, RNFR, RNTO,
// SITE CHMOD, NOOP and QUIT. [Server.Commands] counts the commands
// received, so a test can check what an operation costs.
//
// It is test code: it trusts its root (a link may point out of it) and
// keeps everything simple rather than fast.
package ftpdialect

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// The credentials the server accepts.
const (
	User     = "tester"
	Password = "secret"
)

// Server is a running FTP server. Its methods are safe for concurrent
// use.
type Server struct {
	root    string
	dialect Dialect
	ln      net.Listener

	mu     sync.Mutex
	users  int // sessions logged in
	counts map[string]int
	lines  []string
	conns  map[io.Closer]bool // control connections and passive listeners
	closed bool
	busy   int // logins turned away
	wg     sync.WaitGroup
}

// Start serves the directory root with the given dialect on a port of
// 127.0.0.1 that the system picks. Close stops it.
func Start(root string, d Dialect) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{root: root, dialect: d, ln: ln, counts: map[string]int{}, conns: map[io.Closer]bool{}}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL returns ftp://User:Password@host:port/, the server's root.
func (s *Server) URL() string { return fmt.Sprintf("ftp://%s:%s@%s/", User, Password, s.Addr()) }

// Commands returns how many commands of each verb the server received
// (upper case; "SITE CHMOD" for SITE commands, by their first word).
func (s *Server) Commands() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

// Count returns how many commands with this verb the server received.
func (s *Server) Count(verb string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[verb]
}

// Lines returns every command line received, in order, with PASS's
// argument replaced by "****".
func (s *Server) Lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

// ResetCommands forgets the commands received so far.
func (s *Server) ResetCommands() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.counts)
	s.lines = nil
}

// Close stops the server: it stops listening, closes every connection
// and waits for their goroutines.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close() // ends the connection's goroutine
	}
	s.mu.Unlock()
	_ = s.ln.Close() // ends serve
	s.wg.Wait()
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close() // shutting down
			continue
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			session := newConn(s, c)
			session.run()
			_ = c.Close() // the session is over
			s.mu.Lock()
			if session.loggedIn {
				s.users--
			}
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// track keeps c to be closed by Close, unless the server is closed
// already: then it closes c and reports false.
func (s *Server) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = c.Close() // shutting down
		return false
	}
	s.conns[c] = true
	return true
}

// untrack forgets c, which its user closes.
func (s *Server) untrack(c io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// record counts one command line.
func (s *Server) record(verb, line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[verb]++
	if verb == "PASS" {
		line = "PASS ****"
	}
	s.lines = append(s.lines, line)
}

// login admits one more session, unless the dialect's MaxClients are
// logged in already: then it counts a login turned away and reports
// false.
func (s *Server) login() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if limit := s.dialect.Busy.MaxClients; limit > 0 && s.users >= limit {
		s.busy++
		return false
	}
	s.users++
	return true
}

// TurnedAway returns how many logins the server refused because too
// many connections were open (see Busy).
func (s *Server) TurnedAway() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy
}

// refused reports whether the dialect refuses the command key.
func (s *Server) refused(key string) bool {
	for _, r := range s.dialect.Refuse {
		if strings.EqualFold(r, key) {
			return true
		}
	}
	return false
}

// dataTimeout bounds the wait for a client's data connection and every
// transfer's I/O.
const dataTimeout = 10 * time.Second

// errText describes a file system error the way C's strerror does:
// "No such file or directory".
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	msg := err.Error()
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}
