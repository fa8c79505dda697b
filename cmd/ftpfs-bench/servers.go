package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// server is one FTP server under test.
type server struct {
	Name string
	URL  string // ftp://user:pass@host:port/ (plain FTP only)
	Root string // the server's root directory on local disk ("" if unknown)
	// PIDFile is the daemon's pid file ("" if unknown): with it, each run
	// also measures the daemon's processor time (see daemonCPU).
	PIDFile string

	host, port, user, pass string
}

// knownServers are the daemons of scripts/ftpd.sh, by the names of their
// FTPFS_<NAME>_URL, FTPFS_<NAME>_ROOT and FTPFS_<NAME>_PIDFILE exports.
var knownServers = []string{"vsftpd", "pureftpd", "proftpd"}

// serversFromEnv returns the servers whose URL is exported, in the order
// of knownServers, limited to only when that is not empty.
func serversFromEnv(getenv func(string) string, only []string) ([]server, error) {
	var out []server
	for _, name := range knownServers {
		if len(only) > 0 && !contains(only, name) {
			continue
		}
		env := "FTPFS_" + strings.ToUpper(name)
		raw := getenv(env + "_URL")
		if raw == "" {
			continue
		}
		s, err := parseServer(name, raw, getenv(env+"_ROOT"))
		if err != nil {
			return nil, err
		}
		s.PIDFile = getenv(env + "_PIDFILE")
		out = append(out, s)
	}
	return out, nil
}

// parseServerFlag reads "name=URL[,root=DIR][,pidfile=FILE]".
func parseServerFlag(v string) (server, error) {
	name, rest, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return server{}, fmt.Errorf("-server %q: want name=URL[,root=DIR][,pidfile=FILE]", v)
	}
	raw, root, pidFile := rest, "", ""
	if i := strings.LastIndex(raw, ",pidfile="); i >= 0 {
		raw, pidFile = raw[:i], raw[i+len(",pidfile="):]
	}
	if i := strings.LastIndex(raw, ",root="); i >= 0 {
		raw, root = raw[:i], raw[i+len(",root="):]
	}
	s, err := parseServer(name, raw, root)
	s.PIDFile = pidFile
	return s, err
}

func parseServer(name, raw, root string) (server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return server{}, fmt.Errorf("%s: %w", name, err)
	}
	if u.Scheme != "ftp" {
		return server{}, fmt.Errorf("%s: only plain ftp:// URLs are benchmarked (the peers and the counting proxy need the clear control channel)", name)
	}
	port := u.Port()
	if port == "" {
		port = "21"
	}
	if _, err := strconv.Atoi(port); err != nil {
		return server{}, fmt.Errorf("%s: bad port %q", name, port)
	}
	pass, _ := u.User.Password()
	s := server{Name: name, URL: raw, Root: root, host: u.Hostname(), port: port, user: u.User.Username(), pass: pass}
	if s.user == "" {
		s.user, s.pass = "anonymous", "ftpfs-bench@"
	}
	if root != "" {
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			return server{}, fmt.Errorf("%s: root %q is not a directory", name, root)
		}
	}
	return s, nil
}

// addr is the server's control address.
func (s server) addr() string { return s.host + ":" + s.port }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
