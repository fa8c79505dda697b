package ftpfs_test

// Reliability (issue 8): the Fs behind ftpfstest.Proxy, which drops,
// resets, stalls and refuses connections on request, and behind a fake
// server that sends hostile replies. Tests that show a behaviour the
// library lacks today fail on purpose, naming the gap.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
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
	e := rlEnv{backing: afero.NewMemMapFs()}
	for name, data := range files {
		if strings.HasSuffix(name, "/") {
			if err := e.backing.MkdirAll(name, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := e.backing.MkdirAll(name[:strings.LastIndex(name, "/")+1], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(e.backing, name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
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

// rlReadStream reads name with Read calls and checks each: no io.EOF
// before the whole file arrived.
func rlReadStream(f afero.Fs, name string, size int) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var got []byte
	buf := make([]byte, 32<<10)
	for range 1 << 16 { // bounded: far more reads than the file needs
		n, err := file.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			if len(got) != size {
				return got, fmt.Errorf("io.EOF after %d of %d bytes", len(got), size)
			}
			return got, nil
		}
		if err != nil {
			return got, err
		}
	}
	return got, errors.New("too many reads")
}

// TestReliabilityBrokenDownload: a download whose data connection breaks
// never passes for a whole file: the caller gets the exact bytes (after a
// resume) or an error, never a short success, and the Fs works
// afterwards. When every transfer breaks before its first byte, the read
// must give up with an error after a bounded number of attempts.
func TestReliabilityBrokenDownload(t *testing.T) {
	content := rlBytes(1, 300_000)
	files := map[string][]byte{"/big": content, "/keep": []byte("keep")}
	for _, action := range []ftpfstest.Action{ftpfstest.Drop, ftpfstest.Reset} {
		for _, reader := range []string{"ReadFile", "Read"} {
			for _, every := range []bool{false, true} {
				name := fmt.Sprintf("%s/action-%d/once", reader, action)
				fault := ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 100_000, Action: action}
				if every {
					name = fmt.Sprintf("%s/action-%d/every-transfer-at-byte-0", reader, action)
					fault.After, fault.Times = 0, 1000
				}
				t.Run(name, func(t *testing.T) {
					e := rlSetup(t, files, nil)
					e.proxy.SetFault(fault)
					var got []byte
					var err error
					if reader == "ReadFile" {
						got, err = afero.ReadFile(e.fsys, "big")
					} else {
						got, err = rlReadStream(e.fsys, "big", len(content))
					}
					if !bytes.HasPrefix(content, got) {
						t.Errorf("%s returned %d bytes that are not the file's first bytes", reader, len(got))
					}
					if err == nil && !bytes.Equal(got, content) {
						t.Errorf("%s of a broken transfer = %d of %d bytes and no error", reader, len(got), len(content))
					}
					if errors.Is(err, io.EOF) {
						t.Errorf("%s error %v matches io.EOF; want an error a short read cannot be mistaken for", reader, err)
					}
					if every {
						if err == nil {
							t.Errorf("%s with every transfer broken at byte 0 = nil error, want one", reader)
						}
						if n := e.srv.Commands()["RETR"]; n > 10 {
							t.Errorf("%s with every transfer broken sent RETR %d times, want a small bound", reader, n)
						}
					}
					t.Logf("%s: %d bytes, %d RETR, err=%v", reader, len(got), e.srv.Commands()["RETR"], err)
					e.proxy.ClearFault()
					if data, err := afero.ReadFile(e.fsys, "big"); err != nil || !bytes.Equal(data, content) {
						t.Errorf("ReadFile after the fault = %d bytes, %v; want all %d", len(data), err, len(content))
					}
				})
			}
		}
	}
}

// TestReliabilityResumeDownload (issue 8): a download whose data
// connection breaks is resumed with REST at the first byte not yet
// delivered, and the caller gets the exact bytes. Two ways to break:
// a reset after 100,000 bytes, twice (the client's read fails); and a
// polite close (FIN) after 1,000 bytes of a 3,000-byte file, which the
// server, having written it all already, confirms with 226: only the
// listed size shows that bytes are missing.
func TestReliabilityResumeDownload(t *testing.T) {
	for _, tc := range []struct {
		name  string
		size  int
		fault ftpfstest.Fault
		rests []string
	}{
		{"reset-twice", 300_000, ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 100_000, Action: ftpfstest.Reset, Times: 2}, []string{"100000", "200000"}},
		{"closed-early-then-226", 3000, ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 1000, Action: ftpfstest.Drop}, []string{"1000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := rlBytes(2, tc.size)
			var mu sync.Mutex
			var rests []string
			hook := ftpfstest.WithCommandHook(func(cmd, arg string) {
				if cmd == "REST" {
					mu.Lock()
					rests = append(rests, arg)
					mu.Unlock()
				}
			})
			e := rlSetup(t, map[string][]byte{"/big": content}, []ftpfstest.Option{hook})
			e.proxy.SetFault(tc.fault)
			got, err := afero.ReadFile(e.fsys, "big")
			if err != nil || !bytes.Equal(got, content) {
				t.Errorf("ReadFile across broken transfers = %d of %d bytes, %v; want every byte after resuming", len(got), len(content), err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(rests, tc.rests) {
				t.Errorf("REST offsets sent = %q, want %q", rests, tc.rests)
			}
		})
	}
}

// TestReliabilityBrokenReadAt: ReadAt of a whole file whose transfer
// breaks returns every byte or an error; io.EOF with fewer bytes would
// claim that the file ends early.
func TestReliabilityBrokenReadAt(t *testing.T) {
	content := rlBytes(7, 3000)
	for _, tc := range []struct {
		name  string
		fault ftpfstest.Fault
	}{
		{"data-closed-early-then-226", ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 1000, Action: ftpfstest.Drop}},
		{"data-reset", ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 1000, Action: ftpfstest.Reset}},
		{"RETR-reply-dropped-always", ftpfstest.Fault{Conns: ftpfstest.ControlConn, Dir: ftpfstest.ToClient, Command: "RETR", Action: ftpfstest.Drop, Times: 1000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := rlSetup(t, map[string][]byte{"/f": content}, nil)
			f, err := e.fsys.Open("f")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			e.proxy.SetFault(tc.fault)
			buf := make([]byte, len(content))
			n, err := f.ReadAt(buf, 0)
			if !bytes.Equal(buf[:n], content[:n]) {
				t.Errorf("ReadAt returned %d bytes that are not the file's", n)
			}
			if n < len(content) && (err == nil || err == io.EOF) {
				t.Errorf("ReadAt(%d bytes at 0) of a %d-byte file = %d, %v; want all of them, or an error other than io.EOF", len(buf), len(content), n, err)
			}
		})
	}
}

// rlUpload writes data to name in 32 KB pieces and closes it, and returns
// the first error.
func rlUpload(f afero.Fs, name string, data []byte) error {
	file, err := f.Create(name)
	if err != nil {
		return err
	}
	for off := 0; off < len(data); off += 32 << 10 {
		if _, err := file.Write(data[off:min(off+32<<10, len(data))]); err != nil {
			_ = file.Close() // the Write error is what matters
			return err
		}
	}
	return file.Close()
}

// TestReliabilityBrokenUpload: an upload whose data connection breaks
// after 64 KB of 4 MB fails, from Write or from Close, and the Fs works
// afterwards.
func TestReliabilityBrokenUpload(t *testing.T) {
	content := rlBytes(3, 4<<20)
	for _, action := range []ftpfstest.Action{ftpfstest.Drop, ftpfstest.Reset} {
		t.Run(fmt.Sprintf("action-%d", action), func(t *testing.T) {
			e := rlSetup(t, rlTree, nil)
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 64 << 10, Action: action})
			if err := rlUpload(e.fsys, "up", content); err == nil {
				t.Errorf("an upload broken after 64 KB = nil error, want one from Write or Close")
			}
			e.proxy.ClearFault()
			if err := rlUpload(e.fsys, "up", content[:1000]); err != nil {
				t.Errorf("an upload after the fault = %v", err)
			}
		})
	}
}

// TestReliabilityUploadCutShort: the proxy closes an upload's data
// connection to the server after 5,000 of 10,000 bytes, politely (a FIN):
// the server takes that for the end of the file and confirms it with 226.
// FTP's stream mode carries no length, so only the client can tell: the
// upload must fail, or the server must have every byte. With atomic
// writes the short file must not take the target's name either.
func TestReliabilityUploadCutShort(t *testing.T) {
	content := rlBytes(4, 10_000)
	for _, tc := range []struct {
		name string
		opts []ftpfs.Option
	}{{"default", nil}, {"atomic", []ftpfs.Option{ftpfs.WithAtomicWrites()}}} {
		t.Run(tc.name, func(t *testing.T) {
			e := rlSetup(t, rlTree, nil, tc.opts...)
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 5000, Action: ftpfstest.Drop})
			err := rlUpload(e.fsys, "up", content)
			stored, _ := afero.ReadFile(e.backing, "/up") // missing is checked below
			if err == nil && !bytes.Equal(stored, content) {
				t.Errorf("upload cut after 5000 bytes = nil error, and the server holds %d of %d bytes under the target name", len(stored), len(content))
			}
		})
	}
}

// TestReliabilityFailedUploadKeepsOldFile: with WithAtomicWrites, an
// upload that fails leaves the target as it was, never half written.
// Without it a partial file is the documented outcome, only logged here.
func TestReliabilityFailedUploadKeepsOldFile(t *testing.T) {
	old := []byte("the old content")
	content := rlBytes(5, 4<<20)
	for _, tc := range []struct {
		name   string
		atomic bool
	}{{"default", false}, {"atomic", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []ftpfs.Option
			if tc.atomic {
				opts = append(opts, ftpfs.WithAtomicWrites())
			}
			e := rlSetup(t, map[string][]byte{"/target": old}, nil, opts...)
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 64 << 10, Action: ftpfstest.Reset})
			err := rlUpload(e.fsys, "target", content)
			if err == nil {
				t.Fatalf("upload reset after 64 KB = nil error")
			}
			stored, _ := afero.ReadFile(e.backing, "/target") // missing is reported below
			whole := bytes.Equal(stored, old) || bytes.Equal(stored, content)
			switch {
			case whole:
			case tc.atomic:
				t.Errorf("after a failed atomic upload the target holds %d bytes, neither the old %d nor the new %d", len(stored), len(old), len(content))
			default:
				t.Logf("without atomic writes a failed upload leaves %d bytes under the target name (documented)", len(stored))
			}
			names, _ := afero.ReadDir(e.backing, "/") // a leftover temporary file is reported below
			if len(names) != 1 {
				t.Errorf("after the failed upload the directory holds %q, want only target", rlNames(names))
			}
		})
	}
}

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

// Campaign: seeded random faults under random operations.

// rlCampaignSeed fixes the campaign's random choices; the timing of the
// network is the only thing that varies between runs.
const rlCampaignSeed = 8

// rlTrial is one operation of the campaign and what came of it.
type rlTrial struct {
	op     string // "download", "upload", "readdir", "rename"
	fault  ftpfstest.Fault
	struck bool
	err    error
	right  bool   // no error, and the result checks out
	wrong  string // what is wrong with the result, if anything

	// For the checks done at the end, on the server's tree.
	name     string
	old, new []byte // upload: the content before (nil: none) and the one sent
	from, to string // rename
}

// rlCampaignFault picks a fault for an operation that moves about size
// bytes over its data connection.
func rlCampaignFault(r *rand.Rand, size int) ftpfstest.Fault {
	var f ftpfstest.Fault
	if r.IntN(2) == 0 {
		f.Conns = ftpfstest.ControlConn
		f.After = r.Int64N(400)
	} else {
		f.Conns = ftpfstest.DataConn
		f.After = r.Int64N(int64(size) + 1)
	}
	f.Dir = []ftpfstest.Direction{ftpfstest.ToClient, ftpfstest.ToServer, ftpfstest.BothWays}[r.IntN(3)]
	switch n := r.IntN(10); {
	case n < 4:
		f.Action = ftpfstest.Drop
	case n < 8:
		f.Action = ftpfstest.Reset
	default:
		f.Action = ftpfstest.Stall
		f.Stall = time.Duration(5+r.IntN(36)) * time.Millisecond
	}
	return f
}

// TestReliabilityCampaign runs seeded random trials (200, or 50 with
// -short) of downloads, uploads, listings and renames through the proxy,
// each under a random fault: a drop, a reset or a short stall after a
// random number of bytes on a control or a data connection. Every trial
// must end with the right result or an error: a download returns the
// file's exact bytes or an error; a listing is right or an error; and the
// server's tree, checked through the backing file system once everything
// is closed, holds every renamed file under exactly one of its names and
// every uploaded file whole, old or new (uploads use WithAtomicWrites).
// No goroutine may be left behind.
func TestReliabilityCampaign(t *testing.T) {
	trials := 200
	if testing.Short() {
		trials = 50
	}
	before := runtime.NumGoroutine()
	r := rand.New(rand.NewPCG(rlCampaignSeed, uint64(trials)))

	backing := afero.NewMemMapFs()
	downloads := map[string][]byte{}
	for i, size := range []int{10, 5_000, 70_000, 400_000} {
		name := fmt.Sprintf("/dl/%d", i)
		downloads[name] = rlBytes(uint64(100+i), size)
	}
	listed := map[string]int64{}
	for i := range 24 {
		name := fmt.Sprintf("entry-%02d-%s", i, strings.Repeat("x", i))
		listed[name] = int64(i * 37)
		downloads["/ls/"+name] = rlBytes(uint64(200+i), i*37)
	}
	for name, data := range downloads {
		if err := backing.MkdirAll(name[:strings.LastIndex(name, "/")], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(backing, name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"/up", "/rn"} {
		if err := backing.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	p := ftpfstest.NewProxy(srv.Addr())
	defer p.Close()
	fsys, err := ftpfs.Dial(t.Context(), p.URL(srv.URL()), ftpfs.WithTimeout(2*time.Second), ftpfs.WithAtomicWrites())
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()

	record := make([]rlTrial, 0, trials)
	for i := range trials {
		fsys.Cache().Clear() // each trial lists afresh, so faults can hit listings
		var tr rlTrial
		switch r.IntN(4) {
		case 0:
			tr.op = "download"
			tr.name = fmt.Sprintf("/dl/%d", r.IntN(4))
			tr.fault = rlCampaignFault(r, len(downloads[tr.name]))
		case 1:
			tr.op = "upload"
			tr.name = fmt.Sprintf("/up/%d", i)
			if r.IntN(2) == 0 {
				tr.old = rlBytes(uint64(1000+i), r.IntN(50_000))
				if err := afero.WriteFile(backing, tr.name, tr.old, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tr.new = rlBytes(uint64(2000+i), 1+r.IntN(300_000))
			tr.fault = rlCampaignFault(r, len(tr.new))
		case 2:
			tr.op = "readdir"
			tr.fault = rlCampaignFault(r, 2500)
		default:
			tr.op = "rename"
			tr.from, tr.to = fmt.Sprintf("/rn/%d-a", i), fmt.Sprintf("/rn/%d-b", i)
			tr.new = rlBytes(uint64(3000+i), 1+r.IntN(2000))
			if err := afero.WriteFile(backing, tr.from, tr.new, 0o644); err != nil {
				t.Fatal(err)
			}
			tr.fault = rlCampaignFault(r, 0)
		}
		strikes := p.Stats().Strikes
		started := time.Now()
		p.SetFault(tr.fault)
		switch tr.op {
		case "download":
			data, err := afero.ReadFile(fsys, tr.name[1:])
			tr.err = err
			want := downloads[tr.name]
			switch {
			case !bytes.HasPrefix(want, data):
				tr.wrong = fmt.Sprintf("%d bytes that are not the file's first bytes", len(data))
			case err == nil && len(data) != len(want):
				tr.wrong = fmt.Sprintf("%d of %d bytes and no error", len(data), len(want))
			case err == nil:
				tr.right = true
			}
		case "upload":
			tr.err = rlUpload(fsys, tr.name[1:], tr.new)
		case "readdir":
			infos, err := afero.ReadDir(fsys, "ls")
			tr.err = err
			if err == nil {
				tr.wrong = rlCheckListing(infos, listed)
				tr.right = tr.wrong == ""
			}
		case "rename":
			tr.err = fsys.Rename(tr.from[1:], tr.to[1:])
		}
		p.ClearFault()
		tr.struck = p.Stats().Strikes > strikes
		if d := time.Since(started); d > time.Second {
			t.Logf("trial %d (%s, fault %+v) took %v: %v", i, tr.op, tr.fault, d.Round(time.Millisecond), tr.err)
		}
		record = append(record, tr)
	}

	// The Fs is healthy after all that.
	fsys.Cache().Clear()
	if data, err := afero.ReadFile(fsys, "dl/3"); err != nil || !bytes.Equal(data, downloads["/dl/3"]) {
		t.Errorf("ReadFile after the campaign = %d bytes, %v", len(data), err)
	}
	if infos, err := afero.ReadDir(fsys, "ls"); err != nil || rlCheckListing(infos, listed) != "" {
		t.Errorf("ReadDir after the campaign = %d entries, %v", len(infos), err)
	}
	if err := fsys.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	p.Close()
	srv.Close() // waits for the server's goroutines: the tree is final

	var faults, recovered, errs, truncated int
	corrupt := map[string]int{}
	for i := range record {
		tr := &record[i]
		switch tr.op {
		case "upload":
			rlCheckUpload(backing, tr)
		case "rename":
			rlCheckRename(backing, tr)
		}
		if tr.struck {
			faults++
		}
		switch {
		case tr.wrong != "" && tr.op == "readdir" && strings.HasPrefix(tr.wrong, "missing"):
			// Every entry shown is right, the last ones are missing: the
			// data connection was closed at a line's end and the server
			// confirmed the listing. FTP cannot tell; see the report.
			truncated++
		case tr.wrong != "":
			corrupt[tr.op]++
			t.Errorf("trial %d (%s, fault %+v, struck %t): wrong result: %s (error: %v)", i, tr.op, tr.fault, tr.struck, tr.wrong, tr.err)
		case tr.err != nil:
			errs++
		case tr.struck && tr.right:
			recovered++
		}
	}
	leaked := 0
	if !rlEventually(func() bool { return runtime.NumGoroutine() <= before }) {
		leaked = runtime.NumGoroutine() - before
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left after closing everything:\n%s", leaked, buf[:runtime.Stack(buf, true)])
	}
	t.Logf("campaign (seed %d): trials=%d faults=%d recovered=%d errors=%d corruptions: downloads=%d uploads=%d listings=%d renames=%d; listings cut at a line end=%d; leaked goroutines=%d",
		rlCampaignSeed, len(record), faults, recovered, errs, corrupt["download"], corrupt["upload"], corrupt["readdir"], corrupt["rename"], truncated, leaked)
}

// rlCheckListing compares a listing with the names and sizes expected:
// "" when right, else what is wrong. "missing …" means that every entry
// present is right and some are missing.
func rlCheckListing(infos []os.FileInfo, want map[string]int64) string {
	for _, fi := range infos {
		size, ok := want[fi.Name()]
		switch {
		case !ok:
			return fmt.Sprintf("an entry %q that does not exist", fi.Name())
		case fi.IsDir() || fi.Size() != size:
			return fmt.Sprintf("entry %q: size %d, dir %t; want size %d", fi.Name(), fi.Size(), fi.IsDir(), size)
		}
	}
	if len(infos) != len(want) {
		return fmt.Sprintf("missing %d of %d entries", len(want)-len(infos), len(want))
	}
	return ""
}

// rlCheckUpload judges an upload trial on the final tree.
func rlCheckUpload(backing afero.Fs, tr *rlTrial) {
	stored, err := afero.ReadFile(backing, tr.name)
	exists := err == nil
	switch {
	case tr.err == nil && !bytes.Equal(stored, tr.new):
		tr.wrong = fmt.Sprintf("the upload succeeded, but the server holds %d of its %d bytes", len(stored), len(tr.new))
	case tr.err == nil:
		tr.right = true
	case exists && bytes.Equal(stored, tr.new):
	case exists && tr.old != nil && bytes.Equal(stored, tr.old):
	case !exists && tr.old == nil:
	default:
		tr.wrong = fmt.Sprintf("a failed upload left %d bytes (exists %t) under the target name; old %d, new %d", len(stored), exists, len(tr.old), len(tr.new))
	}
	// WithAtomicWrites names its temporary file ".<name>.ftpfs-<n>.tmp".
	// (A shorter name is a STOR line the fault cut, which ftpserverlib
	// carries out anyway; the client cannot know of it.)
	dir, base := path.Split(tr.name)
	leftovers, _ := afero.Glob(backing, dir+"."+base+".ftpfs-*.tmp")
	if tr.wrong == "" && len(leftovers) > 0 {
		tr.wrong = fmt.Sprintf("temporary file left behind: %q", leftovers)
	}
}

// rlCheckRename judges a rename trial on the final tree.
func rlCheckRename(backing afero.Fs, tr *rlTrial) {
	from, errFrom := afero.ReadFile(backing, tr.from)
	to, errTo := afero.ReadFile(backing, tr.to)
	atFrom := errFrom == nil && bytes.Equal(from, tr.new)
	atTo := errTo == nil && bytes.Equal(to, tr.new)
	switch {
	case atFrom == atTo || errFrom == nil && !atFrom || errTo == nil && !atTo:
		tr.wrong = fmt.Sprintf("the file is under both names or neither (old name: %t, new name: %t)", errFrom == nil, errTo == nil)
	case tr.err == nil && !atTo:
		tr.wrong = "the rename succeeded, but the file kept its old name"
	case tr.err == nil:
		tr.right = true
	}
}

// Hostile replies: a fake control server whose every answer a test may
// replace. It tests how the client reads what a server says, not the
// file system, so it knows only the commands the Fs sends.

// rlFake is a scripted FTP server on 127.0.0.1.
type rlFake struct {
	ln       net.Listener
	listing  []byte // what MLSD and LIST send
	greeting string // the first reply; "220 fake ready" if empty
	// answer may answer a command itself and return true; the session
	// ends when it returns an error.
	answer func(s *rlFakeSession, verb, arg string) (bool, error)

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// rlFakeSession is one client of an rlFake.
type rlFakeSession struct {
	f    *rlFake
	c    net.Conn
	data net.Listener // the passive listener of the next transfer
}

// rlFakeServer starts a fake server that lists listing; it stops when the
// test ends.
func rlFakeServer(t *testing.T, listing string, answer func(s *rlFakeSession, verb, arg string) (bool, error)) *rlFake {
	t.Helper()
	return rlStartFake(t, &rlFake{listing: []byte(listing), answer: answer})
}

// rlStartFake starts f, configured but not yet listening.
func rlStartFake(t *testing.T, f *rlFake) *rlFake {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.ln = ln
	f.wg.Add(1)
	go f.serve()
	t.Cleanup(func() {
		_ = ln.Close() // ends serve
		f.mu.Lock()
		for _, c := range f.conns {
			_ = c.Close() // ends its session
		}
		f.mu.Unlock()
		f.wg.Wait()
	})
	return f
}

// URL is the fake server's address as an ftp:// URL.
func (f *rlFake) URL() string { return "ftp://user:pass@" + f.ln.Addr().String() + "/" }

func (f *rlFake) serve() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns = append(f.conns, c)
		f.wg.Add(1)
		f.mu.Unlock()
		go func() {
			defer f.wg.Done()
			s := &rlFakeSession{f: f, c: c}
			s.run()
			_ = c.Close() // the session is over either way
			if s.data != nil {
				_ = s.data.Close()
			}
		}()
	}
}

// send writes raw bytes on the control connection.
func (s *rlFakeSession) send(text string) error {
	_, err := io.WriteString(s.c, text)
	return err
}

// passive opens the listener of the next transfer and returns its port.
func (s *rlFakeSession) passive() (int, error) {
	if s.data != nil {
		_ = s.data.Close() // replaced by the new one
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	s.data = ln
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// transfer sends payload over the passive connection, between 150 and
// 226.
func (s *rlFakeSession) transfer(payload []byte) error {
	if s.data == nil {
		return s.send("425 Use PASV first\r\n")
	}
	if err := s.send("150 Here it comes\r\n"); err != nil {
		return err
	}
	if tl, ok := s.data.(*net.TCPListener); ok {
		_ = tl.SetDeadline(time.Now().Add(rlWait)) // a client that never comes fails the session
	}
	dc, err := s.data.Accept()
	_ = s.data.Close() // one connection per transfer
	s.data = nil
	if err != nil {
		return err
	}
	_ = dc.SetDeadline(time.Now().Add(rlWait)) // a stuck client fails the write
	_, err = dc.Write(payload)
	_ = dc.Close() // the end of the data is the close
	if err != nil {
		return err
	}
	return s.send("226 Done\r\n")
}

func (s *rlFakeSession) run() {
	_ = s.c.SetDeadline(time.Now().Add(rlWait)) // bounds the whole session
	greeting := s.f.greeting
	if greeting == "" {
		greeting = "220 fake ready"
	}
	if s.send(greeting+"\r\n") != nil {
		return
	}
	r := bufio.NewReader(s.c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		verb = strings.ToUpper(verb)
		if s.f.answer != nil {
			handled, err := s.f.answer(s, verb, arg)
			if err != nil {
				return
			}
			if handled {
				continue
			}
		}
		if err := s.standard(verb); err != nil {
			return
		}
	}
}

// standard is the fake server's own answer to verb.
func (s *rlFakeSession) standard(verb string) error {
	switch verb {
	case "USER":
		return s.send("331 Password please\r\n")
	case "PASS":
		return s.send("230 Logged in\r\n")
	case "FEAT":
		return s.send("211-Features:\r\n MLST type*;size*;modify*;\r\n UTF8\r\n211 End\r\n")
	case "TYPE", "OPTS", "NOOP":
		return s.send("200 OK\r\n")
	case "PWD":
		return s.send("257 \"/\" is the current directory\r\n")
	case "EPSV":
		port, err := s.passive()
		if err != nil {
			return err
		}
		return s.send(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", port))
	case "PASV":
		port, err := s.passive()
		if err != nil {
			return err
		}
		return s.send(fmt.Sprintf("227 Entering Passive Mode (127,0,0,1,%d,%d)\r\n", port>>8, port&0xff))
	case "MLSD", "LIST":
		return s.transfer(s.f.listing)
	case "QUIT":
		_ = s.send("221 Bye\r\n") // the client may be gone
		return io.EOF
	}
	return s.send("502 Not implemented\r\n")
}

// rlBounded runs op and returns its error, or fails the test if op
// panics or does not return within rlWait.
func rlBounded(t *testing.T, what string, op func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		done <- op()
	}()
	timer := time.NewTimer(rlWait)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil && strings.HasPrefix(err.Error(), "panic: ") {
			t.Errorf("%s panicked: %v", what, err)
		}
		return err
	case <-timer.C:
		t.Fatalf("%s did not return within %v", what, rlWait)
		return nil
	}
}

// rlHostileOpts bound every exchange with a hostile server.
func rlHostileOpts(extra ...ftpfs.Option) []ftpfs.Option {
	return append([]ftpfs.Option{ftpfs.WithTimeout(500 * time.Millisecond), ftpfs.WithDialTimeout(time.Second)}, extra...)
}

// rlListing is a well-formed MLSD listing of one file, "a.txt".
const rlListing = "type=file;size=3;modify=20240101000000; a.txt\r\n"

// rlDialAndList dials the fake server and reads its root directory.
func rlDialAndList(t *testing.T, f *rlFake, opts ...ftpfs.Option) ([]os.FileInfo, error) {
	t.Helper()
	var infos []os.FileInfo
	err := rlBounded(t, "Dial and ReadDir", func() error {
		fsys, err := ftpfs.Dial(t.Context(), f.URL(), rlHostileOpts(opts...)...)
		if err != nil {
			return err
		}
		defer fsys.Close()
		infos, err = afero.ReadDir(fsys, "/")
		return err
	})
	return infos, err
}

// TestHostilePASVNamesAnotherHost: a PASV reply that names a host other
// than the server's is not followed: the data connection goes to the
// control connection's host, at the port named, and the listing arrives.
func TestHostilePASVNamesAnotherHost(t *testing.T) {
	f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
		switch verb {
		case "EPSV":
			return true, s.send("500 EPSV not understood\r\n")
		case "PASV":
			port, err := s.passive()
			if err != nil {
				return true, err
			}
			return true, s.send(fmt.Sprintf("227 Entering Passive Mode (10,99,1,2,%d,%d)\r\n", port>>8, port&0xff))
		}
		return false, nil
	})
	var mu sync.Mutex
	var dialed []string
	dialer := func(ctx context.Context, network, address string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, address)
		mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	}
	infos, err := rlDialAndList(t, f, ftpfs.WithDialer(dialer))
	if err != nil || !slices.Equal(rlNames(infos), []string{"a.txt"}) {
		t.Errorf("ReadDir with PASV naming 10.99.1.2 = %q, %v; want [a.txt] over a data connection to the server", rlNames(infos), err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range dialed {
		if strings.HasPrefix(a, "10.99.1.2:") {
			t.Errorf("the Fs dialed %s, the host the PASV reply named; want the server's host", a)
		}
	}
}

// TestHostilePassiveReplies: malformed EPSV and PASV replies give an
// error, or a right listing when a fallback works; never a panic or a
// hang.
func TestHostilePassiveReplies(t *testing.T) {
	for _, tc := range []struct {
		name, epsv, pasv string // "" for the fake server's own answer
		wantErr          bool
	}{
		{"EPSV port not a number, PASV refused", "229 Entering Extended Passive Mode (|||port|)", "502 No", true},
		{"EPSV port out of range, PASV refused", "229 Entering Extended Passive Mode (|||99999|)", "502 No", true},
		{"EPSV port negative, PASV refused", "229 Entering Extended Passive Mode (|||-21|)", "502 No", true},
		{"EPSV port zero, PASV refused", "229 Entering Extended Passive Mode (|||0|)", "502 No", true},
		{"EPSV tuple empty, PASV refused", "229 Entering Extended Passive Mode (|||)", "502 No", true},
		{"EPSV without parentheses, PASV refused", "229 Entering Extended Passive Mode", "502 No", true},
		{"EPSV tuple bad, PASV works", "229 Entering Extended Passive Mode (|x|)", "", false},
		{"PASV too few numbers", "500 No", "227 Entering Passive Mode (127,0,0,1)", true},
		{"PASV port byte too large", "500 No", "227 Entering Passive Mode (127,0,0,1,999,999)", true},
		{"PASV numbers not numbers", "500 No", "227 Entering Passive Mode (a,b,c,d,e,f)", true},
		{"PASV without parentheses", "500 No", "227 Entering Passive Mode 127,0,0,1,4,1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
				switch {
				case verb == "EPSV" && tc.epsv != "":
					return true, s.send(tc.epsv + "\r\n")
				case verb == "PASV" && tc.pasv != "":
					return true, s.send(tc.pasv + "\r\n")
				}
				return false, nil
			})
			infos, err := rlDialAndList(t, f)
			switch {
			case tc.wantErr && err == nil:
				t.Errorf("ReadDir = %q, nil; want an error", rlNames(infos))
			case !tc.wantErr && (err != nil || !slices.Equal(rlNames(infos), []string{"a.txt"})):
				t.Errorf("ReadDir = %q, %v; want [a.txt] over PASV", rlNames(infos), err)
			}
		})
	}
}

// TestHostileCutReplies: multi-line replies that stop in the middle (the
// connection closes, or the server falls silent) and refusals of 1 MB, cut
// or whole, give an error within the time bound, never a panic or a hang.
func TestHostileCutReplies(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, tc := range []struct {
		name   string
		verb   string
		reply  string
		close  bool // close the connection after the reply; else fall silent
		dialOK bool // Dial is expected to work and ReadDir to fail
	}{
		{"FEAT cut, closed", "FEAT", "211-Features:\r\n MLST type*;\r\n", true, false},
		{"FEAT cut, silent", "FEAT", "211-Features:\r\n MLST type*;\r\n", false, false},
		{"PWD cut, closed", "PWD", "257-first line\r\n", true, false},
		{"PWD cut, silent", "PWD", "257-first line\r\n", false, false},
		{"MLSD preliminary cut, closed", "MLSD", "150-Opening\r\n", true, true},
		{"MLSD preliminary cut, silent", "MLSD", "150-Opening\r\n", false, true},
		{"MLSD refusal cut mid-line, silent", "MLSD", "550-No such\r\n thing and", false, true},
		{"MLSD refused with a 1 MB line", "MLSD", "550 " + huge + "\r\n", false, true},
		{"MLSD 1 MB without an end of line, silent", "MLSD", "550 " + huge, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
				if verb != tc.verb {
					return false, nil
				}
				if err := s.send(tc.reply); err != nil || tc.close {
					return true, io.EOF
				}
				return true, nil // silent: the next command gets the next answer
			})
			infos, err := rlDialAndList(t, f)
			if err == nil {
				t.Errorf("ReadDir = %q, nil; want an error", rlNames(infos))
			}
			var pe *fs.PathError
			if tc.dialOK && !errors.As(err, &pe) {
				t.Errorf("error %v: want Dial to work and ReadDir to fail with an *fs.PathError", err)
			}
			if len(fmt.Sprint(err)) > 64<<10 {
				t.Logf("the error message is %d bytes long", len(fmt.Sprint(err)))
			}
		})
	}
}

// TestHostileHugeGreeting: a greeting line of 1 MB is read, or refused,
// within the time bound; if the Fs accepts it, it works.
func TestHostileHugeGreeting(t *testing.T) {
	f := rlStartFake(t, &rlFake{listing: []byte(rlListing), greeting: "220 " + strings.Repeat("g", 1<<20)})
	infos, err := rlDialAndList(t, f)
	if err == nil && !slices.Equal(rlNames(infos), []string{"a.txt"}) {
		t.Errorf("ReadDir after a 1 MB greeting = %q, nil; want [a.txt] or an error", rlNames(infos))
	}
}

// TestHostileListings: listings with NUL bytes, invalid UTF-8 and a line
// of 1 MB give an error, or entries without those names; never a panic, a
// hang, a name with a NUL, or, through the io/fs view, a name that is not
// a valid path element.
func TestHostileListings(t *testing.T) {
	ok := "type=file;size=1;modify=20240101000000; ok\r\n"
	for _, tc := range []struct {
		name    string
		listing string
	}{
		{"NUL in a name", "type=file;size=3;modify=20240101000000; a\x00b\r\n" + ok},
		{"NUL in the facts", "type=file;si\x00ze=3;modify=20240101000000; c\r\n" + ok},
		{"invalid UTF-8 name", "type=file;size=3;modify=20240101000000; \xff\xfe.txt\r\n" + ok},
		{"1 MB name", "type=file;size=3;modify=20240101000000; " + strings.Repeat("n", 1<<20) + "\r\n" + ok},
		{"slash in a name", "type=file;size=3;modify=20240101000000; ../../etc/passwd\r\n" + ok},
		{"dot names", "type=dir;modify=20240101000000; .\r\ntype=dir;modify=20240101000000; ..\r\n" + ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rlFakeServer(t, tc.listing, nil)
			var infos []os.FileInfo
			var entries []fs.DirEntry
			var errAfero, errIOFS error
			rlBounded(t, "ReadDir", func() error {
				fsys, err := ftpfs.Dial(t.Context(), f.URL(), rlHostileOpts()...)
				if err != nil {
					errAfero, errIOFS = err, err
					return nil
				}
				defer fsys.Close()
				infos, errAfero = afero.ReadDir(fsys, "/")
				fsys.Cache().Clear()
				entries, errIOFS = fs.ReadDir(fsys.IOFS(), ".")
				return nil
			})
			for _, fi := range infos {
				if errAfero == nil && (strings.ContainsAny(fi.Name(), "\x00/") || fi.Name() == "." || fi.Name() == "..") {
					t.Errorf("afero ReadDir = entry %q with no error; want an error or the entry left out", fi.Name())
				}
			}
			for _, d := range entries {
				if errIOFS == nil && (!fs.ValidPath(d.Name()) || strings.Contains(d.Name(), "/") || d.Name() == ".") {
					t.Errorf("io/fs ReadDir = entry %q, not a valid path element, with no error; want an error or the entry left out", d.Name())
				}
			}
			t.Logf("afero: %d entries, %v; io/fs: %d entries, %v", len(infos), errAfero, len(entries), errIOFS)
		})
	}
}
