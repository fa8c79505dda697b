package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/ftpfs/ftpfs"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// oursCommand is the hidden subcommand with which the program re-executes
// itself to run one workload with ftpfs, in a process of its own, so that
// its peak RSS is measured as the peers' is.
const oursCommand = "__ours"

// oursResult is what the child prints (one JSON line) for the parent to
// check the work was done.
type oursResult struct {
	Files   int     `json:"files"`
	Dirs    int     `json:"dirs"`
	Bytes   int64   `json:"bytes"`
	Copied  int     `json:"copied"`
	Skipped int     `json:"skipped"`
	OpSecs  float64 `json:"op_secs"` // the operation alone, after Dial
	Secs    float64 `json:"secs"`    // Dial included
}

// record starts a recording of the whole run (a CPU profile, an
// execution trace) into the file at path, and returns what ends it.
func record(path string, start func(io.Writer) error, stop func()) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := start(f); err != nil {
		_ = f.Close() // the start's error is what matters
		return nil, err
	}
	return func() {
		stop()
		_ = f.Close() // the recording is best effort
	}, nil
}

// oursMain runs the hidden subcommand and returns the exit code.
func oursMain(args []string) int {
	fl := flag.NewFlagSet(oursCommand, flag.ContinueOnError)
	op := fl.String("op", "", "walk, walkpar, download, upload, testfs or mirror")
	rawURL := fl.String("url", "", "server URL")
	remote := fl.String("remote", "", "remote name")
	local := fl.String("local", "", "local path")
	parallel := fl.Int("parallel", ftpsync.DefaultParallel, "Mirror's parallel transfers")
	cpuprofile := fl.String("cpuprofile", "", "write a CPU profile of the whole run here")
	maxConns := fl.Int("max-conns", 0, "ftpfs.WithMaxConns (0: the library's default)")
	traceFile := fl.String("trace", "", "write an execution trace of the whole run here (go tool trace)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	recordings := []struct {
		path  string
		start func(io.Writer) error
		stop  func()
	}{{*cpuprofile, pprof.StartCPUProfile, pprof.StopCPUProfile}, {*traceFile, trace.Start, trace.Stop}}
	for _, r := range recordings {
		if r.path == "" {
			continue
		}
		stop, err := record(r.path, r.start, r.stop)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer stop()
	}
	var opts []ftpfs.Option
	if *maxConns > 0 {
		opts = append(opts, ftpfs.WithMaxConns(*maxConns))
	}
	res, err := runOurs(*op, *rawURL, *remote, *local, *parallel, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ftpfs:", err)
		return 1
	}
	line, _ := json.Marshal(res) // plain struct: cannot fail
	fmt.Println(string(line))
	return 0
}

func runOurs(op, rawURL, remote, local string, parallel int, opts ...ftpfs.Option) (oursResult, error) {
	var res oursResult
	ctx := context.Background()
	start := time.Now()
	fsys, err := ftpfs.Dial(ctx, rawURL, opts...)
	if err != nil {
		return res, err
	}
	opStart := time.Now()
	switch op {
	case "walk":
		err = fs.WalkDir(fsys.IOFS(), remote, walkCounter(&res))
	case "walkpar":
		err = fsys.WalkDir(remote, walkCounter(&res))
	case "download":
		res.Bytes, err = oursDownload(fsys, remote, local)
		res.Files = 1
	case "upload":
		res.Bytes, err = oursUpload(fsys, remote, local)
		res.Files = 1
	case "testfs":
		res.Files, err = oursTestFS(fsys, remote)
	case "mirror":
		var st ftpsync.Stats
		st, err = ftpsync.Mirror(ctx, fsys, remote, afero.NewOsFs(), local, ftpsync.WithParallel(parallel))
		res.Copied, res.Skipped, res.Bytes = st.Copied, st.Skipped, st.Bytes
		res.Files = st.Copied + st.Skipped
	default:
		err = fmt.Errorf("unknown op %q", op)
	}
	res.OpSecs = time.Since(opStart).Seconds()
	if cerr := fsys.Close(); err == nil {
		err = cerr
	}
	res.Secs = time.Since(start).Seconds()
	return res, err
}

// walkCounter counts what a walk visits, calling d.Info() for each entry
// as a walk + stat does.
func walkCounter(res *oursResult) fs.WalkDirFunc {
	return func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			res.Dirs++
		} else {
			res.Files++
			res.Bytes += info.Size()
		}
		return nil
	}
}

// oursDownload copies remote into the local file with io.Copy.
func oursDownload(fsys *ftpfs.Fs, remote, local string) (int64, error) {
	src, err := fsys.Open(remote)
	if err != nil {
		return 0, err
	}
	dst, err := os.Create(local)
	if err != nil {
		_ = src.Close() // the error that matters is Create's
		return 0, err
	}
	n, err := io.Copy(dst, src)
	return n, errors.Join(err, src.Close(), dst.Close())
}

// oursUpload copies the local file into remote with io.Copy.
func oursUpload(fsys *ftpfs.Fs, remote, local string) (int64, error) {
	src, err := os.Open(local)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	dst, err := fsys.Create(remote)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(dst, src)
	return n, errors.Join(err, dst.Close())
}
