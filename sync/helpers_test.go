package sync_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// base is the fixed instant of the hermetic tests.
var base = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// serve starts an in-process FTP server over backing and mounts it.
func serve(t testing.TB, backing afero.Fs, srvOpts []ftpfstest.Option, opts ...ftpfs.Option) (*ftpfs.Fs, *ftpfstest.Server) {
	t.Helper()
	srv := ftpfstest.NewServer(backing, srvOpts...)
	t.Cleanup(srv.Close)
	return dial(t, srv, opts...), srv
}

// dial mounts srv once more, with a cache of its own.
func dial(t testing.TB, srv *ftpfstest.Server, opts ...ftpfs.Option) *ftpfs.Fs {
	t.Helper()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL(), opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", srv.URL(), err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	return fsys
}

// osDir returns an OsFs rooted at a fresh temporary directory.
func osDir(t testing.TB) afero.Fs {
	return afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
}

// put writes a file, making its directory, and sets its time.
func put(t testing.TB, fsys afero.Fs, name, content string, mtime time.Time) {
	t.Helper()
	if err := fsys.MkdirAll(path.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fsys.Chtimes(name, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// get returns a file's content, or "<error>".
func get(t testing.TB, fsys afero.Fs, name string) string {
	t.Helper()
	b, err := afero.ReadFile(fsys, name)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// mtime returns a file's modification time.
func mtime(t testing.TB, fsys afero.Fs, name string) time.Time {
	t.Helper()
	info, err := fsys.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return info.ModTime()
}

// tree lists the files and directories under root as "dir/" and
// "file=content", sorted.
func tree(t testing.TB, fsys afero.Fs, root string) []string {
	t.Helper()
	var out []string
	err := afero.Walk(fsys, root, func(p string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		switch {
		case rel == "":
		case info.IsDir():
			out = append(out, rel+"/")
		default:
			out = append(out, rel+"="+get(t, fsys, p))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	sort.Strings(out)
	return out
}

// tempFiles returns the temporary files of interrupted transfers under
// root.
func tempFiles(t testing.TB, fsys afero.Fs, root string) []string {
	t.Helper()
	var out []string
	for _, e := range tree(t, fsys, root) {
		if strings.Contains(e, ".ftpfs-tmp-") {
			out = append(out, e)
		}
	}
	return out
}

// precisionFs lists times as a server with a coarse listing would:
// truncated to prec in the time zone loc, with ModTimePrecision.
type precisionFs struct {
	afero.Fs
	prec time.Duration
	loc  *time.Location
}

func (p precisionFs) Stat(name string) (fs.FileInfo, error) {
	info, err := p.Fs.Stat(name)
	if err != nil {
		return nil, err
	}
	return precisionInfo{FileInfo: info, mod: truncateIn(info.ModTime(), p.prec, p.loc), prec: p.prec}, nil
}

// truncateIn truncates t to a multiple of d of the wall clock in loc.
func truncateIn(t time.Time, d time.Duration, loc *time.Location) time.Time {
	_, offset := t.In(loc).Zone()
	shift := time.Duration(offset) * time.Second
	return t.Add(shift).Truncate(d).Add(-shift).UTC()
}

type precisionInfo struct {
	fs.FileInfo
	mod  time.Time
	prec time.Duration
}

func (i precisionInfo) ModTime() time.Time              { return i.mod }
func (i precisionInfo) ModTimePrecision() time.Duration { return i.prec }

// zoneFs is the backing file system of a server in the time zone loc:
// the times it reports are in loc, so ftpserverlib's LIST shows loc's
// wall clock (MLSD converts to UTC). With stamp set, every file written
// through it gets the time stamp when closed, as if the server's clock
// read stamp.
type zoneFs struct {
	afero.Fs
	loc   *time.Location
	stamp time.Time
}

func (z zoneFs) Stat(name string) (fs.FileInfo, error) {
	info, err := z.Fs.Stat(name)
	if err != nil {
		return nil, err
	}
	return zoneInfo{info, z.loc}, nil
}

func (z zoneFs) Open(name string) (afero.File, error) {
	return z.OpenFile(name, os.O_RDONLY, 0)
}

func (z zoneFs) Create(name string) (afero.File, error) {
	return z.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

func (z zoneFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := z.Fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	writing := flag&(os.O_WRONLY|os.O_RDWR) != 0
	return &zoneFile{File: f, z: z, name: name, writing: writing}, nil
}

type zoneFile struct {
	afero.File
	z       zoneFs
	name    string
	writing bool
}

func (f *zoneFile) Readdir(n int) ([]fs.FileInfo, error) {
	infos, err := f.File.Readdir(n)
	for i, info := range infos {
		infos[i] = zoneInfo{info, f.z.loc}
	}
	return infos, err
}

func (f *zoneFile) Stat() (fs.FileInfo, error) {
	info, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	return zoneInfo{info, f.z.loc}, nil
}

func (f *zoneFile) Close() error {
	err := f.File.Close()
	if err == nil && f.writing && !f.z.stamp.IsZero() {
		err = f.z.Fs.Chtimes(f.name, f.z.stamp, f.z.stamp)
	}
	return err
}

type zoneInfo struct {
	fs.FileInfo
	loc *time.Location
}

func (i zoneInfo) ModTime() time.Time { return i.FileInfo.ModTime().In(i.loc) }

// noReplaceFs refuses to rename over an existing name, as some FTP
// servers do.
type noReplaceFs struct{ afero.Fs }

var errRefused = errors.New("refused by the test")

func (n noReplaceFs) Rename(oldname, newname string) error {
	if _, err := n.Fs.Stat(newname); err == nil {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrExist}
	}
	return n.Fs.Rename(oldname, newname)
}

// failingFs fails every read of a file after limit bytes.
type failingFs struct {
	afero.Fs
	limit int64
}

var errBroken = errors.New("connection broke (test)")

func (f failingFs) Open(name string) (afero.File, error) {
	file, err := f.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	return &failingFile{File: file, left: f.limit}, nil
}

type failingFile struct {
	afero.File
	left int64
}

func (f *failingFile) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errBroken
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	n, err := f.File.Read(p)
	f.left -= int64(n)
	return n, err
}

// noChtimesFs cannot set times.
type noChtimesFs struct{ afero.Fs }

func (noChtimesFs) Chtimes(name string, _, _ time.Time) error {
	return &fs.PathError{Op: "chtimes", Path: name, Err: errors.ErrUnsupported}
}

// uncheckedFs has the OpenFileUnchecked of *ftpfs.Fs, and counts its
// calls. With listErr set, every Open after the first such call fails
// with listErr, so that Mirror cannot list the uploads to check them.
type uncheckedFs struct {
	afero.Fs
	opens   *atomic.Int32
	listErr error
}

func (u uncheckedFs) OpenFileUnchecked(name string, flag int, perm os.FileMode) (afero.File, error) {
	u.opens.Add(1)
	return u.Fs.OpenFile(name, flag, perm)
}

func (u uncheckedFs) Open(name string) (afero.File, error) {
	if u.listErr != nil && u.opens.Load() > 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: u.listErr}
	}
	return u.Fs.Open(name)
}

// shortFs stores the file named short without its last byte, as a
// server does whose data connection was cut cleanly before the end.
type shortFs struct {
	afero.Fs
	short string
}

func (s shortFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := s.Fs.OpenFile(name, flag, perm)
	if err != nil || path.Clean(name) != s.short || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	return shortFile{f}, nil
}

type shortFile struct{ afero.File }

func (f shortFile) Close() error {
	info, err := f.Stat()
	if err == nil && info.Size() > 0 {
		err = f.Truncate(info.Size() - 1)
	}
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	return err
}

// renameCountFs counts the calls to Rename.
type renameCountFs struct {
	afero.Fs
	renames *atomic.Int32
}

func (r renameCountFs) Rename(oldname, newname string) error {
	r.renames.Add(1)
	return r.Fs.Rename(oldname, newname)
}
