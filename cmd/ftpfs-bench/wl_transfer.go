package main

import (
	"fmt"
	"path/filepath"
)

// downloadSink is where every download writes: write(2) to /dev/null,
// so that no contender pays for page allocation of a local file (on this
// VM that cost half a second of system time per GiB, and most of the
// noise). Each contender still writes every byte through a file
// descriptor as it would to a file.
const downloadSink = "/dev/null"

// downloadWorkload: one big file from the server, written to downloadSink.
func (e *env) downloadWorkload(s server) *workload {
	size := e.cfg.BigSize
	w := &workload{ID: "download", Title: "download one " + humanBytes(size) + " file to " + downloadSink,
		Bytes: size, Files: 1, Dirs: 0}
	wantBytes := func(r oursResult) error {
		if r.Bytes != size {
			return fmt.Errorf("copied %d bytes, want %d", r.Bytes, size)
		}
		return nil
	}
	w.Contenders = []*contender{{Name: "ftpfs Open + io.Copy to file", Role: roleOurs,
		Argv: func(s server) ([]string, []string) {
			return e.oursArgv(s, "download", "-remote", remoteBig, "-local", downloadSink), nil
		},
		Check: checkOurs(wantBytes)}}
	w.Contenders = e.peer(w.Contenders, "lftp", &contender{Name: "lftp get", Role: rolePeer,
		Argv: func(s server) ([]string, []string) { return lftpArgv(s, "get "+remoteBig+" -o "+downloadSink), nil }})
	w.Contenders = e.peer(w.Contenders, "curl", &contender{Name: "curl", Role: rolePeer,
		Argv: func(s server) ([]string, []string) {
			return []string{curlBin, "-sS", "-o", downloadSink, "-w", "%{size_download}", curlURL(s, remoteBig)}, nil
		},
		Check: checkNumber(int(size))})
	// rclone copy needs a directory to copy into; rclone cat is the same
	// download (its FTP backend's Open, one RETR) written to standard
	// output, which is downloadSink. Its default multi-stream download of
	// big files (copy only) fails on these servers with 426 when it closes
	// a ranged RETR early, in about half the runs here.
	w.Contenders = e.peer(w.Contenders, "rclone", &contender{Name: "rclone cat", Role: rolePeer, DiscardStdout: true,
		Argv: func(s server) ([]string, []string) { return e.rclone(s, "cat", ":ftp:"+remoteBig) }})
	w.Contenders = e.peer(w.Contenders, "ftputil", &contender{Name: "ftputil download", Role: rolePeer,
		Argv: func(s server) ([]string, []string) {
			return ftputilArgv(s, e.script, "download", remoteBig, downloadSink)
		}})
	w.Contenders = append(w.Contenders, &contender{Name: "loopback floor (TCP copy, in process)", Role: roleFloor,
		Run: func() error { return loopbackCopy(serverPath(s, remoteBig), downloadSink, size) }})
	return w
}

// uploadWorkload: one big local file to the server.
func (e *env) uploadWorkload(s server) *workload {
	size := e.cfg.BigSize
	src := filepath.Join(e.scratch, localBig)
	target := serverPath(s, remoteUp)
	w := &workload{ID: "upload", Title: "upload one " + humanBytes(size) + " file from " + e.scratchKind(),
		Bytes: size, Files: 1, Dirs: 0}
	prep := removing(target)
	check := checkSize(target, size)
	w.Contenders = []*contender{{Name: "ftpfs Create + io.Copy", Role: roleOurs, Prep: prep,
		Argv: func(s server) ([]string, []string) {
			return e.oursArgv(s, "upload", "-remote", remoteUp, "-local", src), nil
		},
		Check: func(stdout string) (string, error) {
			note, err := checkOurs(func(oursResult) error { return nil })(stdout)
			if err == nil {
				_, err = check(stdout)
			}
			return note, err
		}}}
	w.Contenders = e.peer(w.Contenders, "curl", &contender{Name: "curl -T", Role: rolePeer, Prep: prep,
		Argv: func(s server) ([]string, []string) {
			return []string{curlBin, "-sS", "-T", src, curlURL(s, remoteUp)}, nil
		},
		Check: check})
	w.Contenders = e.peer(w.Contenders, "lftp", &contender{Name: "lftp put", Role: rolePeer, Prep: prep,
		Argv:  func(s server) ([]string, []string) { return lftpArgv(s, "put "+lftpQuote(src)+" -o "+remoteUp), nil },
		Check: check})
	w.Contenders = e.peer(w.Contenders, "ftputil", &contender{Name: "ftputil upload", Role: rolePeer, Prep: prep,
		Argv:  func(s server) ([]string, []string) { return ftputilArgv(s, e.script, "upload", src, remoteUp) },
		Check: check})
	if e.cfg.RcloneUpload {
		w.Contenders = e.peer(w.Contenders, "rclone", &contender{Name: "rclone copyto", Role: rolePeer, Prep: prep,
			Argv:  func(s server) ([]string, []string) { return e.rclone(s, "copyto", src, ":ftp:"+remoteUp) },
			Check: check})
	}
	w.Contenders = append(w.Contenders, &contender{Name: "disk-write floor (local copy into the root)", Role: roleFloor, Prep: prep,
		Run: func() error {
			_, err := copyFile(target, src, make([]byte, floorBuffer))
			return err
		},
		Check: check})
	return w
}

// scratchKind says where local files live, for the titles.
func (e *env) scratchKind() string {
	if e.cfg.ScratchIsTmpfs {
		return "tmpfs"
	}
	return "local disk"
}
