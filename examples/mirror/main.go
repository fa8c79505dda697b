// Command mirror keeps a local directory and a directory on an FTP server
// in step, in either direction, with package sync's Mirror: it copies
// what is new or newer, in parallel, optionally removes what the source
// lacks, shows a progress bar while it transfers and prints a summary.
//
// By default it starts an FTP server inside the program, generates a
// small tree in a temporary directory, mirrors it up, and mirrors it again
// to show that the second run finds nothing to transfer:
//
//	go run ./examples/mirror
//
// With -url it works on any server; -local names the local directory:
//
//	go run ./examples/mirror -url ftp://user:pass@ftp.example.com/www -local ./site -delete -dry-run
//	go run ./examples/mirror -url ftp://ftp.example.com/pub -direction down -local ./pub
//
// Try -dry-run first: it prints what a real run would do and changes
// nothing. The bar goes to stderr (-quiet turns it off), the summary to
// stdout. Ctrl-C stops between chunks; the files under way keep their old
// content, and the next run finishes the job. With -resume the files
// under way keep what they received, in partial files beside them, and
// the next run with -resume continues them where they stopped (downloads
// with REST, uploads with APPE) instead of starting again:
//
//	go run ./examples/mirror -url ftp://ftp.example.com/isos -direction down -local ./isos -resume
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mirror:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	rawURL    string
	local     string
	up        bool // -direction up: local → remote; else remote → local
	dryRun    bool
	delete    bool
	parallel  int
	quiet     bool
	resume    bool      // -resume: continue what an interrupted run left
	verify    bool      // -verify-hash: compare hashes where the server computes them
	bar       io.Writer // where the progress bar goes, unless quiet
	embedded  bool      // no -url: an FTP server of our own
	localTemp bool      // no -local: a temporary directory of our own
}

// run is the whole program, so that a test can run it too. The summary
// goes to stdout, the progress bar to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	flags := flag.NewFlagSet("mirror", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // run reports errors itself
	rawURL := flags.String("url", "", "the remote directory (ftp://user:password@host:port/path; default: an embedded server)")
	local := flags.String("local", "", "the local directory (default: a temporary directory, filled with a small tree in embedded mode)")
	direction := flags.String("direction", "up", `"up" (local → remote) or "down" (remote → local)`)
	dryRun := flags.Bool("dry-run", false, "only report what would be done; change nothing")
	del := flags.Bool("delete", false, "remove from the destination what the source lacks")
	parallel := flags.Int("parallel", ftpsync.DefaultParallel, "transfer this many files at once")
	quiet := flags.Bool("quiet", false, "show no progress bar")
	resume := flags.Bool("resume", false, "continue the transfers an interrupted run left unfinished (REST, APPE) instead of starting them again")
	verify := flags.Bool("verify-hash", false, "compare each copy's hash with its source's where the server computes hashes (HASH, XMD5…)")
	switch err := flags.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, "usage: mirror [-url ftp://user:password@host:port/path] [-local dir] [-direction up|down] [-dry-run] [-delete] [-parallel n] [-resume] [-verify-hash] [-quiet]")
		flags.SetOutput(stdout)
		flags.PrintDefaults()
		return nil
	case err != nil:
		return fmt.Errorf("%w (see -h)", err)
	case flags.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see -h)", flags.Arg(0))
	}
	cfg := config{
		rawURL: *rawURL, local: *local,
		dryRun: *dryRun, delete: *del, parallel: *parallel,
		quiet: *quiet, bar: stderr, resume: *resume, verify: *verify,
		embedded: *rawURL == "", localTemp: *local == "",
	}
	switch *direction {
	case "up":
		cfg.up = true
	case "down":
	default:
		return fmt.Errorf(`-direction %q: want "up" or "down" (see -h)`, *direction)
	}
	if cfg.parallel < 1 {
		return fmt.Errorf("-parallel %d: want at least 1 (see -h)", cfg.parallel)
	}
	if !cfg.embedded && cfg.localTemp && cfg.up {
		// An empty temporary tree mirrored onto a real server does
		// nothing, or with -delete empties it: refuse.
		return errors.New("-url with -direction up needs -local, the directory to upload (see -h)")
	}

	var remoteDir string // embedded mode: what the server serves
	if cfg.embedded {
		if remoteDir, err = os.MkdirTemp("", "ftpfs-mirror-remote-"); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, os.RemoveAll(remoteDir)) }()
		srv := ftpfstest.NewServer(afero.NewBasePathFs(afero.NewOsFs(), remoteDir))
		defer srv.Close()
		cfg.rawURL = srv.URL()
		fmt.Fprintf(stdout, "Started an FTP server on %s, serving %s\n", srv.Addr(), remoteDir)
	}
	if cfg.localTemp {
		if cfg.local, err = os.MkdirTemp("", "ftpfs-mirror-local-"); err != nil {
			return err
		}
		if cfg.embedded {
			defer func() { err = errors.Join(err, os.RemoveAll(cfg.local)) }()
		} else {
			fmt.Fprintf(stdout, "Downloading into %s (kept afterwards)\n", cfg.local)
			defer func() {
				if err != nil {
					os.Remove(cfg.local) // only if still empty: no use keeping that
				}
			}()
		}
	}
	if cfg.embedded {
		// Something to mirror: the local tree going up, unless it is the
		// user's own; the server's going down.
		genDir := remoteDir
		if cfg.up {
			genDir = cfg.local
		}
		if genDir == remoteDir || cfg.localTemp {
			n, size, err := makeDemoTree(genDir)
			if err != nil {
				return err
			}
			where := "locally"
			if genDir == remoteDir {
				where = "on the server"
			}
			fmt.Fprintf(stdout, "Generated %d files (%s) %s, in %s\n", n, formatSize(size), where, genDir)
		}
	}

	// Each parallel transfer holds a connection of its own.
	remote, err := ftpfs.Dial(ctx, cfg.rawURL, ftpfs.WithMaxConns(max(cfg.parallel, ftpfs.DefaultMaxConns)))
	if err != nil {
		return err
	}
	defer remote.Close()

	runs := 1
	if cfg.embedded {
		runs = 2 // the second shows that nothing is transferred again
	}
	for i := 1; i <= runs; i++ {
		fmt.Fprintln(stdout)
		fmt.Fprintln(stdout, heading(cfg, remote, i, runs))
		stats, elapsed, err := mirrorOnce(ctx, cfg, remote)
		printSummary(stdout, stats, elapsed)
		if err != nil {
			return err
		}
	}
	return nil
}

// heading names a run: its number when there are several, its
// direction, source and destination.
func heading(cfg config, remote *ftpfs.Fs, i, runs int) string {
	var b strings.Builder
	if runs > 1 {
		fmt.Fprintf(&b, "Run %d", i)
		if i > 1 {
			b.WriteString(", with nothing changed")
		}
		b.WriteString(": ")
	}
	if cfg.up {
		fmt.Fprintf(&b, "up %s → %s", cfg.local, remote) // String hides the password
	} else {
		fmt.Fprintf(&b, "down %s → %s", remote, cfg.local)
	}
	if cfg.dryRun {
		b.WriteString(" (dry run: nothing is changed, the counts are what a real run would do)")
	}
	return b.String()
}

// mirrorOnce runs Mirror in the configured direction, with the progress
// bar unless quiet, and reports what it did and how long it took.
func mirrorOnce(ctx context.Context, cfg config, remote *ftpfs.Fs) (ftpsync.Stats, time.Duration, error) {
	opts := []ftpsync.Option{ftpsync.WithParallel(cfg.parallel)}
	if cfg.delete {
		opts = append(opts, ftpsync.WithDelete())
	}
	if cfg.dryRun {
		opts = append(opts, ftpsync.WithDryRun())
	}
	if cfg.resume {
		opts = append(opts, ftpsync.WithResume())
	}
	if cfg.verify {
		opts = append(opts, ftpsync.WithVerifyHash())
	}
	var bar *progressBar
	if !cfg.quiet {
		bar = newProgressBar(cfg.bar)
		opts = append(opts, ftpsync.WithProgress(bar.report))
	}
	local := afero.NewOsFs()
	start := time.Now()
	var stats ftpsync.Stats
	var err error
	if cfg.up {
		stats, err = ftpsync.Mirror(ctx, remote, ".", local, cfg.local, opts...)
	} else {
		stats, err = ftpsync.Mirror(ctx, local, cfg.local, remote, ".", opts...)
	}
	elapsed := time.Since(start)
	bar.finish(err == nil)
	return stats, elapsed, err
}

// printSummary prints what a run did (or, dry, would do).
func printSummary(out io.Writer, s ftpsync.Stats, elapsed time.Duration) {
	files := "files"
	if s.Copied == 1 {
		files = "file"
	}
	fmt.Fprintf(out, "  copied:     %d %s, %s\n", s.Copied, files, formatSize(s.Bytes))
	fmt.Fprintf(out, "  deleted:    %d\n", s.Deleted)
	fmt.Fprintf(out, "  skipped:    %d\n", s.Skipped)
	fmt.Fprintf(out, "  dirs made:  %d\n", s.DirsMade)
	if s.Errors > 0 {
		fmt.Fprintf(out, "  errors:     %d\n", s.Errors)
	}
	fmt.Fprintf(out, "  time:       %s", formatDuration(elapsed))
	if s.Bytes > 0 && elapsed > 0 {
		fmt.Fprintf(out, " (%s/s)", formatSize(int64(float64(s.Bytes)/elapsed.Seconds())))
	}
	fmt.Fprintln(out)
}

// formatDuration rounds d to three significant digits or so: 1.23s,
// 45ms, 873µs.
func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(time.Microsecond).String()
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

// demoTree is the generated tree: name and size.
var demoTree = []struct {
	name string
	size int
}{
	{"README.md", 1200},
	{"assets/logo.png", 48 << 10},
	{"assets/video/intro.mp4", 768 << 10},
	{"docs/api/index.html", 10 << 10},
	{"docs/api/types.html", 6<<10 + 512},
	{"docs/guide.md", 3 << 10},
	{"logs/2026/jan.log", 120 << 10},
	{"src/main.go", 2 << 10},
	{"src/util/strings.go", 1 << 10},
}

// makeDemoTree writes demoTree below dir, and returns the number of
// files and their total size.
func makeDemoTree(dir string) (n int, size int64, err error) {
	for _, f := range demoTree {
		name := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return n, size, err
		}
		line := "content of " + f.name + "\n"
		data := []byte(strings.Repeat(line, f.size/len(line)+1)[:f.size])
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return n, size, err
		}
		n++
		size += int64(f.size)
	}
	return n, size, nil
}
