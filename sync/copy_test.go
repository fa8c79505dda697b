package sync_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

func TestCopyIfNewer(t *testing.T) {
	type file struct {
		content string
		mtime   time.Time
	}
	tests := []struct {
		name        string
		dst         *file // nil: missing
		wantCopied  bool
		wantContent string
	}{
		{"missing target", nil, true, "fresh"},
		{"older target", &file{"old", base.Add(-time.Hour)}, true, "fresh"},
		{"same time and size", &file{"stale", base}, false, "stale"},
		{"same time, other size", &file{"old", base}, true, "fresh"},
		{"same second, other size", &file{"old", base.Add(300 * time.Millisecond)}, true, "fresh"},
		{"newer target", &file{"newer", base.Add(time.Hour)}, false, "newer"},
		{"newer target, other size", &file{"x", base.Add(time.Hour)}, false, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
			put(t, src, "/s/f.txt", "fresh", base)
			if err := dst.MkdirAll("/d", 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.dst != nil {
				put(t, dst, "/d/f.txt", tt.dst.content, tt.dst.mtime)
			}
			copied, err := ftpsync.CopyIfNewer(dst, "/d/f.txt", src, "/s/f.txt")
			if err != nil || copied != tt.wantCopied {
				t.Fatalf("CopyIfNewer = %v, %v, want %v, nil", copied, err, tt.wantCopied)
			}
			if got := get(t, dst, "/d/f.txt"); got != tt.wantContent {
				t.Errorf("content = %q, want %q", got, tt.wantContent)
			}
			if got := mtime(t, dst, "/d/f.txt"); copied && !got.Equal(base) {
				t.Errorf("mtime after copy = %v, want %v", got, base)
			}
			if got := tempFiles(t, dst, "/d"); len(got) > 0 {
				t.Errorf("temporary files left: %q", got)
			}
			// A second run has nothing to do.
			if copied, err := ftpsync.CopyIfNewer(dst, "/d/f.txt", src, "/s/f.txt"); copied || err != nil {
				t.Errorf("second CopyIfNewer = %v, %v, want false, nil", copied, err)
			}
		})
	}
}

func TestCopyErrors(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	put(t, src, "/f", "x", base)
	put(t, src, "/dir/g", "x", base)
	put(t, dst, "/isdir/h", "x", base)
	tests := []struct {
		name             string
		dstName, srcName string
		want             error
	}{
		{"missing source", "/f", "/missing", fs.ErrNotExist},
		{"source is a directory", "/f", "/dir", ftpsync.ErrNotRegular},
		{"target is a directory", "/isdir", "/f", ftpsync.ErrNotRegular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			copied, err := ftpsync.CopyIfNewer(dst, tt.dstName, src, tt.srcName)
			if copied || !errors.Is(err, tt.want) {
				t.Errorf("CopyIfNewer(%s, %s) = %v, %v, want false, %v", tt.dstName, tt.srcName, copied, err, tt.want)
			}
			if err := ftpsync.Copy(dst, tt.dstName, src, tt.srcName); !errors.Is(err, tt.want) {
				t.Errorf("Copy(%s, %s) = %v, want %v", tt.dstName, tt.srcName, err, tt.want)
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) {
				t.Errorf("CopyIfNewer error %v is %T, want *fs.PathError", err, err)
			}
		})
	}
}

// TestCopyIfNewerPrecision runs CopyIfNewer against a target whose times
// are listed to the minute or the day, in a time zone of UTC+9:30, as an
// FTP server's LIST (corrected by the time shift) gives them.
func TestCopyIfNewerPrecision(t *testing.T) {
	adelaide := time.FixedZone("ACST", 9*3600+1800)
	day := 24 * time.Hour
	type step struct {
		content string
		mtime   time.Time
		want    bool
	}
	tests := []struct {
		name  string
		prec  time.Duration
		steps []step
	}{
		{"minute", time.Minute, []step{
			{"v1", base.Add(10 * time.Second), true},
			{"v1", base.Add(10 * time.Second), false}, // listed as 12:00
			{"v1", base.Add(40 * time.Second), false}, // touched within that minute: hidden
			{"v2", base.Add(50 * time.Second), false}, // same size, same minute: hidden
			{"v2", base.Add(time.Minute), true},       // the next minute
			{"v2", base.Add(time.Minute), false},
			{"v333", base.Add(time.Minute + time.Second), true}, // same minute, other size
			{"v333", base.Add(time.Minute + time.Second), false},
			{"v4", base.Add(-time.Hour), false}, // older than the target
		}},
		{"day", day, []step{
			{"v1", base, true}, // 21:30 local
			{"v1", base, false},
			{"v2", base.Add(2 * time.Hour), false},    // 23:30 local, the same day
			{"v2", base.Add(150 * time.Minute), true}, // 00:00 local, the next day
			{"v2", base.Add(150 * time.Minute), false},
			{"v2", base.Add(150*time.Minute + 23*time.Hour), false}, // 23:00 local
			{"v2", base.Add(150*time.Minute + day), true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, mem := afero.NewMemMapFs(), afero.NewMemMapFs()
			dst := precisionFs{Fs: mem, prec: tt.prec, loc: adelaide}
			for i, s := range tt.steps {
				put(t, src, "/f", s.content, s.mtime)
				copied, err := ftpsync.UploadIfNewer(dst, "/f", src, "/f")
				if err != nil || copied != s.want {
					t.Fatalf("step %d: UploadIfNewer(%q at %v) = %v, %v, want %v, nil", i, s.content, s.mtime, copied, err, s.want)
				}
				if copied {
					if got := get(t, mem, "/f"); got != s.content {
						t.Fatalf("step %d: content %q, want %q", i, got, s.content)
					}
				}
			}
		})
	}
}

func TestWrappersDirection(t *testing.T) {
	tests := []struct {
		name string
		run  func(a afero.Fs, aName string, b afero.Fs, bName string) error
	}{
		{"Copy", func(a afero.Fs, an string, b afero.Fs, bn string) error { return ftpsync.Copy(a, an, b, bn) }},
		{"Upload", func(a afero.Fs, an string, b afero.Fs, bn string) error { return ftpsync.Upload(a, an, b, bn) }},
		{"Download", func(a afero.Fs, an string, b afero.Fs, bn string) error { return ftpsync.Download(a, an, b, bn) }},
		{"CopyIfNewer", func(a afero.Fs, an string, b afero.Fs, bn string) error {
			_, err := ftpsync.CopyIfNewer(a, an, b, bn)
			return err
		}},
		{"UploadIfNewer", func(a afero.Fs, an string, b afero.Fs, bn string) error {
			_, err := ftpsync.UploadIfNewer(a, an, b, bn)
			return err
		}},
		{"DownloadIfNewer", func(a afero.Fs, an string, b afero.Fs, bn string) error {
			_, err := ftpsync.DownloadIfNewer(a, an, b, bn)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := afero.NewMemMapFs(), afero.NewMemMapFs()
			put(t, b, "/from", "data", base)
			if err := tt.run(a, "/to", b, "/from"); err != nil {
				t.Fatalf("%s(a, /to, b, /from) = %v", tt.name, err)
			}
			if got := get(t, a, "/to"); got != "data" {
				t.Errorf("%s: a:/to = %q, want %q", tt.name, got, "data")
			}
			if got := mtime(t, a, "/to"); !got.Equal(base) {
				t.Errorf("%s: mtime = %v, want %v", tt.name, got, base)
			}
		})
	}
}

// TestCopyInterrupted cuts the source off mid-transfer: the target keeps
// its old content, no temporary file is left, and a rerun finishes.
func TestCopyInterrupted(t *testing.T) {
	targets := []struct {
		name string
		fs   func(t *testing.T) (dst, backing afero.Fs)
	}{
		{"memmap", func(*testing.T) (afero.Fs, afero.Fs) { m := afero.NewMemMapFs(); return m, m }},
		{"ftpfs", func(t *testing.T) (afero.Fs, afero.Fs) {
			m := afero.NewMemMapFs()
			f, _ := serve(t, m, nil)
			return f, m
		}},
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			dst, backing := tg.fs(t)
			src := afero.NewMemMapFs()
			content := strings.Repeat("new content ", 10000)
			put(t, src, "/f", content, base)
			put(t, backing, "/f", "old", base.Add(-time.Hour))

			copied, err := ftpsync.CopyIfNewer(dst, "/f", failingFs{Fs: src, limit: 50000}, "/f")
			if copied || !errors.Is(err, errBroken) {
				t.Fatalf("CopyIfNewer over a broken source = %v, %v, want false, %v", copied, err, errBroken)
			}
			if got := get(t, backing, "/f"); got != "old" {
				t.Errorf("after the failure the target holds %d bytes, want %q", len(got), "old")
			}
			if got := tempFiles(t, backing, "/"); len(got) > 0 {
				t.Errorf("temporary files left: %d", len(got))
			}
			copied, err = ftpsync.CopyIfNewer(dst, "/f", src, "/f")
			if !copied || err != nil {
				t.Fatalf("rerun = %v, %v, want true, nil", copied, err)
			}
			if got := get(t, backing, "/f"); got != content {
				t.Errorf("after the rerun the target holds %d bytes, want %d", len(got), len(content))
			}
		})
	}
}

// countingRenameFs fails its failCall-th Rename.
type countingRenameFs struct {
	noReplaceFs
	calls    *atomic.Int32
	failCall int32
}

func (c countingRenameFs) Rename(oldname, newname string) error {
	if c.calls.Add(1) == c.failCall {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: errRefused}
	}
	return c.noReplaceFs.Rename(oldname, newname)
}

// TestCopyRenameRefused copies onto a file system that will not rename
// over an existing file.
func TestCopyRenameRefused(t *testing.T) {
	tests := []struct {
		name     string
		failCall int32 // 0: none
		wantErr  error
		want     string
	}{
		// tmp→f refused (exists), f→aside, tmp→f, remove aside.
		{"moved aside", 0, nil, "new"},
		// The second tmp→f fails: the old file is put back.
		{"put back", 3, errRefused, "old"},
		// Moving the old file aside fails.
		{"aside refused", 2, fs.ErrExist, "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, mem := afero.NewMemMapFs(), afero.NewMemMapFs()
			put(t, src, "/d/f", "new", base)
			put(t, mem, "/d/f", "old", base.Add(-time.Hour))
			dst := countingRenameFs{noReplaceFs{Fs: mem}, new(atomic.Int32), tt.failCall}
			err := ftpsync.Copy(dst, "/d/f", src, "/d/f")
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Copy = %v, want %v", err, tt.wantErr)
			}
			if got := get(t, mem, "/d/f"); got != tt.want {
				t.Errorf("target = %q, want %q", got, tt.want)
			}
			if got := tempFiles(t, mem, "/"); len(got) > 0 {
				t.Errorf("temporary files left: %q", got)
			}
		})
	}
}

// TestCopyNoChtimes copies to a file system that cannot set times: the
// copy succeeds, the target keeps the upload's time, and is then newer.
func TestCopyNoChtimes(t *testing.T) {
	src, mem := afero.NewMemMapFs(), afero.NewMemMapFs()
	dst := noChtimesFs{mem}
	put(t, src, "/f", "data", base.Add(-24*time.Hour))
	copied, err := ftpsync.UploadIfNewer(dst, "/f", src, "/f")
	if !copied || err != nil {
		t.Fatalf("UploadIfNewer = %v, %v, want true, nil", copied, err)
	}
	if got := mtime(t, mem, "/f"); got.Equal(base.Add(-24 * time.Hour)) {
		t.Errorf("mtime = %v, want the time of the upload", got)
	}
	if copied, err := ftpsync.UploadIfNewer(dst, "/f", src, "/f"); copied || err != nil {
		t.Errorf("second UploadIfNewer = %v, %v, want false, nil", copied, err)
	}
}

// TestWithoutTimes copies with WithoutTimes: the target keeps the time
// of the copy, which is newer than its source's, so it is not copied
// again.
func TestWithoutTimes(t *testing.T) {
	old := base.AddDate(-20, 0, 0) // before the clock of any machine that runs this
	tests := []struct {
		name string
		run  func(t *testing.T, dst, src afero.Fs) error
	}{
		{"Copy", func(_ *testing.T, dst, src afero.Fs) error {
			return ftpsync.Copy(dst, "/d/f", src, "/s/f", ftpsync.WithoutTimes())
		}},
		{"CopyIfNewer", func(_ *testing.T, dst, src afero.Fs) error {
			_, err := ftpsync.CopyIfNewer(dst, "/d/f", src, "/s/f", ftpsync.WithoutTimes())
			return err
		}},
		{"Mirror", func(t *testing.T, dst, src afero.Fs) error {
			_, err := ftpsync.Mirror(t.Context(), dst, "/d", src, "/s", ftpsync.WithoutTimes())
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
			put(t, src, "/s/f", "data", old)
			if err := dst.Mkdir("/d", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := tt.run(t, dst, src); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := get(t, dst, "/d/f"); got != "data" {
				t.Errorf("target = %q, want %q", got, "data")
			}
			if got := mtime(t, dst, "/d/f"); got.Equal(old) {
				t.Errorf("target mtime = %v, the source's; want the time of the copy", got)
			}
			if copied, err := ftpsync.CopyIfNewer(dst, "/d/f", src, "/s/f"); copied || err != nil {
				t.Errorf("CopyIfNewer after it = %v, %v, want false, nil", copied, err)
			}
			stats, err := ftpsync.Mirror(t.Context(), dst, "/d", src, "/s")
			if want := (ftpsync.Stats{Skipped: 1}); stats != want || err != nil {
				t.Errorf("Mirror after it = %+v, %v, want %+v, nil", stats, err, want)
			}
		})
	}
}

func TestCopyDryRun(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	put(t, src, "/f", "data", base)
	copied, err := ftpsync.CopyIfNewer(dst, "/f", src, "/f", ftpsync.WithDryRun())
	if !copied || err != nil {
		t.Fatalf("CopyIfNewer(WithDryRun) = %v, %v, want true, nil", copied, err)
	}
	if err := ftpsync.Copy(dst, "/f", src, "/f", ftpsync.WithDryRun()); err != nil {
		t.Fatalf("Copy(WithDryRun) = %v", err)
	}
	if _, err := dst.Stat("/f"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat after dry runs = %v, want %v", err, fs.ErrNotExist)
	}
}

func TestCopyProgress(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	const size = 100 << 10
	put(t, src, "/big", strings.Repeat("x", size), base)
	var got []ftpsync.Progress
	err := ftpsync.Copy(dst, "/big", src, "/big", ftpsync.WithProgress(func(p ftpsync.Progress) { got = append(got, p) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 {
		t.Fatalf("%d progress reports, want several", len(got))
	}
	var last int64
	for i, p := range got {
		if p.BytesDone < last || p.FilesTotal != 1 || p.BytesTotal != size || p.Path != "/big" {
			t.Fatalf("report %d = %+v, want growing BytesDone of %d in 1 file /big", i, p, size)
		}
		last = p.BytesDone
	}
	want := ftpsync.Progress{Path: "/big", FilesDone: 1, FilesTotal: 1, BytesDone: size, BytesTotal: size}
	if end := got[len(got)-1]; end != want {
		t.Errorf("last report = %+v, want %+v", end, want)
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opt  ftpsync.Option
	}{
		{"nil", nil},
		{"WithParallel(0)", ftpsync.WithParallel(0)},
		{"WithInclude([)", ftpsync.WithInclude("[")},
		{"WithExclude(empty)", ftpsync.WithExclude("")},
		{"WithProgress(nil)", ftpsync.WithProgress(nil)},
		{"WithClock(nil)", ftpsync.WithClock(nil)},
	}
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	put(t, src, "/f", "x", base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ftpsync.CopyIfNewer(dst, "/f", src, "/f", tt.opt); err == nil {
				t.Errorf("CopyIfNewer(%s) = nil error, want one", tt.name)
			}
			if _, err := ftpsync.Mirror(t.Context(), dst, "/", src, "/", tt.opt); err == nil {
				t.Errorf("Mirror(%s) = nil error, want one", tt.name)
			}
		})
	}
	if _, err := dst.Stat("/f"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a call with a bad option changed the target: Stat = %v", err)
	}
}
