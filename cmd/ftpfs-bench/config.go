package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// config is what the flags say.
type config struct {
	Rounds         int
	BigSize        int64
	WalkFiles      int
	WalkFileSize   int
	SmallFiles     int
	SmallFileSize  int
	Parallel       int
	Workloads      []string
	Only           []string // server names
	Servers        []server // from -server
	Settle         map[string]time.Duration
	CountPeers     bool
	ProfileDir     string
	Timeout        time.Duration
	Scratch        string
	ScratchIsTmpfs bool
	Keep           bool
	NoSync         bool
	NoWarmup       bool
	Out            string
	RcloneUpload   bool
}

var allWorkloads = []string{"walk", "download", "upload", "small", "resync", "open", "testfs"}

// serverFlags collects repeated -server flags.
type serverFlags []server

func (s *serverFlags) String() string { return fmt.Sprint(len(*s), " servers") }
func (s *serverFlags) Set(v string) error {
	srv, err := parseServerFlag(v)
	if err == nil {
		*s = append(*s, srv)
	}
	return err
}

// parseFlags reads the command line.
func parseFlags(fl *flag.FlagSet, args []string) (config, error) {
	var c config
	var big, workloads, only, settle, count string
	var servers serverFlags
	fl.IntVar(&c.Rounds, "rounds", 3, "rounds: every contender runs once per round, interleaved")
	fl.StringVar(&big, "big-size", "1GiB", "size of the big file (download, upload); B, KiB, MiB, GiB suffixes")
	fl.IntVar(&c.WalkFiles, "walk-files", 10000, "files of the walk tree (spread over its 100 leaf dirs; 111 dirs in all)")
	fl.IntVar(&c.WalkFileSize, "walk-file-size", 1024, "size of each walk file, bytes")
	fl.IntVar(&c.SmallFiles, "small-files", 1000, "files of the small-upload tree (100 per dir)")
	fl.IntVar(&c.SmallFileSize, "small-file-size", 4096, "size of each small file, bytes")
	fl.IntVar(&c.Parallel, "parallel", 4, "parallel transfers of the mirrors (ours and the peers)")
	fl.StringVar(&workloads, "workloads", strings.Join(allWorkloads, ","), "workloads to run, comma-separated")
	fl.StringVar(&only, "servers", "", "limit the servers of the environment to these names (vsftpd,pureftpd,proftpd)")
	fl.Var(&servers, "server", "a server by `name=URL,root=DIR[,pidfile=FILE]` instead of the FTPFS_* environment (repeatable; root is the server's root on local disk, required; with the daemon's pid file each run also measures the server's processor time)")
	fl.StringVar(&settle, "settle", "proftpd=1.1s", "pause before each run, per server (`name=duration,...`): proftpd delays the greeting of a connection that follows a session ended less than ~1 s before, which would charge each contender for the one before it")
	fl.StringVar(&count, "count", "ours", "which contenders get a counting run through the command-counting proxy: ours or all")
	fl.StringVar(&c.ProfileDir, "profile", "", "write CPU profiles of one extra run of each of ours into this directory")
	fl.DurationVar(&c.Timeout, "timeout", 3*time.Minute, "limit of one run")
	fl.StringVar(&c.Scratch, "scratch", "", "local scratch directory (default: a new directory in /dev/shm)")
	fl.BoolVar(&c.Keep, "keep", false, "leave the workloads in the servers' roots")
	fl.BoolVar(&c.NoSync, "no-sync", false, "do not sync(2) before each run (by default every run starts with no dirty pages to write back)")
	fl.BoolVar(&c.NoWarmup, "no-warmup", false, "skip the untimed warm-up run of each workload's floor")
	fl.StringVar(&c.Out, "out", "", "also write the report to this file")
	fl.BoolVar(&c.RcloneUpload, "rclone-upload", true, "include rclone copyto in the big upload")
	if err := fl.Parse(args); err != nil {
		return c, err
	}
	var err error
	if c.BigSize, err = parseSize(big); err != nil {
		return c, err
	}
	if c.Settle, err = parseSettle(settle); err != nil {
		return c, err
	}
	switch count {
	case "ours":
	case "all":
		c.CountPeers = true
	default:
		return c, fmt.Errorf("-count %q: want ours or all", count)
	}
	c.Workloads = splitList(workloads)
	for _, w := range c.Workloads {
		if !contains(allWorkloads, w) {
			return c, fmt.Errorf("unknown workload %q (have %s)", w, strings.Join(allWorkloads, ", "))
		}
	}
	c.Only = splitList(only)
	c.Servers = servers
	for _, s := range c.Servers {
		if s.Root == "" {
			return c, fmt.Errorf("-server %s: root=DIR is required", s.Name)
		}
	}
	if c.Rounds < 1 || c.Parallel < 1 || c.WalkFiles < 1 || c.SmallFiles < 1 || c.BigSize < 1 {
		return c, fmt.Errorf("rounds, parallel, sizes and counts must be positive")
	}
	return c, nil
}

// parseSize reads "1GiB", "256MiB", "64KiB", "1000" (bytes).
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// parseSettle reads "name=duration,...".
func parseSettle(s string) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for _, item := range splitList(s) {
		name, d, ok := strings.Cut(item, "=")
		dur, err := time.ParseDuration(d)
		if !ok || err != nil || dur < 0 {
			return nil, fmt.Errorf("-settle %q: want name=duration", item)
		}
		out[name] = dur
	}
	return out, nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
