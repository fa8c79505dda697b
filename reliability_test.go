package ftpfs_test

// Reliability (issue 8): the Fs behind ftpfstest.Proxy, which drops,
// resets, stalls and refuses connections on request, and behind a fake
// server that sends hostile replies. Tests that show a behaviour the
// library lacks today fail on purpose, naming the gap.

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// rlWait bounds every wait of these tests for something that should
// happen at once, so that a hang fails instead of stalling the run.
const rlWait = 15 * time.Second

// rlBytes returns n reproducible bytes without short cycles.
func rlBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, ^seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// rlEnv is a server over a MemMapFs, a proxy in front of it, and an Fs
// dialed through the proxy.
type rlEnv struct {
	fsys    *ftpfs.Fs
	proxy   *ftpfstest.Proxy
	srv     *ftpfstest.Server
	backing afero.Fs
}

// rlSetup starts an rlEnv holding files; everything closes when the test
// ends. Every command has a 5 s deadline unless opts say otherwise.
func rlSetup(t *testing.T, files map[string][]byte, srvOpts []ftpfstest.Option, opts ...ftpfs.Option) rlEnv {
	t.Helper()
	backing := afero.NewMemMapFs()
	for name, data := range files {
		if strings.HasSuffix(name, "/") {
			if err := backing.MkdirAll(name, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := backing.MkdirAll(name[:strings.LastIndex(name, "/")+1], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(backing, name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rlSetupFs(t, backing, srvOpts, opts...)
}

// rlSetupFs is rlSetup over a given backing file system.
func rlSetupFs(t *testing.T, backing afero.Fs, srvOpts []ftpfstest.Option, opts ...ftpfs.Option) rlEnv {
	t.Helper()
	e := rlEnv{backing: backing}
	e.srv = ftpfstest.NewServer(e.backing, srvOpts...)
	t.Cleanup(e.srv.Close)
	e.proxy = ftpfstest.NewProxy(e.srv.Addr())
	t.Cleanup(e.proxy.Close)
	opts = append([]ftpfs.Option{ftpfs.WithTimeout(5 * time.Second), ftpfs.WithDialTimeout(5 * time.Second)}, opts...)
	fsys, err := ftpfs.Dial(t.Context(), e.proxy.URL(e.srv.URL()), opts...)
	if err != nil {
		t.Fatalf("Dial through the proxy = %v", err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	e.fsys = fsys
	return e
}

// rlIsTimeout reports whether err says a deadline passed.
func rlIsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

// rlNames returns the names of infos, in order.
func rlNames(infos []os.FileInfo) []string {
	names := make([]string, len(infos))
	for i, fi := range infos {
		names[i] = fi.Name()
	}
	return names
}

// rlEventually polls cond, yielding in between, until it holds or rlWait
// passes; it reports whether cond held.
func rlEventually(cond func() bool) bool {
	deadline := time.Now().Add(rlWait)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		runtime.Gosched()
	}
	return true
}

// rlWrong is a wrong result that came with no error: never acceptable.
type rlWrong struct{ what string }

func (w *rlWrong) Error() string { return "wrong result: " + w.what }

// rlTree is the files the tests below start from.
var rlTree = map[string][]byte{
	"/d/f":    []byte("the file f"),
	"/d/g":    []byte("the file g"),
	"/keep":   []byte("keep"),
	"/sub/x/": nil,
}
