package ftpfs_test

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
)

// Real proxies from Debian for the integration run: microsocks (SOCKS5)
// and tinyproxy (HTTP CONNECT), started on loopback by the test, with
// credentials. .ci/run installs both.
const (
	proxyUser     = "ftpfs-proxy"
	proxyPassword = "proxy-Secret-42"
)

// TestIntegrationProxies runs Fs operations on every real daemon, plain
// and TLS, through microsocks and through tinyproxy, with a dialer that
// reaches nothing but the proxy.
func TestIntegrationProxies(t *testing.T) {
	servers := integrationServers(t)
	if len(servers) == 0 {
		t.Skip("no real FTP daemons: run `eval \"$(scripts/ftpd.sh start)\"` to set FTPFS_*_URL")
	}
	proxies := []struct{ name, url, addr string }{}
	if addr, ok := startMicrosocks(t); ok {
		proxies = append(proxies, struct{ name, url, addr string }{"microsocks", proxyURL("socks5", addr), addr})
	}
	if addr, ok := startTinyproxy(t); ok {
		proxies = append(proxies, struct{ name, url, addr string }{"tinyproxy", proxyURL("http", addr), addr})
	}
	for _, p := range proxies {
		t.Run(p.name, func(t *testing.T) {
			for _, s := range servers {
				t.Run(s.name, func(t *testing.T) {
					fsys := s.fresh(t, ftpfs.WithProxy(p.url), ftpfs.WithDialer(onlyTo(p.addr)))
					proxyWorkout(t, fsys)
				})
			}
		})
	}
}

func proxyURL(scheme, addr string) string {
	return (&url.URL{Scheme: scheme, User: url.UserPassword(proxyUser, proxyPassword), Host: addr}).String()
}

// startMicrosocks starts Debian's microsocks on a free loopback port.
func startMicrosocks(t *testing.T) (string, bool) {
	bin, err := exec.LookPath("microsocks")
	if err != nil {
		t.Log("microsocks not installed (apt-get install microsocks): SOCKS5 through a real proxy not tested")
		return "", false
	}
	port := freePort(t)
	return startProxyProcess(t, exec.Command(bin, "-i", "127.0.0.1", "-p", strconv.Itoa(port), "-u", proxyUser, "-P", proxyPassword), port), true
}

// startTinyproxy starts Debian's tinyproxy in the foreground on a free
// loopback port, allowing CONNECT to every port (no ConnectPort line: the
// daemons' control and passive ports), with Basic credentials.
func startTinyproxy(t *testing.T) (string, bool) {
	bin, err := exec.LookPath("tinyproxy")
	if err != nil {
		t.Log("tinyproxy not installed (apt-get install tinyproxy): HTTP CONNECT through a real proxy not tested")
		return "", false
	}
	port := freePort(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "tinyproxy.conf")
	config := fmt.Sprintf(`Port %d
Listen 127.0.0.1
Timeout 120
MaxClients 200
Allow 127.0.0.1
BasicAuth %s %s
LogFile "%s"
LogLevel Notice
DisableViaHeader Yes
`, port, proxyUser, proxyPassword, filepath.Join(dir, "tinyproxy.log"))
	if os.Geteuid() == 0 {
		config += "User nobody\nGroup nogroup\n"
		_ = os.Chmod(dir, 0o777) // the log, for user nobody
	}
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return startProxyProcess(t, exec.Command(bin, "-d", "-c", conf), port), true
}

// startProxyProcess starts cmd, waits until it accepts connections on
// port, and stops it (by its process) when the test ends.
func startProxyProcess(t *testing.T, cmd *exec.Cmd, port int) string {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "proxy-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("%s does not listen on %s: %v\n%s", cmd.Path, addr, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
