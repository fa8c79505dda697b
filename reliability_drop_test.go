package ftpfs_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestReliabilityIdleControlDrop: after a successful call, the proxy cuts
// every control connection, as a server or a firewall does to idle ones.
// The next call must work on a new connection. Stat and ReadDir without
// the cache go to the server; ReadFile with a warm cache opens from the
// cache and goes to the server only for its RETR.
func TestReliabilityIdleControlDrop(t *testing.T) {
	readFile := func(f afero.Fs) error {
		data, err := afero.ReadFile(f, "d/f")
		if err == nil && !bytes.Equal(data, rlTree["/d/f"]) {
			err = &rlWrong{fmt.Sprintf("read %q, want %q", data, rlTree["/d/f"])}
		}
		return err
	}
	ops := []struct {
		name  string
		cache bool
		op    func(afero.Fs) error
	}{
		{"Stat", false, func(f afero.Fs) error {
			fi, err := f.Stat("d/f")
			if err == nil && fi.Size() != int64(len(rlTree["/d/f"])) {
				err = &rlWrong{fmt.Sprintf("size %d, want %d", fi.Size(), len(rlTree["/d/f"]))}
			}
			return err
		}},
		{"ReadDir", false, func(f afero.Fs) error {
			infos, err := afero.ReadDir(f, "d")
			if got := rlNames(infos); err == nil && !slices.Equal(got, []string{"f", "g"}) {
				err = &rlWrong{fmt.Sprintf("names %q, want [f g]", got)}
			}
			return err
		}},
		{"ReadFile", false, readFile},
		{"ReadFile/warm-cache", true, readFile},
	}
	for _, tc := range ops {
		for _, how := range []string{"drop", "reset"} {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				var opts []ftpfs.Option
				if !tc.cache {
					opts = append(opts, ftpfs.WithoutCache())
				}
				e := rlSetup(t, rlTree, nil, opts...)
				if _, err := e.fsys.Stat("d/f"); err != nil {
					t.Fatalf("Stat before the drop = %v", err)
				}
				var cut int
				if how == "drop" {
					cut = e.proxy.DropAll(ftpfstest.ControlConn)
				} else {
					cut = e.proxy.ResetAll(ftpfstest.ControlConn)
				}
				if cut == 0 {
					t.Fatalf("no control connection to cut")
				}
				logins := e.srv.Commands()["PASS"]
				if err := tc.op(e.fsys); err != nil {
					t.Errorf("%s after the proxy cut the idle connection = %v; want it to succeed on a new connection", tc.name, err)
				}
				if e.srv.Commands()["PASS"] == logins {
					t.Errorf("%s after the cut did not log in again", tc.name)
				}
			})
		}
	}
}

// TestReliabilityIdempotentRetry: an idempotent call whose connection
// breaks mid-command is tried once more on a new connection, and only
// once.
func TestReliabilityIdempotentRetry(t *testing.T) {
	dropReply := func(verb string, times int) ftpfstest.Fault {
		return ftpfstest.Fault{Conns: ftpfstest.ControlConn, Dir: ftpfstest.ToClient, Command: verb, Action: ftpfstest.Drop, Times: times}
	}
	readAll := func(f afero.Fs) error {
		file, err := f.Open("d/f")
		if err != nil {
			return err
		}
		defer file.Close()
		data, err := io.ReadAll(file)
		if err == nil && !bytes.Equal(data, rlTree["/d/f"]) {
			err = &rlWrong{fmt.Sprintf("read %q and no error, want %q", data, rlTree["/d/f"])}
		}
		return err
	}
	stat := func(f afero.Fs) error {
		_, err := f.Stat("d/f")
		return err
	}
	for _, tc := range []struct {
		name    string
		fault   ftpfstest.Fault
		op      func(afero.Fs) error
		wantErr bool
		verb    string // counted at the server
		count   int    // its count, if not 0
	}{
		{"Stat/MLSD-reply-dropped", dropReply("MLSD", 1), stat, false, "MLSD", 2},
		{"Stat/MLSD-reply-dropped-twice", dropReply("MLSD", 2), stat, true, "MLSD", 2},
		{"ReadDir/MLSD-reply-dropped", dropReply("MLSD", 1), func(f afero.Fs) error {
			infos, err := afero.ReadDir(f, "d")
			if got := rlNames(infos); err == nil && !slices.Equal(got, []string{"f", "g"}) {
				err = &rlWrong{fmt.Sprintf("names %q, want [f g]", got)}
			}
			return err
		}, false, "", 0},
		{"ReadDir/listing-reset", ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "MLSD", After: 10, Action: ftpfstest.Reset}, func(f afero.Fs) error {
			infos, err := afero.ReadDir(f, "d")
			if got := rlNames(infos); err == nil && !slices.Equal(got, []string{"f", "g"}) {
				err = &rlWrong{fmt.Sprintf("names %q, want [f g]", got)}
			}
			return err
		}, false, "", 0},
		{"Open/MLST-reply-dropped", dropReply("MLST", 1), readAll, false, "MLST", 2},
		{"Open/RETR-reply-dropped", dropReply("RETR", 1), readAll, false, "RETR", 2},
		{"Open/RETR-reply-dropped-always", dropReply("RETR", 1000), readAll, true, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := rlSetup(t, rlTree, nil)
			e.proxy.SetFault(tc.fault)
			err := tc.op(e.fsys)
			var wrong *rlWrong
			switch {
			case errors.As(err, &wrong):
				t.Errorf("%v", err)
			case tc.wantErr && err == nil:
				t.Errorf("with the fault striking on every attempt: nil error, want an error once the retries are spent")
			case !tc.wantErr && err != nil:
				t.Errorf("with one broken connection: %v; want success on a new connection", err)
			}
			if n := e.srv.Commands()["RETR"]; n > 10 {
				t.Errorf("the server got RETR %d times, want a small bound", n)
			}
			if s := e.proxy.Stats(); s.Strikes == 0 {
				t.Errorf("the fault never struck")
			}
			if n := e.srv.Commands()[tc.verb]; tc.count != 0 && n != tc.count {
				t.Errorf("the server got %s %d times, want %d (one try and one retry)", tc.verb, n, tc.count)
			}
			e.proxy.ClearFault()
			if _, err := e.fsys.Stat("keep"); err != nil {
				t.Errorf("Stat after the fault = %v", err)
			}
		})
	}
}

// TestReliabilityNonIdempotentAtMostOnce: Rename, Remove and Mkdir whose
// control connection breaks just before the command reaches the server,
// or just after (the reply is lost), are never sent twice; the call
// either succeeds and the change is there, or fails.
func TestReliabilityNonIdempotentAtMostOnce(t *testing.T) {
	type check func(afero.Fs) (done, undone bool)
	exists := func(b afero.Fs, name string) bool { _, err := b.Stat(name); return err == nil }
	ops := []struct {
		name string
		verb string
		op   func(afero.Fs) error
		look check
	}{
		{"Rename", "RNTO", func(f afero.Fs) error { return f.Rename("d/f", "d/renamed") }, func(b afero.Fs) (bool, bool) {
			return !exists(b, "/d/f") && exists(b, "/d/renamed"), exists(b, "/d/f") && !exists(b, "/d/renamed")
		}},
		{"Remove", "DELE", func(f afero.Fs) error { return f.Remove("d/g") }, func(b afero.Fs) (bool, bool) {
			return !exists(b, "/d/g"), exists(b, "/d/g")
		}},
		{"Mkdir", "MKD", func(f afero.Fs) error { return f.Mkdir("newdir", 0o755) }, func(b afero.Fs) (bool, bool) {
			return exists(b, "/newdir"), !exists(b, "/newdir")
		}},
	}
	for _, tc := range ops {
		for _, when := range []struct {
			name string
			dir  ftpfstest.Direction
		}{{"lost-before-the-server", ftpfstest.ToServer}, {"reply-lost", ftpfstest.ToClient}} {
			t.Run(tc.name+"/"+when.name, func(t *testing.T) {
				e := rlSetup(t, rlTree, nil)
				e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.ControlConn, Dir: when.dir, Command: tc.verb, Action: ftpfstest.Drop})
				err := tc.op(e.fsys)
				if e.proxy.Stats().Strikes != 1 {
					t.Fatalf("the fault did not strike")
				}
				if n := e.srv.Commands()[tc.verb]; n > 1 {
					t.Errorf("the server got %s %d times, want at most once", tc.verb, n)
				}
				done, undone := tc.look(e.backing)
				switch {
				case done == undone:
					t.Errorf("the server's tree is neither before nor after %s", tc.name)
				case err == nil && !done:
					t.Errorf("%s = nil, but the server did not do it", tc.name)
				}
				t.Logf("%s: err=%v, done=%t", tc.name, err, done)
				if _, err := e.fsys.Stat("keep"); err != nil {
					t.Errorf("Stat after the fault = %v", err)
				}
			})
		}
	}
}
