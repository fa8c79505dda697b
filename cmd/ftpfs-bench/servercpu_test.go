package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestParseProcTimes(t *testing.T) {
	// Fields 14..17 (utime, stime, cutime, cstime) are 5, 7, 110 and 28
	// ticks; the name holds a blank and a parenthesis.
	line := "1234 (odd) name) S 1 1234 1234 0 -1 4194624 100 200 0 0 5 7 110 28 20 0 1 0 99 1000 50\n"
	got, err := parseProcTimes(line)
	if want := 1500 * time.Millisecond; err != nil || got != want {
		t.Errorf("parseProcTimes = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", "1234 no name", "1 (x) S 1 2 3", "1 (x) S 1 2 3 4 5 6 7 8 9 10 x 0 0 0"} {
		if _, err := parseProcTimes(bad); err == nil {
			t.Errorf("parseProcTimes(%q) succeeded", bad)
		}
	}
}

// TestDaemonCPU measures this test's own process as the "daemon": a child
// that burns processor time, once reaped, adds its time to the parent's.
func TestDaemonCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	pidFile := filepath.Join(t.TempDir(), "d.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := daemonCPU{pidFile: pidFile}
	if err := d.idle(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	before, err := d.read()
	if err != nil {
		t.Fatal(err)
	}
	burn := exec.Command("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
	if err := burn.Run(); err != nil { // Run waits: the child's time is ours now
		t.Fatal(err)
	}
	child := burn.ProcessState.UserTime() + burn.ProcessState.SystemTime()
	after, err := d.read()
	if err != nil {
		t.Fatal(err)
	}
	// The difference holds the child's time (to the tick) and whatever
	// this process spent meanwhile.
	if got := after - before; got < child-2*time.Second/clockTicks {
		t.Errorf("daemon time grew by %v, the reaped child used %v", got, child)
	}
	if child < 20*time.Millisecond {
		t.Logf("the child used only %v: a weak check", child)
	}
	if _, err := (daemonCPU{pidFile: filepath.Join(t.TempDir(), "none")}).read(); err == nil {
		t.Error("read with a missing pid file succeeded")
	}
}
