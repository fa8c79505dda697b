package main

import (
	"fmt"
	"strings"
)

// walkWorkload: walk + stat of the walk tree.
func (e *env) walkWorkload(s server) *workload {
	n := e.cfg.WalkFiles
	w := &workload{
		ID:    "walk",
		Title: fmt.Sprintf("walk + stat of %d files of %d B in %d dirs", n, e.cfg.WalkFileSize, walkDirCount),
		Files: n,
		Dirs:  walkDirCount,
	}
	wantWalk := func(r oursResult) error {
		if r.Files != n || r.Dirs != walkDirCount {
			return fmt.Errorf("walked %d files and %d dirs, want %d and %d", r.Files, r.Dirs, n, walkDirCount)
		}
		return nil
	}
	w.Contenders = []*contender{
		{Name: "ftpfs fs.WalkDir(IOFS) + d.Info", Role: roleOurs,
			Argv:  func(s server) ([]string, []string) { return e.oursArgv(s, "walk", "-remote", remoteWalk), nil },
			Check: checkOurs(wantWalk)},
		{Name: "ftpfs Fs.WalkDir (parallel listing) + d.Info", Role: roleOurs,
			Argv:  func(s server) ([]string, []string) { return e.oursArgv(s, "walkpar", "-remote", remoteWalk), nil },
			Check: checkOurs(wantWalk)},
	}
	isFile := func(line string) bool { return line != "" && !strings.HasSuffix(line, "/") }
	w.Contenders = e.peer(w.Contenders, "lftp", &contender{Name: "lftp find -l", Role: rolePeer,
		Argv:  func(s server) ([]string, []string) { return lftpArgv(s, "find -l "+remoteWalk), nil },
		Check: checkLines(n, isFile)})
	w.Contenders = e.peer(w.Contenders, "rclone", &contender{Name: "rclone lsl", Role: rolePeer,
		Argv:  func(s server) ([]string, []string) { return e.rclone(s, "lsl", ":ftp:"+remoteWalk) },
		Check: checkLines(n, func(line string) bool { return line != "" })})
	w.Contenders = e.peer(w.Contenders, "ftputil", &contender{Name: "ftputil walk + lstat", Role: rolePeer,
		Argv:  func(s server) ([]string, []string) { return ftputilArgv(s, e.script, "walk", remoteWalk) },
		Check: checkNumber(n)})
	return w
}

// countLines counts the lines of s, trimmed, for which keep is true.
func countLines(s string, keep func(string) bool) int {
	n := 0
	for line := range strings.Lines(s) {
		if keep(strings.TrimSpace(line)) {
			n++
		}
	}
	return n
}
