package ftpfs_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/internal/ftpdialect"
	"github.com/spf13/afero"
)

// Dialects of replies, commands and logins (docs/dialects-found.md B5,
// B6, B7 and the probes that found nothing on those daemons).

// inetutils and in.ftpd answer STOR into a missing directory with 553
// (B6): it means "not found", as ENOENT does for os.
func TestDialectStoreMissingDir553(t *testing.T) {
	fsys, _, _ := serveDialect(t, ftpdialect.Dialect{StoreMissingDirCode: 553}, tree{files: map[string]string{"file.txt": "x"}})
	err := bounded(t, "WriteFile", func() error { return afero.WriteFile(fsys, "missing/new.txt", []byte("x"), 0o644) })
	wantErr(t, "WriteFile(missing/new.txt)", err, fs.ErrNotExist)
	var reply *ftpfs.ReplyError
	if !errors.As(err, &reply) || reply.Code != 553 {
		t.Errorf("WriteFile(missing/new.txt) = %v; want the server's 553 in it", err)
	}
}

// A server that says "550 Error." for every failure: what went wrong is
// found from the listings, as os would say it.
func TestDialectTerseErrors(t *testing.T) {
	fsys, _, _ := serveDialect(t, ftpdialect.Dialect{TerseErrors: true}, tree{files: map[string]string{
		"file.txt": "x", "full/a.txt": "a", "empty/": "",
	}})
	for _, c := range []struct {
		what string
		call func() error
		want error
	}{
		{"Mkdir(empty)", func() error { return fsys.Mkdir("empty", 0o755) }, fs.ErrExist},
		{"Mkdir(missing/sub)", func() error { return fsys.Mkdir("missing/sub", 0o755) }, fs.ErrNotExist},
		{"Remove(full)", func() error { return fsys.Remove("full") }, syscall.ENOTEMPTY},
		{"Rename(missing, x)", func() error { return fsys.Rename("missing", "x") }, fs.ErrNotExist},
		{"Chmod(missing)", func() error { return fsys.Chmod("missing", 0o600) }, fs.ErrNotExist},
		{"WriteFile(missing/x)", func() error { return afero.WriteFile(fsys, "missing/x", nil, 0o644) }, fs.ErrNotExist},
		{"ReadDir(missing)", func() error { _, err := afero.ReadDir(fsys, "missing"); return err }, fs.ErrNotExist},
	} {
		wantErr(t, c.what, bounded(t, c.what, c.call), c.want)
	}
}

// Servers without SIZE, MFMT, MDTM or SITE CHMOD: Chmod and Chtimes fail
// with errors.ErrUnsupported, uploads still work, and a refused command
// costs one round trip, once.
func TestDialectMissingCommands(t *testing.T) {
	d := ftpdialect.Dialect{Refuse: []string{"SIZE", "MFMT", "MDTM", "SITE CHMOD"}}
	fsys, srv, root := serveDialect(t, d, tree{files: map[string]string{"file.txt": "x"}})
	for range 2 {
		err := bounded(t, "Chmod", func() error { return fsys.Chmod("file.txt", 0o600) })
		wantErr(t, "Chmod(file.txt)", err, errors.ErrUnsupported)
		err = bounded(t, "Chtimes", func() error { return fsys.Chtimes("file.txt", time.Time{}, time.Unix(1e9, 0)) })
		wantErr(t, "Chtimes(file.txt)", err, errors.ErrUnsupported)
		err = bounded(t, "WriteFile", func() error { return afero.WriteFile(fsys, "new.txt", []byte("new"), 0o644) })
		if b, _ := os.ReadFile(root + "/new.txt"); err != nil || string(b) != "new" {
			t.Errorf("WriteFile(new.txt) = %v; on disk %q", err, b)
		}
	}
	for verb, want := range map[string]int{"SITE CHMOD": 1, "SIZE": 1, "MFMT": 0, "MDTM": 0} {
		if n := srv.Count(verb); n != want {
			t.Errorf("%s sent %d times; want %d (%q)", verb, n, want, srv.Lines())
		}
	}
}

// in.ftpd has no FEAT (B6): everything is found by trying.
func TestDialectNoFEAT(t *testing.T) {
	fsys, _, root := serveDialect(t, ftpdialect.Dialect{Refuse: []string{"FEAT"}}, linkTree)
	names, _, err := dialectReadDir(t, fsys, "/")
	if err != nil || len(names) != len(allLinks) {
		t.Errorf("ReadDir(/) = %q, %v; want %q", names, err, allLinks)
	}
	if fi, err := stat(t, fsys, "file.txt"); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("Stat(file.txt) = %v, %v; want -rw-r--r--", fi, err)
	}
	err = bounded(t, "WriteFile", func() error { return afero.WriteFile(fsys, "dir/new.txt", []byte("new"), 0o644) })
	if err != nil || !onDisk(root, "dir/new.txt") {
		t.Errorf("WriteFile(dir/new.txt) = %v", err)
	}
	err = bounded(t, "Chtimes", func() error { return fsys.Chtimes("file.txt", time.Time{}, time.Unix(1e9, 0)) })
	wantErr(t, "Chtimes(file.txt)", err, errors.ErrUnsupported)
}

// inetutils has MDTM but no MFMT, and reads "MDTM <time> <path>" as a
// query for a file named "<time> <path>" (B6): Chtimes is unsupported,
// unless the file is missing.
func TestDialectMDTMNotASetter(t *testing.T) {
	fsys, _, _ := serveDialect(t, ftpdialect.Dialect{Refuse: []string{"MFMT"}}, tree{files: map[string]string{"file.txt": "x"}})
	err := bounded(t, "Chtimes", func() error { return fsys.Chtimes("file.txt", time.Time{}, time.Unix(1e9, 0)) })
	wantErr(t, "Chtimes(file.txt)", err, errors.ErrUnsupported)
	err = bounded(t, "Chtimes", func() error { return fsys.Chtimes("missing.txt", time.Time{}, time.Unix(1e9, 0)) })
	wantErr(t, "Chtimes(missing.txt)", err, fs.ErrNotExist)
}

// A server whose MKD makes missing parents: MkdirAll and the cache agree
// with the disk.
func TestDialectMkdirParents(t *testing.T) {
	fsys, _, root := serveDialect(t, ftpdialect.Dialect{MkdirParents: true}, tree{files: map[string]string{"file.txt": "x"}})
	if _, err := stat(t, fsys, "a"); !errorsIsNotExist(err) {
		t.Fatalf("Stat(a) = %v; want fs.ErrNotExist", err)
	}
	err := bounded(t, "MkdirAll", func() error { return fsys.MkdirAll("a/b/c", 0o755) })
	if err != nil || !onDisk(root, "a/b/c") {
		t.Errorf("MkdirAll(a/b/c) = %v", err)
	}
	for _, name := range []string{"a", "a/b", "a/b/c"} {
		if fi, err := stat(t, fsys, name); err != nil || !fi.IsDir() {
			t.Errorf("Stat(%s) = %v, %v; want a directory", name, fi, err)
		}
	}
	err = bounded(t, "Mkdir", func() error { return fsys.Mkdir("a/b", 0o755) })
	wantErr(t, "Mkdir(a/b)", err, fs.ErrExist)
	// Mkdir of p/q with p missing succeeds on this server where os.Mkdir
	// fails (the Fs does not look for the parent first: it would cost a
	// listing per Mkdir, which mirrors would pay for every directory);
	// whatever it returns, the cache must then know p, which the Fs did
	// not name.
	if _, err := stat(t, fsys, "p"); !errorsIsNotExist(err) {
		t.Fatalf("Stat(p) = %v; want fs.ErrNotExist", err)
	}
	_ = bounded(t, "Mkdir", func() error { return fsys.Mkdir("p/q", 0o755) })
	if fi, err := stat(t, fsys, "p"); onDisk(root, "p") && (err != nil || !fi.IsDir()) {
		t.Errorf("Stat(p) = %v, %v after MKD made it; want a directory", fi, err)
	}
}

// proftpd refuses APPE with "451 Append/Restart not permitted": the
// refusal comes back as the server said it, once, and the file and the
// connection stay as they were.
func TestDialectAppendRefused(t *testing.T) {
	fsys, srv, root := serveDialect(t, ftpdialect.Dialect{AppendRefused: true}, tree{files: map[string]string{"file.txt": "old"}})
	err := bounded(t, "append", func() error {
		f, err := fsys.OpenFile("file.txt", os.O_WRONLY|os.O_APPEND, 0)
		if err == nil {
			_ = f.Close()
		}
		return err
	})
	// The append starts at open: the server's policy refusal fails it
	// there, and no retry could change it.
	var reply *ftpfs.ReplyError
	if !errors.As(err, &reply) || reply.Code != 451 || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("OpenFile(file.txt, O_APPEND) on a server that refuses appends = %v; want the server's 451, matching errors.ErrUnsupported", err)
	}
	if b, _ := os.ReadFile(root + "/file.txt"); string(b) != "old" {
		t.Errorf("file.txt = %q after a refused append; want %q", b, "old")
	}
	if n := srv.Count("APPE"); n != 1 {
		t.Errorf("APPE sent %d times; want once", n)
	}
	err = bounded(t, "WriteFile", func() error { return afero.WriteFile(fsys, "file.txt", []byte("new"), 0o644) })
	if b, _ := os.ReadFile(root + "/file.txt"); err != nil || string(b) != "new" {
		t.Errorf("WriteFile(file.txt) after the refusal = %v; on disk %q", err, b)
	}
}

// inetutils and in.ftpd stat a name, following links, before DELE
// removes it (B4, B5): RemoveAll removes links before their targets, and
// a link that cannot be removed (dangling, or to a directory) is not
// reported missing, and what it points at stays.
func TestDialectDeleFollowsLinks(t *testing.T) {
	tr := tree{
		files: map[string]string{"tree/a-file.txt": "x", "other/a-target/f.txt": "f"},
		links: map[string]string{"tree/z-to-file": "a-file.txt", "other/z-to-dir": "a-target", "dangling": "nowhere"},
	}
	fsys, _, root := serveDialect(t, ftpdialect.Dialect{DeleFollowsLinks: true}, tr)
	err := bounded(t, "RemoveAll(tree)", func() error { return fsys.RemoveAll("tree") })
	if err != nil || onDisk(root, "tree") {
		t.Errorf("RemoveAll(tree) = %v; still on disk: %v", err, onDisk(root, "tree"))
	}
	err = bounded(t, "RemoveAll(other)", func() error { return fsys.RemoveAll("other") })
	if err == nil || errors.Is(err, fs.ErrNotExist) || !onDisk(root, "other/a-target/f.txt") {
		t.Errorf("RemoveAll(other) = %v, other/a-target/f.txt left: %v; want an error that does not say it is missing, and the file", err, onDisk(root, "other/a-target/f.txt"))
	}
	err = bounded(t, "Remove(dangling)", func() error { return fsys.Remove("dangling") })
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Remove(dangling) = %v; want an error that does not say it is missing", err)
	}
}

// A server without TLS refuses AUTH TLS: Dial says so (ErrTLS, not a
// login failure), without sending the password.
func TestDialectAuthTLSRefused(t *testing.T) {
	srv, err := ftpdialect.Start(t.TempDir(), ftpdialect.Dialect{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	url := "ftpes" + strings.TrimPrefix(srv.URL(), "ftp")
	err = bounded(t, "Dial", func() error {
		fsys, err := ftpfs.Dial(context.Background(), url, ftpfs.WithTimeout(callBound))
		if err == nil {
			_ = fsys.Close()
		}
		return err
	})
	if !errors.Is(err, ftpfs.ErrTLS) || errors.Is(err, ftpfs.ErrLogin) {
		t.Errorf("Dial(%s) = %v; want ftpfs.ErrTLS and not ftpfs.ErrLogin", url, err)
	}
	if n := srv.Count("USER") + srv.Count("PASS"); n != 0 {
		t.Errorf("the server got USER or PASS after refusing TLS: %q", srv.Lines())
	}
}

// Servers that turn a login away when they have too many clients, with
// a 530 (proftpd) or a 421: the Fs waits for room and every call
// succeeds.
func TestDialectBusy(t *testing.T) {
	for _, reply := range []string{
		"530 Sorry, the maximum number of clients (2) from your host are already connected.",
		"421 Too many users",
	} {
		t.Run(reply[:3], func(t *testing.T) {
			files := map[string]string{}
			for i := range 8 {
				files[string(rune('a'+i))+".txt"] = strings.Repeat("x", 64<<10)
			}
			d := ftpdialect.Dialect{Busy: ftpdialect.Busy{MaxClients: 2, Reply: reply}}
			fsys, srv, _ := serveDialect(t, d, tree{files: files}, ftpfs.WithMaxConns(4))
			var wg sync.WaitGroup
			errs := make(chan error, len(files))
			for name := range files {
				wg.Go(func() {
					start := time.Now()
					b, err := afero.ReadFile(fsys, name)
					if err == nil && len(b) != 64<<10 {
						err = errors.New("short read")
					}
					if d := time.Since(start); d > 2*callBound {
						err = errors.Join(err, errors.New("took "+d.String()))
					}
					if err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("ReadFile: %v", err)
			}
			if srv.TurnedAway() == 0 {
				t.Errorf("the server turned no login away: the test tests nothing")
			}
		})
	}
}
