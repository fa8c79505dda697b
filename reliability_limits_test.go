package ftpfs_test

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestReliabilityConnectionLimit: a server that allows two connections
// per client answers a third with 421. Sixteen goroutines reading files
// at once must all succeed: the pool must learn the limit and make the
// others wait.
func TestReliabilityConnectionLimit(t *testing.T) {
	files := map[string][]byte{}
	for i := range 4 {
		files[fmt.Sprintf("/f%d", i)] = rlBytes(uint64(10+i), 20_000+i)
	}
	e := rlSetup(t, files, nil)
	e.proxy.SetMaxConns(2)
	const workers, rounds = 16, 4
	var mu sync.Mutex
	var failures []error
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				name := fmt.Sprintf("f%d", (w+r)%4)
				data, err := afero.ReadFile(e.fsys, name)
				if err == nil && !bytes.Equal(data, files["/"+name]) {
					err = fmt.Errorf("%s: wrong bytes", name)
				}
				if err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(rlWait):
		t.Fatalf("%d readers still busy after %v", workers, rlWait)
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d ReadFile calls failed under a limit of 2 connections (refused: %d), first: %v; want the pool to learn the limit and queue",
			len(failures), workers*rounds, e.proxy.Stats().Refused, failures[0])
	}
}

// TestReliabilityTimeoutAndLeaks: with WithTimeout(200ms), a download
// whose data connections all stall for 2 s fails with a timeout error; the Fs
// works afterwards; and once the Fs, the proxy and the server are closed,
// no connection and no goroutine is left.
func TestReliabilityTimeoutAndLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	content := rlBytes(6, 50_000)
	backing := afero.NewMemMapFs()
	if err := afero.WriteFile(backing, "/f", content, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	p := ftpfstest.NewProxy(srv.Addr())
	defer p.Close()
	fsys, err := ftpfs.Dial(t.Context(), p.URL(srv.URL()), ftpfs.WithTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()

	// Every transfer stalls, so that resuming cannot help.
	p.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", Action: ftpfstest.Stall, Stall: 2 * time.Second, Times: 1000})
	if data, err := afero.ReadFile(fsys, "f"); !rlIsTimeout(err) {
		t.Errorf("ReadFile with its data stalled = %d bytes, %v; want a timeout error", len(data), err)
	}
	p.ClearFault()
	if data, err := afero.ReadFile(fsys, "f"); err != nil || !bytes.Equal(data, content) {
		t.Errorf("ReadFile after the stall = %d bytes, %v; want all %d", len(data), err, len(content))
	}

	if err := fsys.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if !rlEventually(func() bool { s := p.Stats(); return s.OpenControl+s.OpenData == 0 }) {
		t.Errorf("connections still open %v after the Fs closed: %+v", rlWait, p.Stats())
	}
	p.Close()
	srv.Close()
	if !rlEventually(func() bool { return runtime.NumGoroutine() <= before }) {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after closing everything, want at most %d:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
	}
}
