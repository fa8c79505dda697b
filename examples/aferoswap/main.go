// Command aferoswap shows the swap ftpfs is for: code written against
// afero.Fs, and tested on memory, runs unchanged against an FTP server.
//
// Rotate (rotate.go) keeps the newest N log files of a directory. Its
// tests (rotate_test.go) use afero.NewMemMapFs(); this program hands it an
// *ftpfs.Fs. Rotate never learns that it is talking to FTP.
//
// By default the program starts an FTP server inside itself, uploads a
// week of logs to it and rotates them:
//
//	go run ./examples/aferoswap
//
// With -url it rotates a directory on any server. Try -dry-run first: it
// only prints what would go.
//
//	go run ./examples/aferoswap -url ftp://user:pass@ftp.example.com/ -dir var/log/app -keep 7 -dry-run
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
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
		fmt.Fprintln(os.Stderr, "aferoswap:", err)
		os.Exit(1)
	}
}

// run is the whole program, so that a test can run it too.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("aferoswap", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // run reports errors itself
	rawURL := flags.String("url", "", "rotate logs on this server (ftp://user:password@host:port/path)")
	dir := flags.String("dir", "logs", "the directory of the log files")
	keep := flags.Int("keep", 3, "how many of the newest *.log files to keep")
	dryRun := flags.Bool("dry-run", false, "only print what would be removed")
	switch err := flags.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, "usage: aferoswap [-url ftp://user:password@host:port/path] [-dir logs] [-keep 3] [-dry-run]")
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
		srv := ftpfstest.NewServer(afero.NewMemMapFs())
		defer srv.Close()
		*rawURL = srv.URL()
	}
	ftp, err := ftpfs.Dial(ctx, *rawURL)
	if err != nil {
		return err
	}
	defer ftp.Close()

	// From here on the code sees an afero.Fs, nothing more.
	var fsys afero.Fs = ftp
	if embedded {
		if err := uploadLogs(fsys, *dir); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Uploaded a week of logs to %s on an embedded FTP server.\n", *dir)
	}
	fmt.Fprintf(stdout, "Before, %s holds:\n", *dir)
	if err := list(stdout, fsys, *dir); err != nil {
		return err
	}

	if *dryRun {
		old, err := Plan(fsys, *dir, *keep)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Rotate would keep the %d newest logs and remove %d:\n", *keep, len(old))
		for _, name := range old {
			fmt.Fprintf(stdout, "  %s\n", name)
		}
		return nil
	}
	removed, err := Rotate(fsys, *dir, *keep)
	fmt.Fprintf(stdout, "Rotate kept the %d newest logs and removed %d:\n", *keep, len(removed))
	for _, name := range removed {
		fmt.Fprintf(stdout, "  %s\n", name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "After, %s holds:\n", *dir)
	return list(stdout, fsys, *dir)
}

// list prints dir, one line per entry.
func list(out io.Writer, fsys afero.Fs, dir string) error {
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		return err
	}
	for _, info := range infos {
		name := info.Name()
		if info.IsDir() {
			name += "/"
		}
		fmt.Fprintf(out, "  %s  %5d B  %s\n", info.ModTime().UTC().Format("2006-01-02 15:04"), info.Size(), name)
	}
	return nil
}

// uploadLogs writes a week of daily logs, and a file that is not a log, to
// dir, and dates each as its name says (Chtimes: MFMT over FTP).
func uploadLogs(fsys afero.Fs, dir string) error {
	if err := fsys.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	first := time.Date(2025, time.March, 1, 23, 59, 0, 0, time.UTC)
	for i := range 7 {
		day := first.AddDate(0, 0, i)
		name := path.Join(dir, "app-"+day.Format(time.DateOnly)+".log")
		line := fmt.Sprintf("%s app started\n", day.Format(time.RFC3339))
		if err := afero.WriteFile(fsys, name, []byte(line), 0o644); err != nil {
			return err
		}
		if err := fsys.Chtimes(name, day, day); err != nil {
			return err
		}
	}
	readme := path.Join(dir, "README.txt")
	if err := afero.WriteFile(fsys, readme, []byte("Rotate leaves me alone.\n"), 0o644); err != nil {
		return err
	}
	return fsys.Chtimes(readme, first, first)
}
