package ftpfs_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// httpTree is served over http.FS. Names without an extension that
// net/http knows (mime's built-in table, not the system's) make it sniff
// the first 512 bytes; "big" is larger than that, so the sniff cuts a
// transfer short.
var httpTree = map[string]string{
	"hello.txt":              "hello, world\n",
	"sniff":                  "<!DOCTYPE html><html><body>no extension</body></html>",
	"big":                    strings.Repeat("0123456789abcdef", 64), // 1 KiB
	"empty.txt":              "",
	"dir/a b ü.txt":          "spaces and unicode",
	"dir/a b/ü.txt":          "unicode",
	"dir/émoji 🎉":            "party",
	"dir/sub/x.md":           "# x",
	"dir/sub/data.json":      `{"a": 1}`,
	"dir/index-less/y.txt":   "y",
	"dir/with&amp<tag>.html": "<p>escaped</p>",
	"site/index.html":        "<h1>index</h1>",
}

// httpListings are the two ways the Fs learns sizes and times: MLSD, and LIST
// from a server without MLSD. (TestHTTPFS and TestHTTPFSMultiRange run
// only with LIST: with MLSD they are the suite's HTTP case.)
var httpListings = []struct {
	name string
	opts []ftpfstest.Option
}{
	{"mlsd", nil},
	{"list", []ftpfstest.Option{ftpfstest.WithoutMLSD()}},
}

// httpServe mounts a fresh FTP server holding httpTree and serves it with
// http.FileServer(http.FS(fsys.IOFS())).
func httpServe(t *testing.T, srvOpts ...ftpfstest.Option) (*httptest.Server, *ftpfstest.Server) {
	t.Helper()
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, httpTree)
	fsys, srv := serve(t, backing, srvOpts)
	hs := httptest.NewServer(http.FileServer(http.FS(fsys.IOFS())))
	t.Cleanup(hs.Close)
	return hs, srv
}

// httpNoRedirects is an HTTP client that returns redirects as they are.
var httpNoRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// httpGet sends one request and returns the response with its body read.
// header is pairs of names and values; empty values are left out.
func httpGet(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := httpNoRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return resp, body
}

// suiteHTTP: http.FileServer(http.FS(fsys.IOFS())) over httpTree, made
// through the Fs: full, range, multi-range and HEAD requests, directory
// pages, redirects and 404s.
func suiteHTTP(t *testing.T, s server) {
	fsys := s.fresh(t)
	put(t, fsys, httpTree)
	hs := httptest.NewServer(http.FileServer(http.FS(fsys.IOFS())))
	t.Cleanup(hs.Close)
	t.Run("requests", func(t *testing.T) { testHTTPFS(t, hs) })
	t.Run("multi-range", func(t *testing.T) { testHTTPFSMultiRange(t, hs) })
}

// TestHTTPFS is the suite's HTTP case on a server without MLSD.
func TestHTTPFS(t *testing.T) {
	hs, _ := httpServe(t, ftpfstest.WithoutMLSD())
	testHTTPFS(t, hs)
}

func testHTTPFS(t *testing.T, hs *httptest.Server) {
	hello := httpTree["hello.txt"]
	big := httpTree["big"]
	ptr := func(s string) *string { return &s }
	tests := []struct {
		name     string
		method   string
		path     string
		rangeHdr string
		status   int
		body     *string           // exact body, when not nil
		header   map[string]string // exact header values
		contains []string          // substrings of the body
	}{
		{
			name: "full GET", method: "GET", path: "/hello.txt", status: http.StatusOK, body: &hello,
			header: map[string]string{
				"Content-Length": strconv.Itoa(len(hello)),
				"Content-Type":   "text/plain; charset=utf-8",
				"Accept-Ranges":  "bytes",
			},
		},
		{
			name: "full GET of a file larger than the sniff buffer", method: "GET", path: "/big",
			status: http.StatusOK, body: &big,
			header: map[string]string{"Content-Length": "1024", "Content-Type": "text/plain; charset=utf-8"},
		},
		{
			name: "range 2-5", method: "GET", path: "/hello.txt", rangeHdr: "bytes=2-5",
			status: http.StatusPartialContent, body: ptr(hello[2:6]),
			header: map[string]string{
				"Content-Length": "4",
				"Content-Range":  "bytes 2-5/" + strconv.Itoa(len(hello)),
			},
		},
		{
			name: "range in the middle of a sniffed file", method: "GET", path: "/big", rangeHdr: "bytes=600-609",
			status: http.StatusPartialContent, body: ptr(big[600:610]),
			header: map[string]string{"Content-Range": "bytes 600-609/1024"},
		},
		{
			name: "suffix range", method: "GET", path: "/hello.txt", rangeHdr: "bytes=-3",
			status: http.StatusPartialContent, body: ptr(hello[len(hello)-3:]),
			header: map[string]string{
				"Content-Length": "3",
				"Content-Range":  "bytes 10-12/13",
			},
		},
		{
			name: "open-ended range", method: "GET", path: "/hello.txt", rangeHdr: "bytes=7-",
			status: http.StatusPartialContent, body: ptr(hello[7:]),
			header: map[string]string{"Content-Range": "bytes 7-12/13"},
		},
		{
			name: "unsatisfiable range", method: "GET", path: "/hello.txt", rangeHdr: "bytes=100-200",
			status: http.StatusRequestedRangeNotSatisfiable,
			header: map[string]string{"Content-Range": "bytes */13"},
		},
		{
			name: "empty file", method: "GET", path: "/empty.txt", status: http.StatusOK, body: ptr(""),
			header: map[string]string{"Content-Length": "0"},
		},
		{
			name: "sniffed content type", method: "GET", path: "/sniff", status: http.StatusOK,
			body:   ptr(httpTree["sniff"]),
			header: map[string]string{"Content-Type": "text/html; charset=utf-8"},
		},
		{
			name: "file name with space and unicode", method: "GET", path: "/dir/a%20b%20%C3%BC.txt",
			status: http.StatusOK, body: ptr(httpTree["dir/a b ü.txt"]),
		},
		{
			name: "file in a directory with a space", method: "GET", path: "/dir/a%20b/%C3%BC.txt",
			status: http.StatusOK, body: ptr(httpTree["dir/a b/ü.txt"]),
		},
		{
			name: "directory listing", method: "GET", path: "/dir/", status: http.StatusOK,
			header: map[string]string{"Content-Type": "text/html; charset=utf-8"},
			contains: []string{
				">a b ü.txt</a>", `href="a%20b%20%C3%BC.txt"`,
				">émoji 🎉</a>",
				">sub/</a>", ">index-less/</a>", `href="a%20b/"`,
				">with&amp;amp&lt;tag&gt;.html</a>",
			},
		},
		{
			name: "root listing", method: "GET", path: "/", status: http.StatusOK,
			contains: []string{">hello.txt</a>", ">dir/</a>", ">sniff</a>", ">big</a>"},
		},
		{
			name: "directory without slash redirects", method: "GET", path: "/dir", status: http.StatusMovedPermanently,
			header: map[string]string{"Location": "dir/"},
		},
		{
			name: "index.html serves its directory", method: "GET", path: "/site/", status: http.StatusOK,
			body: ptr(httpTree["site/index.html"]),
		},
		{
			name: "index.html redirects to its directory", method: "GET", path: "/site/index.html",
			status: http.StatusMovedPermanently, header: map[string]string{"Location": "./"},
		},
		{
			name: "missing file", method: "GET", path: "/nope.txt", status: http.StatusNotFound,
			contains: []string{"404 page not found"},
		},
		{
			name: "missing directory", method: "GET", path: "/nodir/x.txt", status: http.StatusNotFound,
		},
		{
			name: "HEAD", method: "HEAD", path: "/hello.txt", status: http.StatusOK, body: ptr(""),
			header: map[string]string{"Content-Length": strconv.Itoa(len(hello))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := httpGet(t, tt.method, hs.URL+tt.path, "Range", tt.rangeHdr)
			desc := tt.method + " " + tt.path
			if tt.rangeHdr != "" {
				desc += " Range: " + tt.rangeHdr
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("%s: status = %d, want %d (body %q)", desc, resp.StatusCode, tt.status, body)
			}
			if tt.body != nil && string(body) != *tt.body {
				t.Errorf("%s: body = %q, want %q", desc, body, *tt.body)
			}
			for k, want := range tt.header {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: %s = %q, want %q", desc, k, got, want)
				}
			}
			for _, s := range tt.contains {
				if !bytes.Contains(body, []byte(s)) {
					t.Errorf("%s: body = %q, want it to contain %q", desc, body, s)
				}
			}
		})
	}
}

// TestHTTPFSMultiRange checks requests for several ranges, which net/http
// answers with a multipart/byteranges body, seeking once per part.
// TestHTTPFSMultiRange is the suite's HTTP case's multi-range requests
// on a server without MLSD.
func TestHTTPFSMultiRange(t *testing.T) {
	hs, _ := httpServe(t, ftpfstest.WithoutMLSD())
	testHTTPFSMultiRange(t, hs)
}

func testHTTPFSMultiRange(t *testing.T, hs *httptest.Server) {
	big := httpTree["big"]
	tests := []struct {
		rangeHdr string
		parts    []string // bodies, in order
		ranges   []string // their Content-Range
	}{
		{"bytes=0-1,4-5", []string{big[0:2], big[4:6]}, []string{"bytes 0-1/1024", "bytes 4-5/1024"}},
		{"bytes=1000-1009,10-19,-4", []string{big[1000:1010], big[10:20], big[1020:]},
			[]string{"bytes 1000-1009/1024", "bytes 10-19/1024", "bytes 1020-1023/1024"}},
	}
	for _, tt := range tests {
		t.Run(tt.rangeHdr, func(t *testing.T) {
			resp, body := httpGet(t, "GET", hs.URL+"/big", "Range", tt.rangeHdr)
			if resp.StatusCode != http.StatusPartialContent {
				t.Fatalf("GET Range: %s: status = %d, want %d", tt.rangeHdr, resp.StatusCode, http.StatusPartialContent)
			}
			mediaType, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if err != nil || mediaType != "multipart/byteranges" {
				t.Fatalf("GET Range: %s: Content-Type = %q (%v), want multipart/byteranges",
					tt.rangeHdr, resp.Header.Get("Content-Type"), err)
			}
			if got, want := resp.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
				t.Errorf("GET Range: %s: Content-Length = %s, want %s (the body's length)", tt.rangeHdr, got, want)
			}
			mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
			for i := 0; ; i++ {
				part, err := mr.NextPart()
				if err == io.EOF {
					if i != len(tt.parts) {
						t.Errorf("GET Range: %s: %d parts, want %d", tt.rangeHdr, i, len(tt.parts))
					}
					break
				}
				if err != nil {
					t.Fatalf("GET Range: %s: part %d: %v", tt.rangeHdr, i, err)
				}
				if i >= len(tt.parts) {
					t.Fatalf("GET Range: %s: more than %d parts", tt.rangeHdr, len(tt.parts))
				}
				got, err := io.ReadAll(part)
				if err != nil {
					t.Fatalf("GET Range: %s: part %d: %v", tt.rangeHdr, i, err)
				}
				if string(got) != tt.parts[i] {
					t.Errorf("GET Range: %s: part %d = %q, want %q", tt.rangeHdr, i, got, tt.parts[i])
				}
				if cr := part.Header.Get("Content-Range"); cr != tt.ranges[i] {
					t.Errorf("GET Range: %s: part %d Content-Range = %q, want %q", tt.rangeHdr, i, cr, tt.ranges[i])
				}
			}
		})
	}
}

// httpTransferCase is a request and the RETR commands it may cost.
type httpTransferCase struct {
	method, path, rangeHdr string
	status                 int
	minRETR, maxRETR       int
}

// TestHTTPFSTransfers counts the RETR commands a request costs: none for a
// HEAD whose content type the extension gives (the size comes from the
// listing through Seek(0, io.SeekEnd)), and no more than the bytes need.
func TestHTTPFSTransfers(t *testing.T) {
	tests := []httpTransferCase{
		{"HEAD", "/hello.txt", "", http.StatusOK, 0, 0},
		{"HEAD", "/dir/sub/data.json", "", http.StatusOK, 0, 0},
		{"HEAD", "/hello.txt", "bytes=2-5", http.StatusPartialContent, 0, 0},
		{"GET", "/dir/", "", http.StatusOK, 0, 0},
		{"GET", "/nope.txt", "", http.StatusNotFound, 0, 0},
		{"GET", "/hello.txt", "", http.StatusOK, 1, 1},
		{"GET", "/hello.txt", "bytes=2-5", http.StatusPartialContent, 1, 1},
		{"GET", "/empty.txt", "", http.StatusOK, 0, 1}, // an empty listed size proves nothing
		// Sniffing reads from 0, then the body is read: the sniff's
		// small read fills a block from the stream (readcache.go), the
		// body's start comes from it, and the transfer goes on where the
		// block ends.
		{"HEAD", "/big", "", http.StatusOK, 1, 1},
		{"GET", "/sniff", "", http.StatusOK, 1, 1},
		{"GET", "/big", "", http.StatusOK, 1, 1},
		{"GET", "/big", "bytes=512-", http.StatusPartialContent, 1, 1},
		{"GET", "/big", "bytes=600-609", http.StatusPartialContent, 1, 1},
	}
	for _, l := range httpListings {
		for _, tt := range tests {
			t.Run(l.name+"/"+tt.method+" "+tt.path+" "+tt.rangeHdr, func(t *testing.T) {
				testHTTPFSTransfer(t, l.opts, tt)
			})
		}
	}
}

func testHTTPFSTransfer(t *testing.T, srvOpts []ftpfstest.Option, tt httpTransferCase) {
	hs, srv := httpServe(t, srvOpts...)
	srv.ResetCommands()
	resp, _ := httpGet(t, tt.method, hs.URL+tt.path, "Range", tt.rangeHdr)
	desc := tt.method + " " + tt.path + " Range: " + tt.rangeHdr
	if resp.StatusCode != tt.status {
		t.Fatalf("%s: status = %d, want %d", desc, resp.StatusCode, tt.status)
	}
	retr := srv.Commands()["RETR"]
	if retr < tt.minRETR || retr > tt.maxRETR {
		t.Errorf("%s: RETR commands = %d, want %d to %d (all: %v)", desc, retr, tt.minRETR, tt.maxRETR, srv.Commands())
	}
}

// TestHTTPFSConditional checks that Last-Modified is the listed
// modification time and that a conditional GET costs no transfer.
func TestHTTPFSConditional(t *testing.T) {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, httpTree)
	mtime := time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)
	if err := backing.Chtimes("/hello.txt", mtime, mtime); err != nil {
		t.Fatal(err)
	}
	fsys, srv := serve(t, backing, nil)
	hs := httptest.NewServer(http.FileServer(http.FS(fsys.IOFS())))
	t.Cleanup(hs.Close)

	resp, _ := httpGet(t, "HEAD", hs.URL+"/hello.txt")
	if got, want := resp.Header.Get("Last-Modified"), mtime.Format(http.TimeFormat); got != want {
		t.Errorf("HEAD /hello.txt: Last-Modified = %q, want %q", got, want)
	}

	tests := []struct {
		since  time.Time
		status int
		retr   int
	}{
		{mtime, http.StatusNotModified, 0},
		{mtime.Add(time.Hour), http.StatusNotModified, 0},
		{mtime.Add(-time.Second), http.StatusOK, 1},
	}
	for _, tt := range tests {
		srv.ResetCommands()
		since := tt.since.Format(http.TimeFormat)
		resp, _ := httpGet(t, "GET", hs.URL+"/hello.txt", "If-Modified-Since", since)
		if resp.StatusCode != tt.status {
			t.Errorf("GET If-Modified-Since: %s: status = %d, want %d", since, resp.StatusCode, tt.status)
		}
		if got := srv.Commands()["RETR"]; got != tt.retr {
			t.Errorf("GET If-Modified-Since: %s: RETR commands = %d, want %d", since, got, tt.retr)
		}
	}
}

// TestHTTPFSConcurrentRanges sends many range requests for a large file at
// once through a pool of one connection: each waits for it, cuts its
// transfer short when it closes the file, and the connection must stay
// usable.
func TestHTTPFSConcurrentRanges(t *testing.T) {
	backing := afero.NewMemMapFs()
	large := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog\n"), 1<<13) // 360 KiB
	if err := afero.WriteFile(backing, "/large.txt", large, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, _ := serve(t, backing, nil, ftpfs.WithMaxConns(1))
	hs := httptest.NewServer(http.FileServer(http.FS(fsys.IOFS())))
	t.Cleanup(hs.Close)

	const n = 12
	type result struct {
		rangeHdr string
		status   int
		body     []byte
		want     []byte
		err      error
	}
	results := make(chan result, n)
	for i := range n {
		go func() {
			start := i * 1000
			end := start + 99
			r := result{rangeHdr: fmt.Sprintf("bytes=%d-%d", start, end), want: large[start : end+1]}
			req, err := http.NewRequestWithContext(t.Context(), "GET", hs.URL+"/large.txt", nil)
			if err != nil {
				r.err = err
				results <- r
				return
			}
			req.Header.Set("Range", r.rangeHdr)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				r.err = err
				results <- r
				return
			}
			defer resp.Body.Close()
			r.status = resp.StatusCode
			r.body, r.err = io.ReadAll(resp.Body)
			results <- r
		}()
	}
	for range n {
		r := <-results
		switch {
		case r.err != nil:
			t.Errorf("GET Range: %s: %v", r.rangeHdr, r.err)
		case r.status != http.StatusPartialContent:
			t.Errorf("GET Range: %s: status = %d, want %d", r.rangeHdr, r.status, http.StatusPartialContent)
		case !bytes.Equal(r.body, r.want):
			t.Errorf("GET Range: %s: body = %q, want %q", r.rangeHdr, r.body, r.want)
		}
	}

	// After all those cut transfers, a whole file still comes through.
	resp, body := httpGet(t, "GET", hs.URL+"/large.txt")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, large) {
		t.Errorf("GET /large.txt after cut transfers: status %d, %d bytes, want %d and %d bytes",
			resp.StatusCode, len(body), http.StatusOK, len(large))
	}
}
