package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// sample is one measured run of a contender.
type sample struct {
	Wall   time.Duration
	CPU    time.Duration // user + system time of the process (zero for in-process floors)
	MaxRSS int64         // peak resident set size in bytes (zero for in-process floors)
	// ServerCPU is the daemon's processor time during the run (zero when
	// not measured: no pid file, or a floor).
	ServerCPU time.Duration
	Err       error
	Note      string // what the check after the run found worth saying
}

// procResult is what a finished child process left behind.
type procResult struct {
	sample
	Stdout string
}

// launcher is this program's executable, which runs each contender
// through its spawnCommand (see spawn.go).
var launcher string

// runProcess runs argv with env added to the program's environment,
// through the launcher, which times it from start to exit and reads its
// peak RSS and CPU time from its rusage. A failed run is an error carrying
// stderr's tail. With discard, standard output goes to /dev/null.
func runProcess(ctx context.Context, timeout time.Duration, discard bool, env []string, argv ...string) procResult {
	var r procResult
	pr, pw, err := os.Pipe()
	if err != nil {
		r.Err = err
		return r
	}
	defer pr.Close()
	// The launcher enforces the timeout; this one, a little longer, is
	// for a launcher that hangs.
	ctx, cancel := context.WithTimeout(ctx, timeout+10*time.Second)
	defer cancel()
	args := append([]string{spawnCommand, "-timeout", timeout.String(), "--"}, argv...)
	cmd := exec.CommandContext(ctx, launcher, args...)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.ExtraFiles = []*os.File{pw}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if discard {
		cmd.Stdout = nil // os/exec opens /dev/null, which the contender inherits
	}
	err = cmd.Start()
	_ = pw.Close() // the launcher holds its own copy
	if err != nil {
		r.Err = err
		return r
	}
	report, _ := io.ReadAll(pr) // ends when the launcher exits
	werr := cmd.Wait()
	r.Stdout = stdout.String()
	rep, derr := decodeSpawnReport(report)
	switch {
	case derr != nil:
		r.Err = fmt.Errorf("%s: launcher: %v, %v: %s", argv[0], werr, derr, tail(stderr.String(), 300))
	case rep.Err != "":
		r.Err = fmt.Errorf("%s: %s: %s", argv[0], rep.Err, tail(stderr.String(), 300))
	}
	r.Wall = time.Duration(rep.WallNs)
	r.CPU = time.Duration(rep.CPUNs)
	r.MaxRSS = rep.MaxRSS
	return r
}

// tail returns the last n bytes of s, trimmed, on one line.
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return strings.Join(strings.Fields(s), " ")
}
