package ftpfstest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestClose leaves clients in every state a test might leave them in
// (mid-download, mid-upload, a passive port opened but unused, not logged
// in, logged in and idle), then checks that Close returns, cuts them all
// off, and leaves no goroutine behind even though the clients have not
// hung up. It must not run in parallel with other tests, since it counts
// the goroutines of the whole process.
func TestClose(t *testing.T) {
	for _, sec := range securities {
		t.Run(sec.name, func(t *testing.T) {
			testClose(t, sec)
		})
	}
}

func testClose(t *testing.T, sec security) {
	before := runtime.NumGoroutine()
	backing := afero.NewMemMapFs()
	// Larger than the socket buffers, so the download is still running.
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<19)
	if err := afero.WriteFile(backing, "/big", big, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := ftpfstest.NewServer(backing, sec.opts...)
	defer srv.Close()

	ctx := context.Background()
	down := login(t, srv, sec)
	r, err := down.Retr(ctx, "/big", 0)
	if err != nil {
		t.Fatalf("Retr(/big) = %v, want nil", err)
	}
	if _, err := io.ReadFull(r, make([]byte, 1)); err != nil {
		t.Fatalf("reading the first byte of /big = %v", err)
	}

	up := login(t, srv, sec)
	pr, pw := io.Pipe()
	stored := make(chan error, 1)
	go func() { stored <- store(up, "/up", pr, false) }()
	if _, err := pw.Write([]byte("partial")); err != nil {
		t.Fatalf("writing to the upload = %v", err)
	}

	if sec.name == "plain" {
		pasv := rawLogin(t, srv)
		if code, msg := pasv.cmd("PASV"); code != 227 {
			t.Fatalf("PASV = %d %q, want 227", code, msg)
		}
		dialRaw(t, srv, nil) // never logs in
	}
	idle := login(t, srv, sec)

	srv.Close()
	srv.Close() // a second Close does nothing

	if n, err := io.Copy(io.Discard, r); err == nil && n+1 == int64(len(big)) {
		t.Errorf("download after Close read all %d bytes, want it cut off", n+1)
	}
	if err := r.Close(); err == nil {
		t.Errorf("closing the download after Close = nil, want an error")
	}
	// The server is gone, so the upload can only fail; ending the pipe
	// lets the client notice if it has not yet.
	pw.CloseWithError(errors.New("test over"))
	if err := <-stored; err == nil {
		t.Errorf("Store(/up) across Close = nil, want an error")
	}
	// Every client connection is still open on the client's side.
	waitForGoroutines(t, before)
	if err := idle.Noop(ctx); err == nil {
		t.Errorf("Noop() after Close = nil, want an error")
	}
	if _, _, err := dialSession(t, serverConfig(srv, sec, srv.User(), srv.Password())); err == nil {
		t.Errorf("ftpconn.Dial(%q) after Close = nil error, want a refused connection", srv.Addr())
	}
}

// waitForGoroutines waits until no more than n goroutines are left. Close
// returns once ftpserverlib has let go of every connection, but each of
// its goroutines still has a few statements to run before it exits; this
// lets them, without guessing a duration to sleep.
func waitForGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("runtime.NumGoroutine() = %d after Close, want at most %d; goroutines:\n%s", runtime.NumGoroutine(), n, buf)
		}
		runtime.Gosched()
	}
}
