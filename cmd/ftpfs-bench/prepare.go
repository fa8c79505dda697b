package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// prepareScratch writes the local sources once: the big file and the
// small-file tree.
func (e *env) prepareScratch() error {
	start := time.Now()
	if contains(e.cfg.Workloads, "download") || contains(e.cfg.Workloads, "upload") {
		if err := makeBigFile(filepath.Join(e.scratch, localBig), e.cfg.BigSize); err != nil {
			return err
		}
	}
	if err := makeSmallTree(filepath.Join(e.scratch, localSmall), e.cfg.SmallFiles, e.cfg.SmallFileSize); err != nil {
		return err
	}
	logf("local sources written to %s in %.1f s", e.scratch, time.Since(start).Seconds())
	return nil
}

// prepareServer writes the walk tree and the big file straight into s's
// root on local disk, owned by the root directory's owner (the FTP user).
func (e *env) prepareServer(s server) error {
	start := time.Now()
	e.cleanServer(s)
	uid, gid, err := owner(s.Root)
	if err != nil {
		return err
	}
	if contains(e.cfg.Workloads, "walk") {
		dir := serverPath(s, remoteWalk)
		if err := makeWalkTree(dir, e.cfg.WalkFiles, e.cfg.WalkFileSize); err != nil {
			return err
		}
		if err := chownTree(dir, uid, gid); err != nil {
			return err
		}
	}
	for _, t := range []struct {
		workload, dir string
		make          func(string) error
	}{{"open", remoteOpenDir, makeOpenTree}, {"testfs", remoteTestFS, makeTestFSTree}} {
		if !contains(e.cfg.Workloads, t.workload) {
			continue
		}
		dir := serverPath(s, t.dir)
		if err := t.make(dir); err != nil {
			return err
		}
		if err := chownTree(dir, uid, gid); err != nil {
			return err
		}
	}
	if contains(e.cfg.Workloads, "download") {
		big := serverPath(s, remoteBig)
		if _, err := copyFile(big, filepath.Join(e.scratch, localBig), make([]byte, floorBuffer)); err != nil {
			return err
		}
		if err := os.Chown(big, uid, gid); err != nil {
			return err
		}
	}
	logf("%s: workloads written into %s in %.1f s", s.Name, s.Root, time.Since(start).Seconds())
	return nil
}

// cleanServer removes everything the benchmark put in s's root (names
// starting with "bench-", and the temporary files of interrupted
// transfers next to them).
func (e *env) cleanServer(s server) {
	entries, err := os.ReadDir(s.Root)
	if err != nil {
		logf("%s: cleaning %s: %v", s.Name, s.Root, err)
		return
	}
	for _, d := range entries {
		if strings.HasPrefix(d.Name(), "bench-") || strings.HasPrefix(d.Name(), ".bench-") {
			if err := os.RemoveAll(filepath.Join(s.Root, d.Name())); err != nil {
				logf("%s: cleaning: %v", s.Name, err)
			}
		}
	}
}

// scratchDir makes the local scratch directory: under /dev/shm (tmpfs, so
// local files cost no disk I/O) when it exists, else under the system's
// temporary directory. It reports whether it is on tmpfs.
func scratchDir(base string) (string, bool, error) {
	tmpfs := false
	if base == "" {
		if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
			base, tmpfs = "/dev/shm", true
		}
	}
	dir, err := os.MkdirTemp(base, "ftpfs-bench-")
	if err != nil {
		return "", false, fmt.Errorf("scratch directory: %w", err)
	}
	return dir, tmpfs, nil
}
