package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// spawnCommand is the hidden subcommand through which every contender
// runs. Linux carries a process's peak RSS across fork and execve into
// the new program's ru_maxrss, so a contender started straight from this
// program (15–20 MiB resident after making the workloads) could never
// report less than that. The launcher is a fresh, small process (about
// 2 MiB resident): it starts the contender, times it, and reads its peak
// RSS and CPU time from os/exec's ProcessState.SysUsage(), then reports
// them on file descriptor 3.
const spawnCommand = "__spawn"

// spawnReport is what the launcher reports.
type spawnReport struct {
	WallNs int64  `json:"wall_ns"`
	CPUNs  int64  `json:"cpu_ns"`
	MaxRSS int64  `json:"maxrss"` // bytes
	Err    string `json:"err,omitempty"`
}

// spawnMain runs the launcher: spawnCommand -timeout D -- argv...
// The contender inherits the launcher's standard streams and environment.
func spawnMain(args []string) int {
	fl := flag.NewFlagSet(spawnCommand, flag.ContinueOnError)
	timeout := fl.Duration("timeout", time.Minute, "limit of the run")
	if err := fl.Parse(args); err != nil || fl.NArg() == 0 {
		return 2
	}
	report := os.NewFile(3, "report")
	if report == nil {
		fmt.Fprintln(os.Stderr, "ftpfs-bench: the launcher needs its report on fd 3")
		return 2
	}
	argv := fl.Args()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	rep := spawnReport{WallNs: int64(time.Since(start))}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			rep.MaxRSS = ru.Maxrss * 1024 // Linux reports KiB
			rep.CPUNs = ru.Utime.Nano() + ru.Stime.Nano()
		}
	}
	if err != nil {
		rep.Err = err.Error()
		if ctx.Err() != nil {
			rep.Err = "timed out after " + timeout.String()
		}
	}
	if err := json.NewEncoder(report).Encode(rep); err != nil {
		fmt.Fprintln(os.Stderr, "ftpfs-bench: launcher report:", err)
		return 1
	}
	return 0
}

// decodeSpawnReport reads the launcher's report.
func decodeSpawnReport(b []byte) (spawnReport, error) {
	var rep spawnReport
	if len(b) == 0 {
		return rep, errors.New("the launcher reported nothing")
	}
	err := json.Unmarshal(b, &rep)
	return rep, err
}
