package ftpfs_test

// Lost final replies (issue "transfers that survive", item 3): a transfer
// that moved all its bytes while a NAT forgot its idle control connection
// is verified on a fresh connection, and reported as what it is.

import (
	"bytes"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// Timings of the lost-reply tests: the proxy forgets a control connection
// idle for lostIdle; the transfer's data stalls for lostStall, longer than
// that (so the control connection idles past the limit) and shorter than
// the Fs's timeout, lostTimeout.
const (
	lostIdle    = 400 * time.Millisecond
	lostStall   = time.Second
	lostTimeout = 2 * time.Second
	lostBound   = 2*lostTimeout + 10*time.Second
)

var lostActions = []struct {
	name   string
	action ftpfstest.Action
}{{"FIN", ftpfstest.Drop}, {"RST", ftpfstest.Reset}, {"silence", ftpfstest.Stall}}

// lostEnv is an Fs through a proxy that forgets idle control connections.
func lostEnv(t *testing.T, backing afero.Fs, action ftpfstest.Action, srvOpts ...ftpfstest.Option) rlEnv {
	t.Helper()
	e := rlEnv{backing: backing}
	e.srv = ftpfstest.NewServer(backing, srvOpts...)
	t.Cleanup(e.srv.Close)
	e.proxy = ftpfstest.NewProxy(e.srv.Addr())
	t.Cleanup(e.proxy.Close)
	e.proxy.SetIdleLimit(ftpfstest.ControlConn, lostIdle, action)
	fsys, err := ftpfs.Dial(t.Context(), e.proxy.URL(e.srv.URL()), ftpfs.WithTimeout(lostTimeout), ftpfs.WithAtomicWrites(), ftpfs.WithoutPrefetch())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	e.fsys = fsys
	return e
}

// TestLostFinalReplyUploadVerified: an upload outlasts the proxy's idle
// limit on its control connection, which the proxy then silently forgets
// (as a NAT does), closes (FIN) or resets (RST); the data connection
// delivers every byte, the 226 is lost. The upload is verified with SIZE
// on a new connection: when the server stored it all (always, when it did
// not see the control connection end) it is reported as a success,
// renamed into place (WithAtomicWrites) and not deleted; when the server
// ended the transfer (ftpserverlib does when it sees its control
// connection close), it is an error and nothing takes the target's name.
func TestLostFinalReplyUploadVerified(t *testing.T) {
	for _, a := range lostActions {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			e := lostEnv(t, afero.NewMemMapFs(), a.action)
			data := rlBytes(31, 300_000)
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 100_000, Action: ftpfstest.Stall, Stall: lostStall})
			strikes := e.proxy.Stats().Strikes
			err := boundedCall(t, "WriteFile", lostBound, func() error { return afero.WriteFile(e.fsys, "big", data, 0o644) })
			if e.proxy.Stats().Strikes < strikes+2 {
				t.Fatalf("the proxy did not stall the data and forget the control connection (strikes %d → %d)", strikes, e.proxy.Stats().Strikes)
			}
			stored, readErr := afero.ReadFile(e.backing, "/big")
			switch {
			case a.action == ftpfstest.Stall && err != nil:
				// The server never learns of the lost connection and
				// stores every byte.
				t.Errorf("WriteFile whose final reply was lost = %v; want nil (verified with SIZE)", err)
			case err == nil && (readErr != nil || !bytes.Equal(stored, data)):
				t.Errorf("WriteFile = nil, but the server holds %d bytes (%v) under the name; want all %d", len(stored), readErr, len(data))
			case err != nil && readErr == nil:
				// ftpserverlib ends the transfer when its control
				// connection closes: the upload is short, an error.
				t.Errorf("WriteFile = %v, but the server holds %d bytes under the name", err, len(stored))
			}
			if left, _ := afero.Glob(e.backing, "/.big.ftpfs-*.tmp"); len(left) > 0 {
				t.Errorf("temporary file left: %q", left)
			}
		})
	}
}

// TestLostFinalReplyPartialUploadFails: as above, but the file the server
// holds when the Fs verifies is short (the hook truncates it as SIZE
// arrives): the upload is an error, and nothing takes the target's name.
func TestLostFinalReplyPartialUploadFails(t *testing.T) {
	backing := afero.NewMemMapFs()
	hook := func(cmd, arg string) {
		if cmd == "SIZE" && strings.Contains(arg, ".ftpfs-") {
			// The hook runs before the server answers.
			if f, err := backing.OpenFile(path.Join("/", arg), os.O_WRONLY, 0); err == nil {
				_ = f.Truncate(1000)
				_ = f.Close()
			}
		}
	}
	e := lostEnv(t, backing, ftpfstest.Drop, ftpfstest.WithCommandHook(hook))
	data := rlBytes(32, 300_000)
	e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 100_000, Action: ftpfstest.Stall, Stall: lostStall})
	err := boundedCall(t, "WriteFile", lostBound, func() error { return afero.WriteFile(e.fsys, "big", data, 0o644) })
	if err == nil || !strings.Contains(err.Error(), "final reply was lost") {
		t.Errorf("WriteFile with its reply lost and the file short on the server = %v; want an error naming the lost reply", err)
	}
	if _, statErr := backing.Stat("/big"); statErr == nil {
		t.Error("a short upload took the target's name")
	}
}

// TestLostFinalReplyDownloadVerified: a download outlasts the idle limit
// of its control connection; every listed byte arrives, the 226 is lost;
// the Fs verifies the size on a new connection and returns the file.
func TestLostFinalReplyDownloadVerified(t *testing.T) {
	for _, a := range lostActions {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			backing := afero.NewMemMapFs()
			// Bigger than the socket buffers: the server still sends
			// when the control connection is forgotten, so its 226
			// comes after.
			data := rlBytes(33, stallUploadSize)
			writeFiles(t, backing, map[string]string{"big": string(data)})
			e := lostEnv(t, backing, a.action)
			if _, err := e.fsys.Stat("big"); err != nil {
				t.Fatal(err)
			}
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 100_000, Action: ftpfstest.Stall, Stall: lostStall})
			var got []byte
			err := boundedCall(t, "ReadFile", lostBound, func() (err error) { got, err = afero.ReadFile(e.fsys, "big"); return err })
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("ReadFile whose final reply was lost = %d bytes, %v; want all %d, verified", len(got), err, len(data))
			}
		})
	}
}
