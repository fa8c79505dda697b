// Command quickstart is a five-minute tour of ftpfs. By default it starts
// an FTP server inside the program, mounts it as a Go file system, writes
// and lists files, walks the tree with io/fs and serves a file over HTTP:
//
//	go run ./examples/quickstart
//
// With -url it only reads: it lists and walks any FTP server.
//
//	go run ./examples/quickstart -url ftp://ftp.example.com/pub -max 20
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path"
	"strings"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole program, so that a test can run it too.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // run reports errors itself
	rawURL := flags.String("url", "", "list and walk this server, read-only (ftp://user:password@host:port/path)")
	maxEntries := flags.Int("max", 50, "show at most this many entries per step (0: no limit)")
	maxDepth := flags.Int("depth", 3, "walk at most this many directories deep (0: no limit)")
	switch err := flags.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, "usage: quickstart [-url ftp://user:password@host:port/path] [-max n] [-depth n]")
		flags.SetOutput(stdout)
		flags.PrintDefaults()
		return nil
	case err != nil:
		return fmt.Errorf("%w (see -h)", err)
	case flags.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see -h)", flags.Arg(0))
	}
	if *rawURL != "" {
		return explore(ctx, *rawURL, *maxEntries, *maxDepth, stdout)
	}
	return demo(ctx, *maxEntries, *maxDepth, stdout)
}

// explore lists and walks any server, without changing anything.
func explore(ctx context.Context, rawURL string, maxEntries, maxDepth int, out io.Writer) error {
	fsys, err := ftpfs.Dial(ctx, rawURL)
	if err != nil {
		return err
	}
	defer fsys.Close()
	fmt.Fprintf(out, "Mounted %s\n", fsys) // String hides the password
	fmt.Fprintln(out, "Top directory:")
	if err := list(fsys, maxEntries, out); err != nil {
		return err
	}
	fmt.Fprintln(out, "Tree:")
	return walk(fsys.IOFS(), maxEntries, maxDepth, out)
}

// demo runs the tour against an FTP server of its own.
func demo(ctx context.Context, maxEntries, maxDepth int, out io.Writer) (err error) {
	// 1. An FTP server to talk to. ftpfstest runs a real one in-process on
	// 127.0.0.1, here over a temporary directory.
	dir, err := os.MkdirTemp("", "ftpfs-quickstart-")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	srv := ftpfstest.NewServer(afero.NewBasePathFs(afero.NewOsFs(), dir))
	defer srv.Close()
	fmt.Fprintf(out, "1. Started an FTP server on %s, serving %s\n", srv.Addr(), dir)

	// 2. Mount it. The URL is ftp://user:password@host:port/path; ftpes://
	// and ftps:// add TLS. fsys is an afero.Fs, safe for concurrent use.
	fsys, err := ftpfs.Dial(ctx, srv.URL())
	if err != nil {
		return err
	}
	defer fsys.Close()
	fmt.Fprintf(out, "2. Mounted %s with ftpfs.Dial\n", fsys) // String hides the password

	// 3. Write, with afero's helpers or fsys.Create. Close (inside
	// afero.WriteFile) reports whether the server stored the upload.
	if err := fsys.MkdirAll("docs/notes", 0o755); err != nil {
		return err
	}
	files := []struct{ name, content string }{
		{"hello.txt", "hello from ftpfs\n"},
		{"docs/guide.md", "# Guide\n\nftpfs makes FTP look like a file system.\n"},
		{"docs/notes/todo.txt", "- try the -url flag\n"},
	}
	for _, f := range files {
		if err := afero.WriteFile(fsys, f.name, []byte(f.content), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "3. Made docs/notes/ and wrote %d files\n", len(files))

	// 4. List a directory.
	fmt.Fprintln(out, "4. Listed the top directory with afero.ReadDir:")
	if err := list(fsys, maxEntries, out); err != nil {
		return err
	}

	// 5. Walk the tree. IOFS is the io/fs view: it works with fs.WalkDir,
	// fs.Glob, template.ParseFS, http.FS and friends.
	fmt.Fprintln(out, "5. Walked the tree with fs.WalkDir(fsys.IOFS(), ...):")
	if err := walk(fsys.IOFS(), maxEntries, maxDepth, out); err != nil {
		return err
	}

	// 6. Serve the files over HTTP, here on a loopback test server. Range
	// requests work; each read is an FTP download.
	web := httptest.NewServer(http.FileServer(http.FS(fsys.IOFS())))
	defer web.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, web.URL+"/hello.txt", nil)
	if err != nil {
		return err
	}
	resp, err := web.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "6. Served the files with http.FS(fsys.IOFS()): GET /hello.txt → %s, %d bytes: %q\n",
		resp.Status, len(body), body)

	fmt.Fprintf(out, "7. Done. Closing ftpfs and the server, removing %s\n", dir)
	return nil
}

// list prints the top directory, at most maxEntries of it (0: all).
func list(fsys *ftpfs.Fs, maxEntries int, out io.Writer) error {
	entries, err := afero.ReadDir(fsys, ".") // sorted by name
	if err != nil {
		return err
	}
	for i, info := range entries {
		if maxEntries > 0 && i == maxEntries {
			fmt.Fprintf(out, "   … and %d more\n", len(entries)-i)
			break
		}
		fmt.Fprintf(out, "   %-24s %s\n", displayName(info.Name(), info.IsDir()), describe(info))
	}
	return nil
}

// walk prints the tree below the top directory, indented by depth, at
// most maxEntries entries and maxDepth levels (0: no limit).
func walk(fsys fs.FS, maxEntries, maxDepth int, out io.Writer) error {
	shown := 0
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if name == "." {
			return err // nothing to show for the top; an error there ends the walk
		}
		depth := strings.Count(name, "/") + 1
		indent := strings.Repeat("  ", depth)
		if err != nil { // a directory that cannot be listed: say so, go on
			fmt.Fprintf(out, "   %s  (cannot list: %v)\n", indent, err)
			return nil
		}
		if maxEntries > 0 && shown == maxEntries {
			fmt.Fprintf(out, "   %s… stopped after %d entries (see -max)\n", indent, maxEntries)
			return fs.SkipAll
		}
		shown++
		info, err := d.Info()
		if err != nil {
			return err
		}
		label := indent + displayName(path.Base(name), d.IsDir())
		fmt.Fprintf(out, "   %-24s %s\n", label, describe(info))
		if d.IsDir() && depth == maxDepth {
			return fs.SkipDir // deep enough (see -depth)
		}
		return nil
	})
}

// displayName marks directories with a trailing slash.
func displayName(name string, isDir bool) string {
	if isDir {
		return name + "/"
	}
	return name
}

// describe gives a file's size and modification time.
func describe(info fs.FileInfo) string {
	when := info.ModTime().UTC().Format("2006-01-02 15:04 UTC")
	if info.IsDir() {
		return fmt.Sprintf("%9s  %s", "dir", when)
	}
	return fmt.Sprintf("%9s  %s", formatSize(info.Size()), when)
}

// formatSize is a human-readable size.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
