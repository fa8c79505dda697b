// Command walk is du for an FTP server: it walks a tree with fs.WalkDir
// over the io/fs view of an ftpfs.Fs and prints, for every directory, the
// total size and the number of files below it, largest first.
//
// By default it starts an FTP server inside the program, writes a small
// tree to it and summarises that:
//
//	go run ./examples/walk
//
// With -url it reads any server (and changes nothing):
//
//	go run ./examples/walk -url ftp://ftp.example.com/pub -max-depth 1
//
// fs.WalkDir costs one directory listing per directory: ftpfs answers
// every d.Info() from the listing it has just fetched.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"slices"
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
		fmt.Fprintln(os.Stderr, "walk:", err)
		os.Exit(1)
	}
}

// run is the whole program, so that a test can run it too.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("walk", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // run reports errors itself
	rawURL := flags.String("url", "", "summarise this server, read-only (ftp://user:password@host:port/path)")
	maxDepth := flags.Int("max-depth", -1, "show directories at most this deep, like du --max-depth (0: the total only; -1: all)")
	switch err := flags.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, "usage: walk [-url ftp://user:password@host:port/path] [-max-depth n]")
		flags.SetOutput(stdout)
		flags.PrintDefaults()
		return nil
	case err != nil:
		return fmt.Errorf("%w (see -h)", err)
	case flags.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see -h)", flags.Arg(0))
	}

	embedded := *rawURL == ""
	if embedded {
		// No server given: start one, over an in-memory file system.
		srv := ftpfstest.NewServer(afero.NewMemMapFs())
		defer srv.Close()
		*rawURL = srv.URL()
	}
	fsys, err := ftpfs.Dial(ctx, *rawURL)
	if err != nil {
		return err
	}
	defer fsys.Close()
	if embedded {
		n, err := makeDemoTree(fsys)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %d files to an embedded FTP server.\n\n", n)
	}

	dirs, err := du(ctx, fsys.IOFS())
	if len(dirs) > 0 {
		printSummary(stdout, dirs, *maxDepth)
	}
	return err // a directory that could not be listed: main exits 1, like du
}

// dirTotal is what du found below one directory.
type dirTotal struct {
	name  string // slash-separated, "." for the top
	depth int    // 0 for the top
	size  int64  // bytes in files below it, at any depth
	files int    // files below it, at any depth
}

// du walks fsys and returns every directory with the size and number of
// the files below it. Every entry that is not a directory counts as a
// file, with its listed size. Directories that cannot be listed are
// skipped; their errors are returned, joined, with the totals of the rest.
func du(ctx context.Context, fsys fs.FS) ([]*dirTotal, error) {
	totals := map[string]*dirTotal{}
	var errs []error
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr // Ctrl-C: stop walking
		}
		if err != nil {
			if d == nil {
				return err // the top itself is missing
			}
			errs = append(errs, err) // cannot list this directory: go on
			return nil
		}
		if d.IsDir() {
			totals[name] = &dirTotal{name: name, depth: depth(name)}
			return nil
		}
		info, err := d.Info() // from the listing: no round trip
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		// Add the file to its directory and every directory above. (The
		// walk met them first, unless the top itself is a file.)
		for dir := path.Dir(name); ; dir = path.Dir(dir) {
			t := totals[dir]
			if t == nil {
				t = &dirTotal{name: dir, depth: depth(dir)}
				totals[dir] = t
			}
			t.size += info.Size()
			t.files++
			if dir == "." {
				break
			}
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	dirs := make([]*dirTotal, 0, len(totals))
	for _, t := range totals {
		dirs = append(dirs, t)
	}
	// Largest first, like du | sort -rh; ties in name order.
	slices.SortFunc(dirs, func(a, b *dirTotal) int {
		return cmp.Or(cmp.Compare(b.size, a.size), strings.Compare(a.name, b.name))
	})
	return dirs, errors.Join(errs...)
}

// depth is how many levels below the top name is: 0 for ".".
func depth(name string) int {
	if name == "." {
		return 0
	}
	return strings.Count(name, "/") + 1
}

// printSummary prints the directories at most maxDepth deep (-1: all).
func printSummary(out io.Writer, dirs []*dirTotal, maxDepth int) {
	fmt.Fprintf(out, "%10s %6s  %s\n", "SIZE", "FILES", "DIRECTORY")
	for _, d := range dirs {
		if maxDepth >= 0 && d.depth > maxDepth {
			continue
		}
		fmt.Fprintf(out, "%10s %6d  %s\n", formatSize(d.size), d.files, d.name)
	}
}

// formatSize is a human-readable size, in powers of 1024.
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

// demoTree is what the embedded server holds: name and size.
var demoTree = []struct {
	name string
	size int
}{
	{"README.md", 1200},
	{"docs/guide.md", 3 << 10},
	{"docs/api/index.html", 10 << 10},
	{"docs/api/types.html", 6<<10 + 512},
	{"logs/2025/jan.log", 120 << 10},
	{"logs/2025/feb.log", 80 << 10},
	{"logs/2026/jan.log", 40 << 10},
	{"src/main.go", 2 << 10},
	{"src/util/strings.go", 1 << 10},
}

// makeDemoTree writes demoTree, and an empty directory, through fsys: an
// upload per file, with the afero helpers.
func makeDemoTree(fsys afero.Fs) (int, error) {
	if err := fsys.MkdirAll("empty", 0o755); err != nil {
		return 0, err
	}
	for _, f := range demoTree {
		if err := fsys.MkdirAll(path.Dir(f.name), 0o755); err != nil {
			return 0, err
		}
		data := strings.Repeat("x", f.size)
		if err := afero.WriteFile(fsys, f.name, []byte(data), 0o644); err != nil {
			return 0, err
		}
	}
	return len(demoTree), nil
}
