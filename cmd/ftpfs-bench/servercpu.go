package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is Linux's USER_HZ, the unit of the times in /proc/PID/stat
// (100 on every Linux architecture Go supports).
const clockTicks = 100

// daemonCPU reads the processor time a forking FTP daemon has used: its
// own, and that of every session process it has reaped (the kernel adds
// a child's time to its parent's when the parent waits for it, and
// vsftpd, pure-ftpd and proftpd all wait for their session processes).
// The difference of two readings, taken when the daemon has no session
// process left, is the server's work between them: with the client's own
// time it tells whether a run kept the machine's processors busy.
type daemonCPU struct {
	pidFile string // the daemon's pid file
}

// read returns the daemon's processor time so far.
func (d daemonCPU) read() (time.Duration, error) {
	pid, err := d.pid()
	if err != nil {
		return 0, err
	}
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	return parseProcTimes(string(stat))
}

// idle waits, up to limit, until the daemon has no session process left
// (so that the sessions of the run just ended are reaped and counted).
func (d daemonCPU) idle(limit time.Duration) error {
	pid, err := d.pid()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		children, err := os.ReadFile("/proc/" + pid + "/task/" + pid + "/children")
		if err != nil {
			return err
		}
		if strings.TrimSpace(string(children)) == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("daemon %s still has sessions after %v: %s", pid, limit, strings.TrimSpace(string(children)))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (d daemonCPU) pid() (string, error) {
	b, err := os.ReadFile(d.pidFile)
	if err != nil {
		return "", err
	}
	pid := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(pid); err != nil {
		return "", fmt.Errorf("pid file %s: %q is not a pid", d.pidFile, pid)
	}
	return pid, nil
}

// parseProcTimes returns utime + stime + cutime + cstime of a
// /proc/PID/stat line. The command name, field 2, is in parentheses and
// may hold blanks and parentheses: the fields are counted after the last
// ")".
func parseProcTimes(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	fields := strings.Fields(stat[i+1:])
	// fields[0] is field 3 (the state); utime..cstime are fields 14..17.
	if len(fields) < 15 {
		return 0, fmt.Errorf("/proc stat: %d fields after the name", len(fields))
	}
	var ticks int64
	for _, f := range fields[11:15] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}
