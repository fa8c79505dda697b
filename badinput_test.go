package ftpfs_test

// Bad input: names that could inject commands, escape the base, do not
// exist, or are just unusual; wrong credentials; servers that never
// answer; names too long for the server.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// biOp is one call of the Fs on a name, for tables.
type biOp struct {
	name string
	call func(fsys *ftpfs.Fs, name string) error
}

// biWrite is OpenFile+Write+Close with the first error: FTP reports a
// refused upload at Write or Close.
func biWrite(fsys afero.Fs, name string, flag int, data string) error {
	f, err := fsys.OpenFile(name, flag, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write([]byte(data))
	return errors.Join(werr, f.Close())
}

// biOps are the operations that take a name, each called on its own.
var biOps = []biOp{
	{"Stat", func(f *ftpfs.Fs, n string) error { _, err := f.Stat(n); return err }},
	{"LstatIfPossible", func(f *ftpfs.Fs, n string) error { _, _, err := f.LstatIfPossible(n); return err }},
	{"Open", func(f *ftpfs.Fs, n string) error { _, err := f.Open(n); return err }},
	{"Create", func(f *ftpfs.Fs, n string) error { return biWrite(f, n, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, "x") }},
	{"OpenFile(O_APPEND)", func(f *ftpfs.Fs, n string) error { return biWrite(f, n, os.O_WRONLY|os.O_APPEND, "x") }},
	{"OpenFile(O_EXCL)", func(f *ftpfs.Fs, n string) error {
		return biWrite(f, n, os.O_WRONLY|os.O_CREATE|os.O_EXCL, "x")
	}},
	{"Mkdir", func(f *ftpfs.Fs, n string) error { return f.Mkdir(n, 0o755) }},
	{"MkdirAll", func(f *ftpfs.Fs, n string) error { return f.MkdirAll(n, 0o755) }},
	{"Remove", func(f *ftpfs.Fs, n string) error { return f.Remove(n) }},
	{"RemoveAll", func(f *ftpfs.Fs, n string) error { return f.RemoveAll(n) }},
	{"Rename(from)", func(f *ftpfs.Fs, n string) error { return f.Rename(n, "renamed") }},
	{"Rename(to)", func(f *ftpfs.Fs, n string) error { return f.Rename("keep.txt", n) }},
	{"Chmod", func(f *ftpfs.Fs, n string) error { return f.Chmod(n, 0o600) }},
	{"Chtimes", func(f *ftpfs.Fs, n string) error { return f.Chtimes(n, time.Now(), time.Now()) }},
	{"ReadlinkIfPossible", func(f *ftpfs.Fs, n string) error { _, err := f.ReadlinkIfPossible(n); return err }},
	{"afero.ReadDir", func(f *ftpfs.Fs, n string) error { _, err := afero.ReadDir(f, n); return err }},
	{"afero.ReadFile", func(f *ftpfs.Fs, n string) error { _, err := afero.ReadFile(f, n); return err }},
	{"IOFS().Open", func(f *ftpfs.Fs, n string) error { _, err := f.IOFS().Open(n); return err }},
	{"fs.Stat(IOFS())", func(f *ftpfs.Fs, n string) error { _, err := fs.Stat(f.IOFS(), n); return err }},
	{"fs.ReadDir(IOFS())", func(f *ftpfs.Fs, n string) error { _, err := fs.ReadDir(f.IOFS(), n); return err }},
	{"fs.ReadFile(IOFS())", func(f *ftpfs.Fs, n string) error { _, err := fs.ReadFile(f.IOFS(), n); return err }},
}

// biCounter counts the bytes the Fs writes on any connection it dials,
// control and data alike, through WithDialer: what a server could see.
type biCounter struct{ sent atomic.Int64 }

type biCountingConn struct {
	net.Conn
	c *biCounter
}

func (c biCountingConn) Write(p []byte) (int, error) {
	c.c.sent.Add(int64(len(p)))
	return c.Conn.Write(p)
}

func (c *biCounter) dial(ctx context.Context, network, address string) (net.Conn, error) {
	conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	c.sent.Add(1) // a new connection is something sent too
	return biCountingConn{conn, c}, nil
}

// suiteBadInputControlCharacters: a name with NUL, CR or LF is refused
// with fs.ErrInvalid before anything is sent: not a byte reaches the
// server, so "x\r\nDELE keep.txt" cannot delete keep.txt.
func suiteBadInputControlCharacters(t *testing.T, s server) {
	var counter biCounter
	fsys := s.fresh(t, ftpfs.WithDialer(counter.dial))
	put(t, fsys, map[string]string{"keep.txt": "keep", "dir/": ""})
	names := []string{
		"a\rb", "a\nb", "a\x00b", "\r", "\n", "\x00",
		"x\r\nDELE keep.txt", "keep.txt\x00", "dir/\nRMD dir", "x\nRETR keep.txt",
		"trailing\r\n", "dir/a\x00/b",
	}
	for _, op := range biOps {
		for _, name := range names {
			t.Run(fmt.Sprintf("%s(%q)", op.name, name), func(t *testing.T) {
				before := counter.sent.Load()
				err := op.call(fsys, name)
				after := counter.sent.Load()
				if !errors.Is(err, fs.ErrInvalid) {
					t.Errorf("%s(%q) = %v, want an error matching fs.ErrInvalid", op.name, name, err)
				}
				var pe *fs.PathError
				var le *os.LinkError
				if err != nil && !errors.As(err, &pe) && !errors.As(err, &le) {
					t.Errorf("%s(%q) = %T, want *fs.PathError or *os.LinkError", op.name, name, err)
				}
				if after != before {
					t.Errorf("%s(%q) sent %d bytes (or connections), want nothing at all", op.name, name, after-before)
				}
			})
		}
	}
	other := s.redial(t, fsys)
	if data, err := afero.ReadFile(other, "keep.txt"); err != nil || string(data) != "keep" {
		t.Errorf("keep.txt after the injections = %q, %v; want \"keep\", nil", data, err)
	}
	if ok, _ := afero.DirExists(other, "dir"); !ok {
		t.Errorf("dir after the injections is gone, want it kept")
	}
}

// suiteBadInputDotDot: ".." never leaves the base, at the Fs (the URL's
// path) nor at the server. A fresh directory (outer) holds a sentinel,
// and so does root, the directory above the base: neither is reachable,
// and whatever is made lands inside the base. (On the in-process server,
// ".." has to stop at the base however far up it goes; past the server's
// own root is the server's business, checked on its disk when it has one
// here.)
func suiteBadInputDotDot(t *testing.T, s server) {
	top, disk := s.freshDir(t)
	put(t, top, map[string]string{
		"sentinel":         "outside the server",
		"root/sentinel":    "outside the base",
		"root/base/inside": "inside",
	})
	fsys := s.redial(t, top, "root", "base")

	for _, name := range []string{
		"../sentinel", "../../sentinel", "../../../../../../sentinel", "/../sentinel",
		"a/../../sentinel", "../root/sentinel", "../base/../../sentinel", "..\\sentinel",
	} {
		if fi, err := fsys.Stat(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat(%q) = %v, %v; want fs.ErrNotExist (no sentinel inside the base)", name, fi, err)
		}
		if data, err := afero.ReadFile(fsys, name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(%q) = %q, %v; want fs.ErrNotExist", name, data, err)
		}
	}
	for _, name := range []string{"..", "../..", "/..", "../inside/.."} {
		infos, err := afero.ReadDir(fsys, name)
		var names []string
		for _, fi := range infos {
			names = append(names, fi.Name())
		}
		if err != nil || !slices.Equal(names, []string{"inside"}) {
			t.Errorf("ReadDir(%q) = %q, %v; want the base: [inside], nil", name, names, err)
		}
	}
	if data, err := afero.ReadFile(fsys, "../../inside"); err != nil || string(data) != "inside" {
		t.Errorf("ReadFile(../../inside) = %q, %v; want \"inside\", nil", data, err)
	}

	// What is made through ".." is made in the base.
	if err := afero.WriteFile(fsys, "../../escaped", []byte("e"), 0o644); err != nil {
		t.Fatalf("WriteFile(../../escaped) = %v", err)
	}
	if err := fsys.Mkdir("../newdir", 0o755); err != nil {
		t.Fatalf("Mkdir(../newdir) = %v", err)
	}
	if err := fsys.Rename("inside", "../../moved"); err != nil {
		t.Fatalf("Rename(inside, ../../moved) = %v", err)
	}
	check := s.redial(t, top) // no cache: what the server has
	for name, want := range map[string]bool{
		"root/base/escaped": true,
		"root/base/newdir":  true,
		"root/base/moved":   true,
		"root/escaped":      false,
		"root/newdir":       false,
		"root/moved":        false,
		"escaped":           false,
		"moved":             false,
	} {
		if _, _, err := check.LstatIfPossible(name); (err == nil) != want {
			t.Errorf("Lstat(%s) on the server = %v, want it to exist: %v", name, err, want)
		}
	}
	if disk != "" {
		for _, name := range []string{"escaped", "moved", "newdir"} {
			if _, err := os.Lstat(filepath.Join(filepath.Dir(disk), name)); err == nil {
				t.Errorf("%s appeared in the server's root, above the fresh directory", name)
			}
		}
	}
	// Removing through ".." stays inside too.
	if err := fsys.Remove("../../../escaped"); err != nil {
		t.Errorf("Remove(../../../escaped) = %v, want nil", err)
	}
	for _, name := range []string{"sentinel", "root/sentinel"} {
		if _, err := check.Stat(name); err != nil {
			t.Errorf("sentinel %s: %v, want it untouched", name, err)
		}
	}
}

// suiteBadInputRemoveAllBase: RemoveAll of the base itself (as "/", "."
// or "..", which resolves there) must not empty it and then fail.
//
// Bug: mutate.go RemoveAll deletes every entry of the base depth first
// and only then refuses to remove the base itself (remove: "cannot remove
// the base directory", fs.ErrPermission): the call fails, yet everything
// is gone. os.RemoveAll refuses "." and ".." up front (EINVAL) without
// deleting anything; either refusing before the first DELE, or emptying
// the base and returning nil, would be consistent.
func suiteBadInputRemoveAllBase(t *testing.T, s server) {
	for _, name := range []string{"/", ".", ".."} {
		t.Run(name, func(t *testing.T) {
			top := s.fresh(t)
			put(t, top, map[string]string{"base/keep.txt": "k", "base/dir/child": "c"})
			fsys := s.redial(t, top, "base")
			err := fsys.RemoveAll(name)
			left, _ := afero.ReadDir(s.redial(t, top, "base"), "/")
			if err != nil && len(left) != 2 {
				t.Errorf("RemoveAll(%q) = %v, and %d of 2 entries are left; want nothing removed when it fails", name, err, len(left))
			}
		})
	}
}

// TestBadInputMissing: every operation on a missing name, or on a name
// in a missing directory, fails with fs.ErrNotExist in an *fs.PathError
// (or *os.LinkError) that carries the name as given, and a failed Stat
// returns a nil fs.FileInfo.
func TestBadInputMissing(t *testing.T) {
	// With MLSD listings this is the suite's BadInputMissing case.
	backing := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
	writeFiles(t, backing, map[string]string{"keep.txt": "keep", "dir/": ""})
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithoutMLSD()})
	biMissing(t, fsys, quirks{})
}

func suiteBadInputMissing(t *testing.T, s server) {
	fsys := s.fresh(t)
	put(t, fsys, map[string]string{"keep.txt": "keep", "dir/": ""})
	biMissing(t, fsys, s.quirks)
}

func biMissing(t *testing.T, fsys *ftpfs.Fs, q quirks) {
	ops := []biOp{}
	for _, op := range biOps {
		switch op.name {
		case "Create", "OpenFile(O_EXCL)", "Mkdir", "MkdirAll", "RemoveAll", "Rename(to)":
			// Create, O_EXCL and the Mkdirs make a missing name;
			// RemoveAll of a missing name is not an error.
			continue
		}
		ops = append(ops, op)
	}
	for _, op := range ops {
		for _, name := range []string{"missing", "dir/missing", "nodir/missing", "nodir/deeper/missing", "missing dir/ x "} {
			err := op.call(fsys, name)
			if op.name == "Chtimes" && q.noChtimes && errors.Is(err, errors.ErrUnsupported) {
				continue // refused before the name is looked at, as in suiteErrorClasses
			}
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s(%q) = %v, want fs.ErrNotExist", op.name, name, err)
				continue
			}
			var pe *fs.PathError
			var le *os.LinkError
			switch {
			case errors.As(err, &pe):
				if pe.Path != name {
					t.Errorf("%s(%q): PathError.Path = %q, want the name as given", op.name, name, pe.Path)
				}
			case errors.As(err, &le):
				if le.Old != name {
					t.Errorf("%s(%q): LinkError.Old = %q, want the name as given", op.name, name, le.Old)
				}
			default:
				t.Errorf("%s(%q) = %T, want *fs.PathError or *os.LinkError", op.name, name, err)
			}
		}
	}
	// RemoveAll of a missing name is not an error (os.RemoveAll).
	if err := fsys.RemoveAll("nodir/missing"); err != nil {
		t.Errorf("RemoveAll(nodir/missing) = %v, want nil", err)
	}
}

// suiteBadInputStatNilInfo: a failed Stat or Lstat returns a nil
// fs.FileInfo, as os.Stat does.
//
// Bug: stat.go Stat and LstatIfPossible return their *FileInfo result as
// it is, so on error the fs.FileInfo is a non-nil interface holding a nil
// pointer: `if fi != nil` is true, and fi.Name() panics.
func suiteBadInputStatNilInfo(t *testing.T, s server) {
	fsys := s.fresh(t)
	fi, err := fsys.Stat("missing")
	if err == nil || fi != nil {
		t.Errorf("Stat(missing) = %#v, %v; want nil, an error", fi, err)
	}
	fi, _, err = fsys.LstatIfPossible("missing")
	if err == nil || fi != nil {
		t.Errorf("LstatIfPossible(missing) = %#v, %v; want nil, an error", fi, err)
	}
	if fi, err := fs.Stat(fsys.IOFS(), "missing"); err == nil || fi != nil {
		t.Errorf("fs.Stat(IOFS(), missing) = %#v, %v; want nil, an error", fi, err)
	}
}

// TestBadInputWrongPassword: a refused login matches ftpfs.ErrLogin and
// says nothing of either password, however it is written.
func TestBadInputWrongPassword(t *testing.T) {
	const right = "r1ght-Pa55word"
	srv := ftpfstest.NewServer(afero.NewMemMapFs(), ftpfstest.WithCredentials("alice", right))
	t.Cleanup(srv.Close)
	for _, wrong := range []string{"wr0ng-Secret-XYZ", "p@ss:w/rd %41", "ünïcödé-pässwörd", right + "x"} {
		t.Run(wrong, func(t *testing.T) {
			u := url.URL{Scheme: "ftp", User: url.UserPassword("alice", wrong), Host: srv.Addr(), Path: "/"}
			fsys, err := ftpfs.Dial(context.Background(), u.String())
			if err == nil {
				_ = fsys.Close()
				t.Fatalf("Dial(%s) = nil error, want one matching ftpfs.ErrLogin", u.Redacted())
			}
			if !errors.Is(err, ftpfs.ErrLogin) {
				t.Errorf("Dial(%s) = %v, want an error matching ftpfs.ErrLogin", u.Redacted(), err)
			}
			for _, text := range []string{fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				for _, secret := range []string{wrong, url.UserPassword("", wrong).String(), right} {
					if secret != "" && strings.Contains(text, strings.TrimPrefix(secret, ":")) {
						t.Errorf("Dial error %q contains the password %q", text, secret)
					}
				}
			}
		})
	}
	// The right password works, so the refusals above were the password's.
	u := url.URL{Scheme: "ftp", User: url.UserPassword("alice", right), Host: srv.Addr(), Path: "/"}
	fsys, err := ftpfs.Dial(context.Background(), u.String())
	if err != nil {
		t.Fatalf("Dial with the right password = %v, want nil", err)
	}
	_ = fsys.Close()
}

// biSilentServer accepts connections and never says a word.
func biSilentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

// biIsTimeout reports whether err is a deadline or a network timeout.
func biIsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// TestBadInputDialTimeout: a server that accepts and never greets makes
// Dial fail with a timeout, from WithDialTimeout or from the context's
// deadline, whichever is set. Nothing here measures time: the test only
// needs Dial to return, with the right kind of error.
func TestBadInputDialTimeout(t *testing.T) {
	addr := biSilentServer(t)
	rawURL := "ftp://user:s3cret@" + addr + "/"
	for _, tc := range []struct {
		name    string
		timeout time.Duration // of the context; 0 for none
		opts    []ftpfs.Option
	}{
		{"WithDialTimeout", 0, []ftpfs.Option{ftpfs.WithDialTimeout(50 * time.Millisecond)}},
		{"context deadline", 50 * time.Millisecond, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			fsys, err := ftpfs.Dial(ctx, rawURL, tc.opts...)
			if err == nil {
				_ = fsys.Close()
				t.Fatalf("Dial(silent server) = nil error, want a timeout")
			}
			if !biIsTimeout(err) {
				t.Errorf("Dial(silent server) = %v, want an error wrapping context.DeadlineExceeded or a timeout net.Error", err)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Dial error %q contains the password", err)
			}
		})
	}
}

// suiteBadInputLongNames: names of 4 KiB, longer than a path element may
// be on the server's disk and than a command line ftpserverlib reads
// (it hangs up), fail with an error, without a panic or a hang, and the
// Fs works normally afterwards.
func suiteBadInputLongNames(t *testing.T, s server) {
	var opts []ftpfs.Option
	if s.quirks.dropsLongLines {
		// Each call waits for a reply that never comes: one second
		// each, not DefaultTimeout, keeps the case short.
		opts = append(opts, ftpfs.WithTimeout(time.Second))
	}
	fsys := s.fresh(t, opts...)
	put(t, fsys, map[string]string{"keep.txt": "keep", "dir/": ""})
	long := strings.Repeat("a", 4096)
	names := []string{
		long,
		"dir/" + long,
		strings.Repeat("d/", 2048),
		strings.Repeat("é", 2048), // 4 KiB of UTF-8
	}
	if s.quirks.dropsLongLines {
		names = names[:1] // a timeout per call: one name shows it
	}
	for _, name := range names {
		short := fmt.Sprintf("%.12q…(%d bytes)", name, len(name))
		for _, op := range biOps {
			if op.name == "RemoveAll" {
				continue // a missing name is not an error
			}
			what := fmt.Sprintf("%s(%s)", op.name, short)
			if err := rlBounded(t, what, func() error { return op.call(fsys, name) }); err == nil {
				t.Errorf("%s = nil, want an error", what)
			}
			// The Fs still works: a broken connection was dropped.
			var data []byte
			err := rlBounded(t, "ReadFile(keep.txt) after "+what, func() (err error) {
				data, err = afero.ReadFile(fsys, "keep.txt")
				return err
			})
			if err != nil || string(data) != "keep" {
				t.Fatalf("after %s(%s): ReadFile(keep.txt) = %q, %v; want \"keep\", nil", op.name, short, data, err)
			}
		}
		if err := fsys.RemoveAll(name); err != nil && errors.Is(err, fs.ErrNotExist) {
			t.Errorf("RemoveAll(%s) = %v, want nil or an error other than fs.ErrNotExist", short, err)
		}
	}
	if entries, err := afero.ReadDir(s.redial(t, fsys), "/"); err != nil || len(entries) != 2 {
		t.Errorf("the server's root after the long names has %d entries (%v), want 2", len(entries), err)
	}
}

// biOddNames are names that are valid but unusual: leading dashes (which
// look like options to LIST), spaces anywhere, non-ASCII, and characters
// that mean something to shells, globs, MLSD facts or URLs.
var biOddNames = []string{
	"-", "-rf", "--", "-l", "-a -l", "- x",
	" lead", "trail ", "  two  inner  ", " ",
	"日本語.txt", "émoji 🎉", "ß∂ƒ©", "\u00a0nbsp",
	"tab\there", "semi;colon=1", "fact=x; name", "quote\"s", "apo's", "star*?", "[br]", "{a,b}",
	"back\\slash", "percent%41", "#hash", "~tilde", "$HOME", "a&b|c", "...",
}

// TestBadInputOddNames: unusual names round-trip through Create, Stat,
// ReadFile, ReadDir and Remove, as files and as directories, with MLSD
// and with LIST listings.
//
// With MLSD over an OS directory this is the suite's BadInputOddNames
// case.
func TestBadInputOddNames(t *testing.T) {
	for _, mode := range []struct {
		name    string
		srvOpts []ftpfstest.Option
	}{{"mlsd", nil}, {"list", []ftpfstest.Option{ftpfstest.WithoutMLSD()}}} {
		for _, backingName := range []string{"memmap", "osdir"} {
			if mode.name == "mlsd" && backingName == "osdir" {
				continue // the suite's case
			}
			t.Run(mode.name+"/"+backingName, func(t *testing.T) {
				t.Parallel()
				var backing afero.Fs = afero.NewMemMapFs()
				if backingName == "osdir" {
					backing = afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
				}
				fsys, _ := serve(t, backing, mode.srvOpts)
				biRoundTrip(t, fsys, biOddNames)
			})
		}
	}
}

func suiteBadInputOddNames(t *testing.T, s server) {
	var names []string
	for _, name := range biOddNames {
		if s.quirks.renamesNames && (strings.HasSuffix(name, " ") || strings.ContainsAny(name, "\t")) {
			continue // stored as "_": see the README's server notes
		}
		if s.quirks.noBackslash && strings.Contains(name, "\\") || s.quirks.noGlobDirs && strings.Contains(name, "*") {
			continue // refused: see quirks
		}
		names = append(names, name)
	}
	biRoundTrip(t, s.fresh(t), names)
}

func biRoundTrip(t *testing.T, fsys *ftpfs.Fs, names []string) {
	t.Helper()
	for _, name := range names {
		content := "content of " + name
		if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
			t.Errorf("WriteFile(%q) = %v, want nil", name, err)
			continue
		}
		if fi, err := fsys.Stat(name); err != nil || fi.Name() != name || fi.Size() != int64(len(content)) || fi.IsDir() {
			t.Errorf("Stat(%q) = %v, %v; want a file %q of %d bytes", name, fi, err, name, len(content))
		}
		if data, err := afero.ReadFile(fsys, name); err != nil || string(data) != content {
			t.Errorf("ReadFile(%q) = %q, %v; want %q, nil", name, data, err, content)
		}
		if data, err := fs.ReadFile(fsys.IOFS(), name); err != nil || string(data) != content {
			t.Errorf("fs.ReadFile(IOFS(), %q) = %q, %v; want %q, nil", name, data, err, content)
		}

		// The same name as a directory, with a file inside.
		dir := name + ".d"
		if err := fsys.Mkdir(dir, 0o755); err != nil {
			t.Errorf("Mkdir(%q) = %v, want nil", dir, err)
			continue
		}
		child := dir + "/" + name
		if err := afero.WriteFile(fsys, child, []byte(content), 0o644); err != nil {
			t.Errorf("WriteFile(%q) = %v, want nil", child, err)
		}
		if got := readDirNames(t, fsys, dir); !slices.Equal(got, []string{name}) {
			t.Errorf("ReadDir(%q) = %q, want [%q]", dir, got, name)
		}
		if got := readDirNames(t, fsys, "/"); !slices.Contains(got, name) || !slices.Contains(got, dir) {
			t.Errorf("ReadDir(/) = %q, want it to hold %q and %q", got, name, dir)
		}
		if data, err := afero.ReadFile(fsys, child); err != nil || string(data) != content {
			t.Errorf("ReadFile(%q) = %q, %v; want %q, nil", child, data, err, content)
		}

		renamed := name + ".renamed"
		if err := fsys.Rename(name, renamed); err != nil {
			t.Errorf("Rename(%q, %q) = %v, want nil", name, renamed, err)
		}
		for _, gone := range []string{renamed, child, dir} {
			if err := fsys.Remove(gone); err != nil {
				t.Errorf("Remove(%q) = %v, want nil", gone, err)
			}
			if _, err := fsys.Stat(gone); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat(%q) after Remove = %v, want fs.ErrNotExist", gone, err)
			}
		}
	}
	if got := readDirNames(t, fsys, "/"); len(got) != 0 {
		t.Errorf("ReadDir(/) at the end = %q, want it empty", got)
	}
}

// biLineBreakNames are names with line breaks and reply-like text, made
// on the server's disk (FTP cannot make them): "213 x" and "226 done"
// would end a reply early if a listing came on the control connection.
var biLineBreakNames = []string{"a\r\n213 x", "b\n226 done", "c\r", "d\n"}

// suiteBadInputLineBreakNamesOnDisk: a directory holding names with line
// breaks, made by someone else on the server's disk, still lists every
// other entry (the odd names may come back as bad lines: an error naming
// them), and the connection stays in step: calls after the listing get
// their own replies.
func suiteBadInputLineBreakNamesOnDisk(t *testing.T, s server) {
	fsys, disk := s.freshDir(t)
	if disk == "" {
		t.Skip("the server's disk is not on this machine")
	}
	put(t, fsys, map[string]string{"0-before": "0", "z-after": "z"})
	for _, name := range biLineBreakNames {
		if err := os.WriteFile(filepath.Join(disk, name), []byte("odd"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Gone from the disk before the fresh directory's RemoveAll (cleanups
	// run last first): over FTP they cannot be named.
	t.Cleanup(func() {
		for _, name := range biLineBreakNames {
			_ = os.Remove(filepath.Join(disk, name))
		}
	})
	fsys.Cache().Clear()
	// The listing either shows the odd names (as MLSD's or LIST's lines
	// allow) or says which lines it could not read; either way every
	// other entry comes back, as os.ReadDir gives what it read with its
	// error.
	entries, err := fs.ReadDir(fsys.IOFS(), ".")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	dir, openErr := fsys.Open(".")
	if openErr != nil {
		t.Fatal(openErr)
	}
	infos, readdirErr := dir.Readdir(-1)
	_ = dir.Close()
	var readdirNames []string
	for _, fi := range infos {
		readdirNames = append(readdirNames, fi.Name())
	}
	for _, want := range []string{"0-before", "z-after"} {
		if !slices.Contains(names, want) {
			t.Errorf("fs.ReadDir(IOFS(), .) = %q, %v; want %q among them", names, err, want)
		}
		if !slices.Contains(readdirNames, want) {
			t.Errorf("Readdir(-1) = %q, %v; want %q among them", readdirNames, readdirErr, want)
		}
	}
	// The same connections serve what follows, in step. (A name the
	// listing does not show may be one of the lines it could not read:
	// Remove of it is an error, never a success.)
	for range 3 {
		if fi, err := fsys.Stat("z-after"); err != nil || fi.Size() != 1 {
			t.Errorf("Stat(z-after) after the listing = %v, %v; want 1 byte", fi, err)
		}
		if err := fsys.Remove("missing"); err == nil {
			t.Error("Remove(missing) after the listing = nil; want an error")
		}
	}
	if err := fsys.Mkdir("made", 0o755); err != nil {
		t.Errorf("Mkdir(made) after the listing = %v", err)
	}
	if fi, err := os.Stat(filepath.Join(disk, "made")); err != nil || !fi.IsDir() {
		t.Errorf("the server's disk has %v, %v for made; want a directory", fi, err)
	}
	if data, err := afero.ReadFile(fsys, "0-before"); err != nil || string(data) != "0" {
		t.Errorf("ReadFile(0-before) after the listing = %q, %v", data, err)
	}
}
