// Command httpserve puts an FTP directory behind a web server: the way to
// give a legacy FTP share a browsable HTTP front end. It is one line of
// ftpfs:
//
//	http.FileServer(http.FS(fsys.IOFS()))
//
// Directory pages, Range requests (a transfer restarted at the offset),
// Last-Modified and If-Modified-Since all work. By default it serves a
// small tree from an FTP server it starts itself:
//
//	go run ./examples/httpserve                  # then open http://127.0.0.1:8080/
//	go run ./examples/httpserve -url ftp://ftp.example.com/pub -addr :8080
//
// With -once it serves on a free loopback port, makes one GET of a file
// and one Range GET, prints what came back and exits:
//
//	go run ./examples/httpserve -once
//
// Ctrl-C stops the server gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpserve:", err)
		os.Exit(1)
	}
}

// run is the whole program, so that a test can run it too. It serves
// until ctx ends (Ctrl-C), or with -once until its requests are done.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("httpserve", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // run reports errors itself
	rawURL := flags.String("url", "", "serve this server's files, read-only (ftp://user:password@host:port/path)")
	addr := flags.String("addr", "127.0.0.1:8080", "listen on this address")
	once := flags.Bool("once", false, "listen on 127.0.0.1:0, GET one file and a range of it, print the results and exit")
	file := flags.String("file", "", "with -once, the file to get (default: the first file found)")
	switch err := flags.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, "usage: httpserve [-url ftp://user:password@host:port/path] [-addr host:port] [-once [-file name]]")
		flags.SetOutput(stdout)
		flags.PrintDefaults()
		return nil
	case err != nil:
		return fmt.Errorf("%w (see -h)", err)
	case flags.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see -h)", flags.Arg(0))
	}

	if *rawURL == "" {
		srv, err := demoServer()
		if err != nil {
			return err
		}
		defer srv.Close()
		*rawURL = srv.URL()
	}
	fsys, err := ftpfs.Dial(ctx, *rawURL)
	if err != nil {
		return err
	}
	defer fsys.Close()

	// The whole web server. http.FS turns the io/fs view into what
	// http.FileServer wants; http.FileServer answers 404 for
	// fs.ErrNotExist and 403 for fs.ErrPermission.
	handler := http.FileServer(http.FS(fsys.IOFS()))

	if *once {
		*addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	web := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- web.Serve(ln) }()
	base := "http://" + ln.Addr().String()

	var runErr error
	if *once {
		runErr = tryIt(ctx, fsys.IOFS(), base, *file, stdout)
	} else {
		fmt.Fprintf(stdout, "Serving %s on %s/ (Ctrl-C to stop)\n", fsys, base) // fsys prints without the password
		<-ctx.Done()
		fmt.Fprintln(stdout, "Shutting down")
	}

	// Graceful shutdown: stop accepting, let requests under way finish
	// (each holds an FTP connection while it transfers), for at most 5 s.
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = web.Shutdown(shutCtx)
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return errors.Join(runErr, err)
}

// tryIt makes the -once requests: a directory page, a whole file and a
// range of it.
func tryIt(ctx context.Context, fsys fs.FS, base, name string, out io.Writer) error {
	if name == "" {
		var err error
		if name, err = firstFile(fsys); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Serving on %s/\n", base)
	requests := []struct{ path, rangeHeader string }{
		{"/", ""},
		{"/" + name, ""},
		{"/" + name, "bytes=-30"}, // the last 30 bytes
	}
	for _, r := range requests {
		if err := get(ctx, base, r.path, r.rangeHeader, out); err != nil {
			return err
		}
	}
	return nil
}

// get makes one request and prints the status, the headers that matter
// and the start of the body.
func get(ctx context.Context, base, urlPath, rangeHeader string, out io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+urlPath, nil)
	if err != nil {
		return err
	}
	line := "GET " + urlPath
	if rangeHeader != "" {
		req.Header.Set("Range", rangeHeader)
		line += " (Range: " + rangeHeader + ")"
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s\n  %s, %s, %d bytes\n", line, resp.Status, resp.Header.Get("Content-Type"), len(body))
	if cr := resp.Header.Get("Content-Range"); cr != "" {
		fmt.Fprintf(out, "  Content-Range: %s\n", cr)
	}
	if strings.HasSuffix(urlPath, "/") { // a directory page: show its links
		links := hrefs.FindAllSubmatch(body, -1)
		fmt.Fprintf(out, "  %d links:", len(links))
		for _, l := range links {
			fmt.Fprintf(out, " %s", l[1])
		}
		fmt.Fprintln(out)
	} else {
		const show = 60
		if len(body) > show {
			body = append(body[:show:show], "…"...)
		}
		fmt.Fprintf(out, "  %q\n", body)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("GET %s: %s", urlPath, resp.Status)
	}
	return nil
}

// hrefs finds the links of a directory page.
var hrefs = regexp.MustCompile(`<a href="([^"]*)">`)

// firstFile returns the first regular file that is not empty, in walk
// order.
func firstFile(fsys fs.FS) (string, error) {
	found := ""
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case !d.Type().IsRegular():
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > 0 {
			found = name
			return fs.SkipAll
		}
		return nil
	})
	if err == nil && found == "" {
		err = errors.New("no file to get")
	}
	return found, err
}

// demoServer starts an FTP server over a small in-memory tree.
func demoServer() (*ftpfstest.Server, error) {
	backing := afero.NewMemMapFs()
	files := map[string]string{
		"/hello.txt":        "hello from an FTP server, over HTTP\n",
		"/docs/manual.txt":  "ftpfs manual\n\nChapter 1. Mounting a server.\n",
		"/site/index.html":  "<!doctype html><title>ftpfs</title><h1>An FTP site, served over HTTP</h1>\n",
		"/site/style.css":   "h1 { font-family: sans-serif; }\n",
		"/pub/data/a.csv":   "id,name\n1,alpha\n2,beta\n",
		"/pub/data/b.csv":   "id,name\n3,gamma\n",
		"/pub/old/note.txt": "nothing to see\n",
	}
	for name, content := range files {
		if err := afero.WriteFile(backing, name, []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	return ftpfstest.NewServer(backing), nil
}
