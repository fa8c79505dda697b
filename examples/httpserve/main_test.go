package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestOnce runs -once against the embedded server.
func TestOnce(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), []string{"-once"}, &out); err != nil {
		t.Fatalf("run(-once) = %v, want nil; output:\n%s", err, out.String())
	}
	checkLines(t, out.String(), []string{
		`^Serving on http://127\.0\.0\.1:\d+/$`,
		`^GET /$`,
		`^  200 OK, text/html; charset=utf-8, \d+ bytes$`,
		`^  4 links: docs/ hello\.txt pub/ site/$`,
		`^GET /docs/manual\.txt$`,
		`^  200 OK, text/plain; charset=utf-8, 44 bytes$`,
		`^  "ftpfs manual\\n\\nChapter 1\. Mounting a server\.\\n"$`,
		`^GET /docs/manual\.txt \(Range: bytes=-30\)$`,
		`^  206 Partial Content, text/plain; charset=utf-8, 30 bytes$`,
		`^  Content-Range: bytes 14-43/44$`,
		`^  "Chapter 1\. Mounting a server\.\\n"$`,
	})
}

// serveTree starts a server over an in-memory tree.
func serveTree(t *testing.T, files map[string]string) *ftpfstest.Server {
	t.Helper()
	backing := afero.NewMemMapFs()
	for name, content := range files {
		if err := afero.WriteFile(backing, name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := ftpfstest.NewServer(backing)
	t.Cleanup(srv.Close)
	return srv
}

var remoteTree = map[string]string{
	"/empty.txt":       "",
	"/pub/big.bin":     strings.Repeat("0123456789", 1000),
	"/pub/readme.txt":  "read me\n",
	"/pub/sub/x.txt":   "x",
	"/zzz/index.html":  "<h1>zzz</h1>",
	"/zzz/other.html":  "other",
	"/with space.txt":  "spaced",
	"/pub/sub/y.json":  "{}",
	"/pub/sub/z.empty": "",
}

// TestOnceURL runs -once against a server given with -url: the Range
// request restarts the download at its offset (REST), and nothing is
// written.
func TestOnceURL(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{
			name: "first file",
			want: []string{
				`^  4 links: empty\.txt pub/ with%20space\.txt zzz/`,
				`^GET /pub/big\.bin$`, // empty.txt is skipped: nothing to show
				`^  200 OK, application/octet-stream, 10000 bytes$`,
				`^  "012345678901234567890123456789012345678901234567890123456789…"$`,
				`^  206 Partial Content, application/octet-stream, 30 bytes$`,
				`^  Content-Range: bytes 9970-9999/10000$`,
			},
		},
		{
			name: "file",
			args: []string{"-file", "with space.txt"},
			want: []string{
				`^GET /with space\.txt$`,
				`^  200 OK, text/plain; charset=utf-8, 6 bytes$`,
				`^  206 Partial Content, text/plain; charset=utf-8, 6 bytes$`,
				`^  Content-Range: bytes 0-5/6$`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveTree(t, remoteTree)
			args := append([]string{"-once", "-url", srv.URL()}, tt.args...)
			var out strings.Builder
			if err := run(t.Context(), args, &out); err != nil {
				t.Fatalf("run(%q) = %v, want nil; output:\n%s", tt.args, err, out.String())
			}
			checkLines(t, out.String(), tt.want)
			cmds := srv.Commands()
			for _, verb := range []string{"STOR", "APPE", "DELE", "RMD", "MKD", "RNFR", "SITE", "MFMT"} {
				if cmds[verb] != 0 {
					t.Errorf("run(%q) sent %s %d times, want 0", tt.args, verb, cmds[verb])
				}
			}
			if cmds["REST"] == 0 && tt.name == "first file" {
				t.Errorf("run(%q) sent no REST; want the Range request to restart the transfer (commands %v)", tt.args, cmds)
			}
		})
	}
}

// lineWriter collects what run prints and passes each write on.
type lineWriter struct {
	mu    sync.Mutex
	all   strings.Builder
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.all.Write(p)
	w.mu.Unlock()
	select {
	case w.lines <- string(p):
	default:
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// TestServe runs the real server mode on a free port, makes requests,
// then cancels the context as Ctrl-C does and checks the shutdown.
func TestServe(t *testing.T) {
	srv := serveTree(t, remoteTree)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &lineWriter{lines: make(chan string, 10)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-url", srv.URL(), "-addr", "127.0.0.1:0"}, out) }()

	var first string
	select {
	case first = <-out.lines:
	case err := <-done:
		t.Fatalf("run() = %v before serving; output:\n%s", err, out.String())
	}
	m := regexp.MustCompile(`^Serving ftp://test@127\.0\.0\.1:\d+/ on (http://127\.0\.0\.1:\d+)/ \(Ctrl-C to stop\)\n$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("run() first printed %q, want the Serving line", first)
	}
	base := m[1]

	requests := []struct {
		path, rangeHeader string
		status            int
		body              string
	}{
		{path: "/pub/readme.txt", status: 200, body: "read me\n"},
		{path: "/pub/big.bin", rangeHeader: "bytes=10-14", status: 206, body: "01234"},
		{path: "/zzz/", status: 200, body: "<h1>zzz</h1>"}, // index.html
		{path: "/missing.txt", status: 404, body: "404 page not found\n"},
	}
	for _, r := range requests {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+r.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.rangeHeader != "" {
			req.Header.Set("Range", r.rangeHeader)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != r.status || string(body) != r.body {
			t.Errorf("GET %s (Range %q) = %d %q, want %d %q", r.path, r.rangeHeader, resp.StatusCode, body, r.status, r.body)
		}
	}

	cancel() // what Ctrl-C does
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run() after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run() did not return within 10 s of the cancel")
	}
	if !strings.HasSuffix(out.String(), "Shutting down\n") {
		t.Errorf("run() output = %q, want it to end with the shutdown", out.String())
	}
	if _, err := http.Get(base + "/pub/readme.txt"); err == nil {
		t.Errorf("GET after shutdown succeeded, want the server gone")
	}
}

func TestErrors(t *testing.T) {
	srv := serveTree(t, remoteTree)
	tests := []struct {
		args []string
		want string // substring of the error
	}{
		{args: []string{"-nope"}, want: "flag provided but not defined: -nope"},
		{args: []string{"-once=maybe"}, want: "invalid boolean value"},
		{args: []string{"extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-url", "http://example.com/"}, want: "scheme"},
		{args: []string{"-url", srv.URL(), "-addr", "127.0.0.1:http-alt-nope"}, want: "listen"},
		{args: []string{"-url", srv.URL(), "-once", "-file", "missing.txt"}, want: "404 Not Found"},
		{args: []string{"-url", srv.URL() + "nope", "-once"}, want: "file does not exist"},
		{args: []string{"-url", srv.URL() + "pub/sub/z.empty", "-once"}, want: "no file to get"},
	}
	for _, tt := range tests {
		var out strings.Builder
		err := run(t.Context(), tt.args, &out)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), []string{"-h"}, &out); err != nil {
		t.Fatalf("run(-h) = %v, want nil", err)
	}
	for _, s := range []string{"usage: httpserve", "-url", "-addr", "-once", "-file"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("run(-h) output = %q, want it to contain %q", out.String(), s)
		}
	}
}

// checkLines checks that each regexp matches a line of out, in order.
func checkLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	i := 0
	for _, w := range want {
		re := regexp.MustCompile(w)
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			t.Errorf("output has no line matching %q after the ones before it:\n%s", w, out)
			return
		}
		i++
	}
}
