package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// The peers' programs. ftputil runs under Debian's own python3, where
// python3-ftputil installs it (not whatever python3 comes first in PATH).
const (
	lftpBin   = "lftp"
	rcloneBin = "rclone"
	curlBin   = "curl"
	pythonBin = "/usr/bin/python3"
)

// peerTools maps each peer to the program it needs and the Debian package
// that provides it (see install-peers.sh).
var peerTools = []struct{ Peer, Program, Package string }{
	{"lftp", lftpBin, "lftp"},
	{"rclone", rcloneBin, "rclone"},
	{"curl", curlBin, "curl"},
	{"ftputil", pythonBin, "python3-ftputil"},
}

// missingPeers returns the peers that cannot run here, with the package
// that would fix it.
func missingPeers() map[string]string {
	out := map[string]string{}
	for _, t := range peerTools {
		if _, err := exec.LookPath(t.Program); err != nil {
			out[t.Peer] = t.Package
		}
	}
	if _, ok := out["ftputil"]; !ok {
		if err := exec.Command(pythonBin, "-c", "import ftputil").Run(); err != nil {
			out["ftputil"] = "python3-ftputil"
		}
	}
	return out
}

// lftpQuote quotes s as one word of an lftp command.
func lftpQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// lftpArgv runs the lftp commands cmds against s: plain FTP (lftp would
// otherwise switch to TLS on servers that offer AUTH TLS), failing on the
// first error, at most two retries.
func lftpArgv(s server, cmds ...string) []string {
	script := []string{
		"set cmd:fail-exit yes",
		"set ftp:ssl-allow no",
		"set net:max-retries 2",
		"set net:timeout 60",
		"set xfer:clobber yes",
		fmt.Sprintf("open -u %s,%s -p %s %s", lftpQuote(s.user), lftpQuote(s.pass), s.port, lftpQuote(s.host)),
	}
	return []string{lftpBin, "-c", strings.Join(append(script, cmds...), "; ")}
}

// rclone runs rclone with args against s, configured through the
// environment (an on-the-fly ":ftp:" remote, no config file).
func (e *env) rclone(s server, args ...string) (argv, env []string) {
	obscured, ok := e.obscured[s.pass]
	if !ok {
		var err error
		if obscured, err = rcloneObscure(s.pass); err != nil {
			return []string{"false"}, nil // the run fails, and says so
		}
		if e.obscured == nil {
			e.obscured = map[string]string{}
		}
		e.obscured[s.pass] = obscured
	}
	env = []string{
		"RCLONE_CONFIG=/nonexistent",
		"RCLONE_FTP_HOST=" + s.host,
		"RCLONE_FTP_PORT=" + s.port,
		"RCLONE_FTP_USER=" + s.user,
		"RCLONE_FTP_PASS=" + obscured,
	}
	return append([]string{rcloneBin, "-q"}, args...), env
}

// rcloneObscure returns pass obscured for RCLONE_FTP_PASS.
func rcloneObscure(pass string) (string, error) {
	out, err := exec.Command(rcloneBin, "obscure", pass).Output()
	if err != nil {
		return "", fmt.Errorf("rclone obscure: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// curlURL is the URL of remote on s, for curl.
func curlURL(s server, remote string) string {
	return fmt.Sprintf("ftp://%s:%s@%s/%s", urlUser(s.user), urlUser(s.pass), s.addr(), remote)
}

// urlUser percent-encodes what may not stand in a URL's user information.
func urlUser(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// ftputilArgv runs the ftputil script in mode with args against s; the
// password goes through the environment.
func ftputilArgv(s server, script, mode string, args ...string) (argv, env []string) {
	argv = append([]string{pythonBin, script, s.host, s.port, s.user, "-", mode}, args...)
	return argv, []string{"FTPFS_BENCH_PASS=" + s.pass}
}
