package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Names on the server (relative to its root) and in the scratch directory.
const (
	remoteWalk  = "bench-walk"
	remoteBig   = "bench-big.bin"
	remoteUp    = "bench-up.bin"
	remoteSmall = "bench-small-" // + contender
	remoteSync  = "bench-sync-"  // + contender
	localBig    = "big.src"
	localSmall  = "small"
)

// env is what every workload needs to know.
type env struct {
	cfg      config
	exe      string            // this program, for the ours subcommand
	scratch  string            // local scratch directory (tmpfs where possible)
	script   string            // the ftputil script
	obscured map[string]string // passwords as rclone wants them
	missing  map[string]string
	rssFloor int64 // peak RSS the launcher reports for /bin/true
	// noServerCPU names the servers whose processor time could not be
	// measured (said once in the log).
	noServerCPU map[string]bool
}

// serverPath is name under s's root on local disk.
func serverPath(s server, name string) string { return filepath.Join(s.Root, filepath.FromSlash(name)) }

// oursArgv runs the ours subcommand with op against s.
func (e *env) oursArgv(s server, op string, args ...string) []string {
	return append([]string{e.exe, oursCommand, "-op", op, "-url", s.URL}, args...)
}

// peer returns c unless its peer program is missing.
func (e *env) peer(list []*contender, peer string, c *contender) []*contender {
	if _, gone := e.missing[peer]; gone {
		return list
	}
	return append(list, c)
}

// workloads builds the selected workloads for s, whose data prepare has
// put in place.
func (e *env) workloads(s server) []*workload {
	all := map[string]func(server) *workload{
		"walk": e.walkWorkload, "download": e.downloadWorkload, "upload": e.uploadWorkload,
		"small": e.smallWorkload, "resync": e.resyncWorkload,
		"open": e.openWorkload, "testfs": e.testFSWorkload,
	}
	var out []*workload
	for _, id := range e.cfg.Workloads {
		out = append(out, all[id](s))
	}
	return out
}

// checkOurs verifies the ours subcommand's JSON line with want.
func checkOurs(want func(r oursResult) error) func(string) (string, error) {
	return func(stdout string) (string, error) {
		r, err := parseOursResult(stdout)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("in-process %.2f s after login", r.OpSecs), want(r)
	}
}

// checkLines verifies that stdout has n lines for which keep is true.
func checkLines(n int, keep func(line string) bool) func(string) (string, error) {
	return func(stdout string) (string, error) {
		if got := countLines(stdout, keep); got != n {
			return "", fmt.Errorf("listed %d files, want %d", got, n)
		}
		return "", nil
	}
}

// checkNumber verifies that stdout is the number n.
func checkNumber(n int) func(string) (string, error) {
	return func(stdout string) (string, error) {
		got, err := strconv.Atoi(strings.TrimSpace(stdout))
		if err != nil || got != n {
			return "", fmt.Errorf("output %q, want %d", tail(stdout, 80), n)
		}
		return "", nil
	}
}

// checkSize verifies that the file name has size bytes.
func checkSize(name string, size int64) func(string) (string, error) {
	return func(string) (string, error) {
		st, err := os.Stat(name)
		if err != nil {
			return "", err
		}
		if st.Size() != size {
			return "", fmt.Errorf("%s has %d bytes, want %d", name, st.Size(), size)
		}
		return "", nil
	}
}

// checkTree verifies that dir holds files files of bytes bytes in all.
func checkTree(dir string, files int, bytes int64) func(string) (string, error) {
	return func(string) (string, error) {
		n, b, err := countFiles(dir)
		if err != nil {
			return "", err
		}
		if n != files || b != bytes {
			return "", fmt.Errorf("%s holds %d files of %d bytes, want %d of %d", dir, n, b, files, bytes)
		}
		return "", nil
	}
}

// removing returns a Prep that removes the paths.
func removing(paths ...string) func() error {
	return func() error {
		for _, p := range paths {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		}
		return nil
	}
}
