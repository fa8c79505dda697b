package ftpfs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestWithContext: a view bound to a context ends its calls and the
// transfers of its files when the context ends, with ctx.Err() in the
// error, while the Fs itself goes on working.
func TestWithContext(t *testing.T) {
	backing := afero.NewMemMapFs()
	if err := afero.WriteFile(backing, "/big", make([]byte, 8<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := ftpfstest.NewServer(backing)
	t.Cleanup(srv.Close)
	proxy := ftpfstest.NewProxy(srv.Addr())
	t.Cleanup(proxy.Close)
	fsys, err := ftpfs.Dial(t.Context(), proxy.URL(srv.URL()), ftpfs.WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()

	ctx, cancel := context.WithCancel(t.Context())
	view := fsys.WithContext(ctx)
	f, err := view.Open("big")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1000)
	if _, err := io.ReadFull(f, buf); err != nil {
		t.Fatal(err)
	}
	// The server's data now stalls for longer than the test; only the
	// context can end the read.
	proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Action: ftpfstest.Stall, Stall: time.Hour})
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, f)
		done <- err
	}()
	time.AfterFunc(100*time.Millisecond, cancel)
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a read through a view whose context ended = %v; want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a read through a view whose context ended did not end")
	}
	_ = f.Close()
	proxy.ClearFault()
	if _, err := view.Stat("big"); !errors.Is(err, context.Canceled) {
		t.Errorf("Stat through a view whose context ended = %v; want context.Canceled", err)
	}
	if _, err := fsys.Stat("big"); err != nil {
		t.Errorf("Stat through the Fs after its view's context ended = %v", err)
	}
}

// TestWithContextWhilePrefetching: a read through a view whose context
// ends while a background listing of the same directory is under way
// ends with the context, not with that listing (here held up by the
// server until the test ends).
func TestWithContextWhilePrefetching(t *testing.T) {
	backing := afero.NewMemMapFs()
	// Enough subdirectories that the prefetch dials a connection of its
	// own (on one connection it would wait for the foreground).
	for i := range 50 {
		if err := afero.WriteFile(backing, fmt.Sprintf("/a/d%02d/f", i), []byte("f"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	held := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	hook := ftpfstest.WithCommandHook(func(cmd, arg string) {
		if cmd == "MLSD" && strings.HasSuffix(arg, "/a/d00") {
			once.Do(func() {
				close(held)
				<-release
			})
		}
	})
	srv := ftpfstest.NewServer(backing, hook)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // before srv.Close: cleanups run last first
	fsys, err := ftpfs.Dial(t.Context(), srv.URL(), ftpfs.WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	if _, err := afero.ReadDir(fsys, "a"); err != nil { // queues a/d00… for prefetching
		t.Fatal(err)
	}
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("no prefetch of a/d00 began")
	}
	ctx, cancel := context.WithCancel(t.Context())
	view := fsys.WithContext(ctx)
	time.AfterFunc(50*time.Millisecond, cancel)
	err = boundedCall(t, "ReadDir(a/d00) through the view", 10*time.Second, func() error {
		_, err := afero.ReadDir(view, "a/d00")
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ReadDir(a/d00) through a view whose context ended = %v; want context.Canceled", err)
	}
}
