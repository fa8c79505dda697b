package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/ftpfs/ftpfs"
)

// The workloads of small reads: one file out of a huge directory, and
// fstest.TestFS on three small files.
const (
	remoteOpenDir = "bench-open" // bigDirFiles files, and openTarget
	openTarget    = "target.bin"
	remoteTestFS  = "bench-testfs"
	// bigDirFiles is the size of the directory of the open workload.
	bigDirFiles = 20_000
	openSize    = 4096
)

// testFSFiles are the three small files of the testfs workload and their
// sizes: under, at and over the read cache's 64 KiB block.
var testFSFiles = map[string]int{"a.txt": 1000, "b.bin": 20_000, "c.dat": 70_000}

// makeOpenTree writes the directory of the open workload: bigDirFiles
// empty files and the target.
func makeOpenTree(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := 0; i < bigDirFiles; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("x%05d", i)))
		if err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, openTarget), make([]byte, openSize), 0o644)
}

// makeTestFSTree writes the three small files of the testfs workload.
func makeTestFSTree(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, size := range testFSFiles {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(i*7 + i>>8)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// openWorkload: one small file out of a directory of 20,000 entries.
func (e *env) openWorkload(s server) *workload {
	remote := remoteOpenDir + "/" + openTarget
	w := &workload{ID: "open", Title: fmt.Sprintf("open + read one %s file in a %d-entry directory", humanBytes(openSize), bigDirFiles+1),
		Bytes: openSize, Files: 1, Dirs: 0}
	w.Contenders = []*contender{{Name: "ftpfs Open + io.Copy", Role: roleOurs,
		Argv: func(s server) ([]string, []string) {
			return e.oursArgv(s, "download", "-remote", remote, "-local", downloadSink), nil
		},
		Check: checkOurs(func(r oursResult) error {
			if r.Bytes != openSize {
				return fmt.Errorf("copied %d bytes, want %d", r.Bytes, openSize)
			}
			return nil
		})}}
	w.Contenders = e.peer(w.Contenders, "lftp", &contender{Name: "lftp get", Role: rolePeer,
		Argv: func(s server) ([]string, []string) { return lftpArgv(s, "get "+remote+" -o "+downloadSink), nil }})
	w.Contenders = e.peer(w.Contenders, "curl", &contender{Name: "curl", Role: rolePeer,
		Argv: func(s server) ([]string, []string) {
			return []string{curlBin, "-sS", "-o", downloadSink, curlURL(s, remote)}, nil
		}})
	w.Contenders = e.peer(w.Contenders, "rclone", &contender{Name: "rclone cat", Role: rolePeer, DiscardStdout: true,
		Argv: func(s server) ([]string, []string) { return e.rclone(s, "cat", ":ftp:"+remote) }})
	w.Contenders = e.peer(w.Contenders, "ftputil", &contender{Name: "ftputil download", Role: rolePeer,
		Argv: func(s server) ([]string, []string) {
			return ftputilArgv(s, e.script, "download", remote, downloadSink)
		}})
	return w
}

// testFSWorkload: fstest.TestFS on three small files. No peer has it.
func (e *env) testFSWorkload(s server) *workload {
	w := &workload{ID: "testfs", Title: "fstest.TestFS on three small files (1,000 B, 20,000 B, 70,000 B)",
		Files: len(testFSFiles), Dirs: 1}
	w.Contenders = []*contender{{Name: "ftpfs fstest.TestFS(IOFS)", Role: roleOurs,
		Argv: func(s server) ([]string, []string) { return e.oursArgv(s, "testfs", "-remote", remoteTestFS), nil },
		Check: checkOurs(func(r oursResult) error {
			if r.Files != len(testFSFiles) {
				return fmt.Errorf("checked %d files, want %d", r.Files, len(testFSFiles))
			}
			return nil
		})}}
	return w
}

// oursTestFS runs fstest.TestFS on the files of the testfs workload under
// remote.
func oursTestFS(fsys *ftpfs.Fs, remote string) (int, error) {
	sub, err := fs.Sub(fsys.IOFS(), remote)
	if err != nil {
		return 0, err
	}
	var names []string
	for name := range testFSFiles {
		names = append(names, name)
	}
	return len(names), fstest.TestFS(sub, names...)
}
