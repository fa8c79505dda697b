// Command ftpfs-bench measures ftpfs against other FTP clients (Python's
// ftputil, rclone, lftp, curl) on the same FTP servers on loopback, as
// issue 7 asks: walk + stat of a tree, a big download, a big upload, many
// small uploads through ftpsync.Mirror, and a re-sync with nothing changed.
//
// It takes the servers of scripts/ftpd.sh from the environment it exports
// (FTPFS_VSFTPD_URL and FTPFS_VSFTPD_ROOT, and so on), or from -server
// flags, writes the workloads straight into each server's root on local
// disk, and runs every contender as a process of its own, interleaved for
// -rounds rounds. It prints a Markdown report: per server, the median time,
// the ratio to the best peer and to the floor, the rate, the peak RSS, and
// the FTP commands of ftpfs per directory and per file; then the issue's
// targets, met or missed.
//
//	bash cmd/ftpfs-bench/install-peers.sh   # python3-ftputil rclone lftp curl
//	eval "$(scripts/ftpd.sh start)"
//	go run ./cmd/ftpfs-bench -profile /tmp/prof
//
// See docs/benchmarks.md for the results and what they mean.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"
)

//go:embed ftputil_bench.py
var ftputilScript []byte

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case oursCommand:
			os.Exit(oursMain(os.Args[2:]))
		case spawnCommand:
			os.Exit(spawnMain(os.Args[2:]))
		}
	}
	if err := run(); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "ftpfs-bench:", err)
		}
		os.Exit(1)
	}
}

func run() error {
	fl := flag.NewFlagSet("ftpfs-bench", flag.ContinueOnError)
	cfg, err := parseFlags(fl, os.Args[1:])
	if err != nil {
		return err
	}
	servers := cfg.Servers
	if len(servers) == 0 {
		if servers, err = serversFromEnv(os.Getenv, cfg.Only); err != nil {
			return err
		}
	}
	if len(servers) == 0 {
		return errors.New(`no servers: run eval "$(scripts/ftpd.sh start)" first, or pass -server name=URL,root=DIR`)
	}
	for _, s := range servers {
		if s.Root == "" {
			return fmt.Errorf("%s: its root directory on local disk is unknown (FTPFS_%s_ROOT)", s.Name, strings.ToUpper(s.Name))
		}
	}
	e, err := newEnv(cfg)
	if err != nil {
		return err
	}
	defer os.RemoveAll(e.scratch)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := e.prepareScratch(); err != nil {
		return err
	}
	start := time.Now()
	var results []*serverResult
	for _, s := range servers {
		sr, err := e.runServer(ctx, s)
		if sr != nil {
			results = append(results, sr)
		}
		if err != nil {
			logf("%v", err)
			break
		}
	}
	elapsed := time.Since(start).Round(time.Second).String()
	var out io.Writer = os.Stdout
	if cfg.Out != "" {
		f, err := os.Create(cfg.Out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	writeReport(out, e, results, elapsed)
	return nil
}

// newEnv finds this program, makes the scratch directory, writes the
// ftputil script there and checks the peers.
func newEnv(cfg config) (*env, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	launcher = exe
	e := &env{cfg: cfg, exe: exe, missing: missingPeers()}
	for peer, pkg := range e.missing {
		logf("peer %s is missing (Debian package %s; run cmd/ftpfs-bench/install-peers.sh): skipped", peer, pkg)
	}
	if e.scratch, e.cfg.ScratchIsTmpfs, err = scratchDir(cfg.Scratch); err != nil {
		return nil, err
	}
	e.script = filepath.Join(e.scratch, "ftputil_bench.py")
	if err := os.WriteFile(e.script, ftputilScript, 0o644); err != nil {
		return nil, err
	}
	if r := runProcess(context.Background(), time.Minute, true, nil, "/bin/true"); r.Err == nil {
		e.rssFloor = r.MaxRSS
	}
	if cfg.ProfileDir != "" {
		if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
			return nil, err
		}
	}
	return e, nil
}
