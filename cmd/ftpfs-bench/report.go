package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// writeReport writes everything: the run's facts, a table per server, the
// commands the counting runs saw, and the targets.
func writeReport(w io.Writer, e *env, results []*serverResult, elapsed string) {
	fmt.Fprintln(w, "## ftpfs-bench results")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- command: `%s`\n", strings.Join(os.Args, " "))
	fmt.Fprintf(w, "- machine: %s\n", machine())
	fmt.Fprintf(w, "- clients: %s\n", strings.Join(versions(), "; "))
	if v := daemonVersions(); v != "" {
		fmt.Fprintf(w, "- servers: %s\n", v)
	}
	fmt.Fprintf(w, "- %d rounds, contenders interleaved (order rotated each round); each contender is a process of its own (ours: this program re-executed), timed from start to exit, login included; peak RSS is the child's rusage maxrss; floors run in this process\n", e.cfg.Rounds)
	fmt.Fprintf(w, "- peak RSS is read in a small launcher process (Linux carries a parent's peak RSS into its child's ru_maxrss across fork+exec); through it /bin/true reports %.1f MiB, the floor of that column\n", float64(e.rssFloor)/(1<<20))
	fmt.Fprintf(w, "- local files in %s (%s); total time %s\n", e.scratch, e.scratchKind(), elapsed)
	for _, sr := range results {
		writeServerTable(w, sr)
	}
	writeBreakdown(w, results)
	writeTargets(w, results)
}

// writeBreakdown lists the commands of every counting run.
func writeBreakdown(w io.Writer, results []*serverResult) {
	rows := [][]string{{"server", "workload", "contender", "control conns", "data conns", "commands by verb"}}
	for _, sr := range results {
		for _, wr := range sr.Workloads {
			for _, o := range wr.Outcomes {
				if o.Counts != nil {
					rows = append(rows, []string{sr.Server.Name, wr.Workload.ID, o.Contender.Name,
						fmt.Sprint(o.Counts.Conns), fmt.Sprint(o.Counts.DataOpened), o.Counts.Breakdown()})
				}
			}
		}
	}
	if len(rows) == 1 {
		return
	}
	fmt.Fprintln(w, "\n### FTP commands of one run (through the counting proxy)")
	fmt.Fprintln(w)
	writeMarkdown(w, rows)
}

// machine describes this computer.
func machine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close() // read only
	}
	osName := "Linux"
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for line := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("%s, %d cores (%s)%s, %s", osName, runtime.NumCPU(), model, mem, runtime.Version())
}

// versions asks each peer for its version.
func versions() []string {
	ask := func(name string, argv ...string) string {
		out, err := exec.Command(argv[0], argv[1:]...).Output()
		if err != nil {
			return name + " (missing)"
		}
		return name + " " + versionIn(string(out))
	}
	return []string{
		ask("lftp", lftpBin, "--version"),
		ask("rclone", rcloneBin, "version"),
		ask("curl", curlBin, "--version"),
		ask("ftputil", pythonBin, "-c", "import ftputil; print(ftputil.__version__)"),
	}
}

// versionRE finds a version number.
var versionRE = regexp.MustCompile(`\d+\.\d+(\.\d+)?`)

// versionIn returns the first version number in a program's output.
func versionIn(out string) string {
	if v := versionRE.FindString(out); v != "" {
		return v
	}
	return "(version unknown)"
}

// daemonVersions reads the versions scripts/ftpd.sh recorded.
func daemonVersions() string {
	state := os.Getenv("FTPFS_FTPD_STATE")
	if state == "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join(state, "prefix", "VERSIONS"))
	if err != nil {
		return ""
	}
	return strings.Join(strings.Split(strings.TrimSpace(string(b)), "\n"), ", ")
}
