package ftpconn

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestConnectKeepsEarlyBytes checks that bytes the proxy sends together
// with its 200 (the FTP server's greeting, which comes first) reach the
// caller.
func TestConnectKeepsEarlyBytes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil || req.Method != http.MethodConnect || req.Host != "ftp.example:21" || req.Header.Get("Proxy-Authorization") != "Basic dTpw" {
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
			return
		}
		_, _ = c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n220 hello\r\n"))
		time.Sleep(time.Second)
	}()
	u, err := ParseProxy("http://u:p@" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	var d net.Dialer
	dial, err := ProxyDialer(u, d.DialContext)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := dial(ctx, "tcp", "ftp.example:21")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != "220 hello\r\n" {
		t.Fatalf("read %q, %v", line, err)
	}
}

func TestParseProxy(t *testing.T) {
	for raw, want := range map[string]string{
		"socks5://h":             "socks5://h:1080",
		"SOCKS5H://u:pw@h:9":     "socks5h://u@h:9",
		"http://u:pw@[::1]:3128": "http://u@[::1]:3128",
	} {
		u, err := ParseProxy(raw)
		if err != nil || RedactProxy(u) != want {
			t.Errorf("ParseProxy(%s) = %v, %v; want %s", raw, u, err, want)
		}
	}
	for _, raw := range []string{"http://u:pw@h", "ftp://h:1", "socks5://:1", "socks5://u:pw@h:1/x", "http://u:pw@h:1?q", "socks5://u:pw@h:x"} {
		_, err := ParseProxy(raw)
		if err == nil {
			t.Errorf("ParseProxy(%s) accepted", raw)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("ParseProxy(%s): error %q shows the password", raw, err)
		}
	}
}
