package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
)

// smallDirs is the number of directories of the small-file tree, its root
// included (100 files to a directory).
func smallDirs(files int) int { return 1 + (files+99)/100 }

// syncTool is one way of mirroring the small-file tree to the server.
type syncTool struct {
	peer string // "" for ours
	name string
	key  string // the target directory's suffix
	argv func(s server, src, remote string) ([]string, []string)
}

func (e *env) syncTools() []syncTool {
	p := strconv.Itoa(e.cfg.Parallel)
	return []syncTool{
		{"", "ftpfs sync.Mirror (" + p + " parallel)", "ftpfs", func(s server, src, remote string) ([]string, []string) {
			return e.oursArgv(s, "mirror", "-remote", remote, "-local", src, "-parallel", p), nil
		}},
		{"lftp", "lftp mirror -R --parallel=" + p, "lftp", func(s server, src, remote string) ([]string, []string) {
			return lftpArgv(s, "mirror -R --parallel="+p+" "+lftpQuote(src)+" "+remote), nil
		}},
		{"rclone", "rclone copy --transfers " + p, "rclone", func(s server, src, remote string) ([]string, []string) {
			return e.rclone(s, "copy", "--transfers", p, src, ":ftp:"+remote)
		}},
	}
}

// smallWorkload: the small-file tree uploaded into an empty directory.
func (e *env) smallWorkload(s server) *workload {
	n, size := e.cfg.SmallFiles, e.cfg.SmallFileSize
	src := filepath.Join(e.scratch, localSmall)
	w := &workload{ID: "small", Title: fmt.Sprintf("upload %d files of %s (mirror into an empty dir)", n, humanBytes(int64(size))),
		Bytes: int64(n) * int64(size), Files: n, Dirs: smallDirs(n)}
	for _, t := range e.syncTools() {
		target := remoteSmall + t.key
		c := &contender{Name: t.name, Role: roleOurs, Prep: removing(serverPath(s, target)),
			Argv:  func(s server) ([]string, []string) { return t.argv(s, src, target) },
			Check: checkTree(serverPath(s, target), n, w.Bytes)}
		if t.peer != "" {
			c.Role = rolePeer
			w.Contenders = e.peer(w.Contenders, t.peer, c)
			continue
		}
		treeCheck := c.Check
		c.Check = func(stdout string) (string, error) {
			note, err := checkOurs(func(r oursResult) error {
				if r.Copied != n {
					return fmt.Errorf("copied %d files, want %d", r.Copied, n)
				}
				return nil
			})(stdout)
			if err == nil {
				_, err = treeCheck(stdout)
			}
			return note, err
		}
		w.Contenders = append(w.Contenders, c)
	}
	floorTarget := serverPath(s, remoteSmall+"floor")
	w.Contenders = append(w.Contenders, &contender{Name: "write floor (local copy into the root)", Role: roleFloor,
		Prep:  removing(floorTarget),
		Run:   func() error { return copyTree(floorTarget, src) },
		Check: checkTree(floorTarget, n, w.Bytes)})
	return w
}

// resyncWorkload: the same mirror again with nothing changed. Each tool
// re-syncs a target it uploaded itself (in Setup, untimed); after each run
// the files on the server's disk are compared with before, and any that
// was written again is noted.
func (e *env) resyncWorkload(s server) *workload {
	n := e.cfg.SmallFiles
	src := filepath.Join(e.scratch, localSmall)
	w := &workload{ID: "resync", Title: fmt.Sprintf("re-sync of the %d files, nothing changed", n),
		Files: n, Dirs: smallDirs(n)}
	tools := e.syncTools()
	if _, gone := e.missing["ftputil"]; !gone {
		tools = append(tools, syncTool{"ftputil", "ftputil upload_if_newer per file", "ftputil",
			func(s server, src, remote string) ([]string, []string) {
				return ftputilArgv(s, e.script, "upload-if-newer", src, remote)
			}})
	}
	type seeded struct {
		tool   syncTool
		target string
		stamp  treeStamp
	}
	var all []*seeded
	for _, t := range tools {
		if _, gone := e.missing[t.peer]; gone && t.peer != "" {
			continue
		}
		sd := &seeded{tool: t, target: remoteSync + t.key}
		all = append(all, sd)
		c := &contender{Name: t.name, Role: rolePeer,
			Argv: func(s server) ([]string, []string) { return t.argv(s, src, sd.target) },
			Check: func(string) (string, error) {
				now, err := stampTree(serverPath(s, sd.target))
				if err != nil {
					return "", err
				}
				changed := now.changedSince(sd.stamp)
				sd.stamp = now
				if len(now) != n {
					return "", fmt.Errorf("target holds %d files, want %d", len(now), n)
				}
				if changed > 0 {
					return fmt.Sprintf("wrote %d of %d files again", changed, n), nil
				}
				return "", nil
			}}
		if t.peer == "" {
			c.Role = roleOurs
		}
		w.Contenders = append(w.Contenders, c)
	}
	w.Setup = func() error {
		for _, sd := range all {
			seed := sd.tool.argv
			if sd.tool.key == "ftputil" {
				seed = func(s server, src, remote string) ([]string, []string) {
					return ftputilArgv(s, e.script, "upload-tree", src, remote)
				}
			}
			target := serverPath(s, sd.target)
			if err := removing(target)(); err != nil {
				return err
			}
			argv, env := seed(s, src, sd.target)
			if r := runProcess(context.Background(), e.cfg.Timeout, false, env, argv...); r.Err != nil {
				return fmt.Errorf("seeding %s: %w", sd.tool.name, r.Err)
			}
			var err error
			if sd.stamp, err = stampTree(target); err != nil {
				return err
			}
		}
		return nil
	}
	return w
}
