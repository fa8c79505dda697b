package sync_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// resumeData returns n reproducible bytes.
func resumeData(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// countingFs counts the bytes read from its files.
type countingFs struct {
	afero.Fs
	read *atomic.Int64
}

func (c countingFs) Open(name string) (afero.File, error) {
	f, err := c.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, read: c.read}, nil
}

type countingFile struct {
	afero.File
	read *atomic.Int64
}

func (f *countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.read.Add(int64(n))
	return n, err
}

// partials lists the partial files of dir.
func partials(t *testing.T, fsys afero.Fs, dir string) []string {
	t.Helper()
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fi := range infos {
		if strings.Contains(fi.Name(), ".ftpfs-part-") {
			out = append(out, fi.Name())
		}
	}
	return out
}

// TestResumeDownload: a download cut at 300 KB of 1 MB leaves a partial
// file with WithResume; the next run continues it with REST, reading
// only the rest from the server, and the target is the exact file.
// Without WithResume the next run reads it all again.
func TestResumeDownload(t *testing.T) {
	data := resumeData(1, 1<<20)
	backing := afero.NewMemMapFs()
	put(t, backing, "/big.bin", string(data), base)
	remote, srv := serve(t, backing, nil)
	local := afero.NewMemMapFs()

	cut := failingFs{Fs: remote, limit: 300_000}
	if err := ftpsync.Download(local, "big.bin", cut, "big.bin", ftpsync.WithResume()); !errors.Is(err, errBroken) {
		t.Fatalf("Download through a connection that breaks = %v; want the break", err)
	}
	parts := partials(t, local, ".")
	if len(parts) != 1 {
		t.Fatalf("partial files after the break: %q; want one", parts)
	}
	if info, err := local.Stat(parts[0]); err != nil || info.Size() != 300_000 {
		t.Fatalf("the partial file: %v, %v; want 300000 bytes", info, err)
	}

	var read atomic.Int64
	srv.ResetCommands()
	if err := ftpsync.Download(local, "big.bin", countingFs{Fs: remote, read: &read}, "big.bin", ftpsync.WithResume()); err != nil {
		t.Fatalf("resumed Download = %v", err)
	}
	if got := get(t, local, "big.bin"); got != string(data) {
		t.Fatalf("the resumed download has %d bytes, not the file's %d", len(got), len(data))
	}
	if n := read.Load(); n != int64(len(data)-300_000) {
		t.Errorf("the resumed download read %d bytes from the server; want the %d missing", n, len(data)-300_000)
	}
	if srv.Commands()["REST"] != 1 {
		t.Errorf("commands of the resumed download: %v; want one REST", srv.Commands())
	}
	if p := partials(t, local, "."); len(p) != 0 {
		t.Errorf("partial files left: %q", p)
	}
	if !mtime(t, local, "big.bin").Equal(base) {
		t.Errorf("the copy's time is %v; want the source's, %v", mtime(t, local, "big.bin"), base)
	}
}

// TestResumeUpload: an upload cut at 300 KB continues with APPE; the
// server holds the exact file.
func TestResumeUpload(t *testing.T) {
	data := resumeData(2, 1<<20)
	local := afero.NewMemMapFs()
	put(t, local, "big.bin", string(data), base)
	backing := afero.NewMemMapFs()
	remote, srv := serve(t, backing, nil)

	if err := ftpsync.Upload(remote, "big.bin", failingFs{Fs: local, limit: 300_000}, "big.bin", ftpsync.WithResume()); !errors.Is(err, errBroken) {
		t.Fatalf("Upload from a source that breaks = %v; want the break", err)
	}
	if p := partials(t, backing, "/"); len(p) != 1 {
		t.Fatalf("partial files on the server: %q; want one", p)
	}
	srv.ResetCommands()
	if err := ftpsync.Upload(remote, "big.bin", local, "big.bin", ftpsync.WithResume()); err != nil {
		t.Fatalf("resumed Upload = %v", err)
	}
	if got := get(t, backing, "/big.bin"); got != string(data) {
		t.Fatalf("the server holds %d bytes, not the file's %d", len(got), len(data))
	}
	cmds := srv.Commands()
	if cmds["APPE"] != 1 || cmds["STOR"] != 0 {
		t.Errorf("commands of the resumed upload: %v; want one APPE and no STOR", cmds)
	}
	if p := partials(t, backing, "/"); len(p) != 0 {
		t.Errorf("partial files left: %q", p)
	}
}

// TestResumeSourceChanged: a partial file of an older version of the
// source (another modification time, or size) is not continued: the copy
// starts over, and is right.
func TestResumeSourceChanged(t *testing.T) {
	for _, change := range []string{"time", "size"} {
		t.Run(change, func(t *testing.T) {
			old := resumeData(3, 200_000)
			src := afero.NewMemMapFs()
			put(t, src, "f", string(old), base)
			dst := afero.NewMemMapFs()
			if err := ftpsync.Copy(dst, "f", failingFs{Fs: src, limit: 100_000}, "f", ftpsync.WithResume()); !errors.Is(err, errBroken) {
				t.Fatal(err)
			}
			// The source changes: same size and a new time, or a new size
			// and the same time; its first bytes differ either way.
			data := resumeData(4, 200_000)
			if change == "size" {
				data = resumeData(4, 250_000)
			}
			put(t, src, "f", string(data), base)
			if change == "time" {
				put(t, src, "f", string(data), base.Add(1))
			}
			var read atomic.Int64
			if err := ftpsync.Copy(dst, "f", countingFs{Fs: src, read: &read}, "f", ftpsync.WithResume()); err != nil {
				t.Fatal(err)
			}
			if got := get(t, dst, "f"); got != string(data) {
				t.Errorf("copy after the source changed: %d bytes, wrong content; want the new source", len(got))
			}
			if read.Load() != int64(len(data)) {
				t.Errorf("read %d bytes of the source; want all %d (no resume)", read.Load(), len(data))
			}
			// The old version's partial file stays (Copy lists no
			// directory); Mirror removes such files.
		})
	}
}

// noAppendFs refuses to open a file for appending, as proftpd refuses
// APPE without AllowStoreRestart.
type noAppendFs struct{ afero.Fs }

var errNoAppend = errors.New("451 append refused (test)")

func (n noAppendFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&os.O_APPEND != 0 {
		return nil, &os.PathError{Op: "open", Path: name, Err: errNoAppend}
	}
	return n.Fs.OpenFile(name, flag, perm)
}

// TestResumeRefusedAppendCopiesAll: a destination that refuses to append
// gets the whole file again, right.
func TestResumeRefusedAppendCopiesAll(t *testing.T) {
	data := resumeData(5, 300_000)
	src := afero.NewMemMapFs()
	put(t, src, "f", string(data), base)
	dst := noAppendFs{afero.NewMemMapFs()}
	if err := ftpsync.Copy(dst, "f", failingFs{Fs: src, limit: 100_000}, "f", ftpsync.WithResume()); !errors.Is(err, errBroken) {
		t.Fatal(err)
	}
	if err := ftpsync.Copy(dst, "f", src, "f", ftpsync.WithResume()); err != nil {
		t.Fatalf("Copy where appending is refused = %v; want a full copy", err)
	}
	if got := get(t, dst, "f"); got != string(data) {
		t.Errorf("copy: %d bytes, wrong; want the source", len(got))
	}
}

// corruptFs corrupts one byte of the file it opens for writing at the
// offset at, counting from where the file was opened.
type corruptFs struct {
	afero.Fs
	at int64
}

func (c corruptFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := c.Fs.OpenFile(name, flag, perm)
	if err != nil || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	return &corruptFile{File: f, left: c.at}, nil
}

// corruptFtpFs is corruptFs over an *ftpfs.Fs, whose other methods
// (Checksum) it keeps.
type corruptFtpFs struct {
	*ftpfs.Fs
	at int64
}

func (c corruptFtpFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	return corruptFs{Fs: c.Fs, at: c.at}.OpenFile(name, flag, perm)
}

type corruptFile struct {
	afero.File
	left int64
}

func (f *corruptFile) Write(p []byte) (int, error) {
	if f.left >= 0 && f.left < int64(len(p)) {
		q := bytes.Clone(p)
		q[f.left] ^= 0xff
		p = q
	}
	f.left -= int64(len(p))
	return f.File.Write(p)
}

// TestVerifyHash: with WithVerifyHash, against a server that computes
// hashes, a copy whose bytes differ from the source (one flipped byte,
// the size right) is an error wrapping ErrHashMismatch and is removed,
// both ways; a right copy passes, with the server's HASH asked. Without
// the option, the flipped byte goes unnoticed (size check only).
func TestVerifyHash(t *testing.T) {
	data := resumeData(6, 200_000)
	backing := afero.NewMemMapFs()
	put(t, backing, "/remote.bin", string(data), base)
	remote, srv := serve(t, backing, []ftpfstest.Option{ftpfstest.WithHash()})
	local := afero.NewMemMapFs()
	put(t, local, "local.bin", string(data), base)

	// Download, corrupted on the local disk.
	bad := corruptFs{Fs: local, at: 12345}
	if err := ftpsync.Download(bad, "got.bin", remote, "remote.bin", ftpsync.WithVerifyHash()); !errors.Is(err, ftpsync.ErrHashMismatch) {
		t.Errorf("Download with a flipped byte and WithVerifyHash = %v; want ErrHashMismatch", err)
	}
	if _, err := local.Stat("got.bin"); err == nil {
		t.Error("the corrupt download took the target's name")
	}
	if err := ftpsync.Download(bad, "got.bin", remote, "remote.bin"); err != nil {
		t.Errorf("Download with a flipped byte, no hash check = %v; want nil (size only)", err)
	}
	srv.ResetCommands()
	if err := ftpsync.Download(local, "good.bin", remote, "remote.bin", ftpsync.WithVerifyHash()); err != nil {
		t.Errorf("Download with WithVerifyHash = %v", err)
	}
	if cmds := srv.Commands(); cmds["HASH"]+cmds["XSHA512"]+cmds["XSHA256"] != 1 {
		t.Errorf("commands of a verified download: %v; want the server's hash, once", cmds)
	}

	// Upload, corrupted on the way to the server.
	if err := ftpsync.Upload(corruptFtpFs{Fs: remote, at: 777}, "up.bin", local, "local.bin", ftpsync.WithVerifyHash()); !errors.Is(err, ftpsync.ErrHashMismatch) {
		t.Errorf("Upload with a flipped byte and WithVerifyHash = %v; want ErrHashMismatch", err)
	}
	if _, err := backing.Stat("/up.bin"); err == nil {
		t.Error("the corrupt upload took the target's name")
	}
	if err := ftpsync.Upload(remote, "up.bin", local, "local.bin", ftpsync.WithVerifyHash()); err != nil {
		t.Errorf("Upload with WithVerifyHash = %v", err)
	}
}

// TestResumeVerifiesPrefixByHash: with WithResume and WithVerifyHash, an
// upload's partial file whose bytes are not the source's first (the
// right name and a shorter size, other content) is not continued: the
// server's hash of it differs from the source's prefix, so the upload
// starts over, and is right.
func TestResumeVerifiesPrefixByHash(t *testing.T) {
	data := resumeData(7, 300_000)
	local := afero.NewMemMapFs()
	put(t, local, "f", string(data), base)
	backing := afero.NewMemMapFs()
	remote, srv := serve(t, backing, []ftpfstest.Option{ftpfstest.WithHash()})
	if err := ftpsync.Upload(corruptFs{Fs: remote, at: 50}, "f", failingFs{Fs: local, limit: 100_000}, "f", ftpsync.WithResume()); !errors.Is(err, errBroken) {
		t.Fatal(err)
	}
	srv.ResetCommands()
	if err := ftpsync.Upload(remote, "f", local, "f", ftpsync.WithResume(), ftpsync.WithVerifyHash()); err != nil {
		t.Fatalf("Upload over a corrupt partial file = %v", err)
	}
	if got := get(t, backing, "/f"); got != string(data) {
		t.Fatal("the server holds a corrupt file: the partial file was continued")
	}
	if cmds := srv.Commands(); cmds["APPE"] != 0 {
		t.Errorf("commands: %v; want no APPE (the partial file is not a prefix)", cmds)
	}
	// And without the hash check the same partial file would be
	// continued: the rule by name and size alone cannot see it.
}

// TestMirrorResume: a Mirror cut short by its context leaves partial
// files; a second Mirror with WithResume continues them and removes the
// partial file of a source that changed meanwhile.
func TestMirrorResume(t *testing.T) {
	backing := afero.NewMemMapFs()
	files := map[string][]byte{"a.bin": resumeData(8, 400_000), "sub/b.bin": resumeData(9, 300_000)}
	for name, data := range files {
		put(t, backing, "/src/"+name, string(data), base)
	}
	remote, srv := serve(t, backing, nil)
	local := afero.NewMemMapFs()

	// First run: every read breaks after 100 KB.
	_, err := ftpsync.Mirror(context.Background(), local, "dst", failingFs{Fs: remote, limit: 100_000}, "src", ftpsync.WithResume(), ftpsync.WithParallel(1))
	if !errors.Is(err, errBroken) {
		t.Fatalf("first Mirror = %v; want the break", err)
	}
	if len(partials(t, local, "dst"))+len(partials(t, local, "dst/sub")) != 2 {
		t.Fatalf("partial files after the first run: %q %q", partials(t, local, "dst"), partials(t, local, "dst/sub"))
	}
	// sub/b.bin changes on the server.
	files["sub/b.bin"] = resumeData(10, 300_000)
	// A change in the same second with the same size would not show in
	// the listing (MLSD times are to the second): only WithVerifyHash
	// would catch it, after the copy.
	put(t, backing, "/src/sub/b.bin", string(files["sub/b.bin"]), base.Add(time.Hour))
	remote.Cache().Clear()

	srv.ResetCommands()
	stats, err := ftpsync.Mirror(context.Background(), local, "dst", remote, "src", ftpsync.WithResume())
	if err != nil {
		t.Fatalf("second Mirror = %v", err)
	}
	for name, data := range files {
		if got := get(t, local, path.Join("dst", name)); got != string(data) {
			t.Errorf("%s: wrong content after the resumed mirror", name)
		}
	}
	if stats.Copied != 2 || stats.Deleted != 1 {
		t.Errorf("Stats = %+v; want 2 copied, 1 stale partial file removed", stats)
	}
	if srv.Commands()["REST"] != 1 {
		t.Errorf("commands: %v; want one REST (a.bin)", srv.Commands())
	}
	if p := append(partials(t, local, "dst"), partials(t, local, "dst/sub")...); len(p) != 0 {
		t.Errorf("partial files left: %q", p)
	}
}
