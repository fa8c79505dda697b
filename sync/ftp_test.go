package sync_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// TestIfNewerFTP runs the if-newer functions and Mirror between a disk
// directory and ftpfs over a server whose LIST shows the wall clock of
// UTC-5, UTC or UTC+9:30, to the minute (or the day for old files). The
// Fs is calibrated with SynchronizeTimes; the server's clock and the
// client's are both the injected now (see TestSynchronizeTimesFTP for why
// it is near the real time).
func TestIfNewerFTP(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Minute)
	for _, offset := range []time.Duration{-5 * time.Hour, 0, 9*time.Hour + 30*time.Minute} {
		t.Run(fmt.Sprintf("UTC%+v", offset), func(t *testing.T) {
			local := osDir(t)
			backing := zoneFs{Fs: osDir(t), loc: time.FixedZone("server", int(offset/time.Second)), stamp: now}
			remote, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithoutMLSD()})
			shift, err := ftpsync.SynchronizeTimes(t.Context(), remote, "", ftpsync.WithClock(func() time.Time { return now }))
			if err != nil || shift != offset {
				t.Fatalf("SynchronizeTimes = %v, %v, want %v, nil", shift, err, offset)
			}

			// changeRemote changes a file behind the Fs's back, as another
			// client would, and makes the Fs forget its listings.
			changeRemote := func(name, content string, mtime time.Time) {
				put(t, backing, name, content, mtime)
				remote.Cache().Clear()
			}
			type step struct {
				what   string
				change func()
				run    func() (bool, error)
				want   bool
			}
			upload := func() (bool, error) { return ftpsync.UploadIfNewer(remote, "a.txt", local, "/a.txt") }
			download := func() (bool, error) { return ftpsync.DownloadIfNewer(local, "/b.txt", remote, "b.txt") }
			uploadOld := func() (bool, error) { return ftpsync.UploadIfNewer(remote, "old.txt", local, "/old.txt") }
			steps := []step{
				{"new local file", func() { put(t, local, "/a.txt", "alpha", now.Add(-2*time.Hour)) }, upload, true},
				{"unchanged", nil, upload, false},
				{"touched within the listed minute", func() { put(t, local, "/a.txt", "alpha", now.Add(-2*time.Hour+30*time.Second)) }, upload, false},
				{"changed an hour later", func() { put(t, local, "/a.txt", "ALPHA", now.Add(-time.Hour)) }, upload, true},
				{"unchanged again", nil, upload, false},
				{"local copy newer", func() { put(t, local, "/a.txt", "alpha", now.Add(-time.Minute)) }, func() (bool, error) {
					return ftpsync.DownloadIfNewer(local, "/a.txt", remote, "a.txt")
				}, false},

				{"new remote file", func() { changeRemote("/b.txt", "bravo", now.Add(-30*time.Minute)) }, download, true},
				{"remote unchanged", nil, download, false},
				{"remote changed, same size", func() { changeRemote("/b.txt", "BRAVO", now.Add(-10*time.Minute)) }, download, true},
				{"remote unchanged again", nil, download, false},

				{"old file, listed by day", func() { put(t, local, "/old.txt", "old", now.Add(-400*24*time.Hour+13*time.Hour)) }, uploadOld, true},
				{"old file unchanged", nil, uploadOld, false},
			}
			for _, s := range steps {
				if s.change != nil {
					s.change()
				}
				copied, err := s.run()
				if err != nil || copied != s.want {
					t.Fatalf("%s: copied = %v, %v, want %v, nil", s.what, copied, err, s.want)
				}
			}
			if got, want := get(t, backing, "/a.txt"), "ALPHA"; got != want {
				t.Errorf("remote a.txt = %q, want %q", got, want)
			}
			if got, want := get(t, local, "/b.txt"), "BRAVO"; got != want {
				t.Errorf("local b.txt = %q, want %q", got, want)
			}
			if got, want := mtime(t, local, "/b.txt"), now.Add(-10*time.Minute); !got.Equal(want) {
				t.Errorf("local b.txt mtime = %v, want %v", got, want)
			}
			checkListed(t, remote, "a.txt", now.Add(-time.Hour), time.Minute)
			checkListed(t, remote, "old.txt", time.Time{}, 24*time.Hour)

			// Mirror a tree up and back down again; second runs do nothing.
			makeTree(t, local, "/tree", sourceTree, now.Add(-3*time.Hour))
			stats, err := ftpsync.Mirror(t.Context(), remote, "tree", local, "/tree")
			if want := (ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 5}); err != nil || stats != want {
				t.Fatalf("Mirror up = %+v, %v, want %+v, nil", stats, err, want)
			}
			stats, err = ftpsync.Mirror(t.Context(), remote, "tree", local, "/tree")
			if want := (ftpsync.Stats{Skipped: 5}); err != nil || stats != want {
				t.Errorf("second Mirror up = %+v, %v, want %+v, nil", stats, err, want)
			}
			down := osDir(t)
			stats, err = ftpsync.Mirror(t.Context(), down, "/tree", remote, "tree")
			if want := (ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 5}); err != nil || stats != want {
				t.Fatalf("Mirror down = %+v, %v, want %+v, nil", stats, err, want)
			}
			stats, err = ftpsync.Mirror(t.Context(), down, "/tree", remote, "tree")
			if want := (ftpsync.Stats{Skipped: 5}); err != nil || stats != want {
				t.Errorf("second Mirror down = %+v, %v, want %+v, nil", stats, err, want)
			}
			if got := tree(t, down, "/tree"); !slices.Equal(got, sourceWant) {
				t.Errorf("tree after the round trip = %q, want %q", got, sourceWant)
			}
		})
	}
}

// checkListed checks what remote lists for name: the time (unless zero)
// and its precision.
func checkListed(t *testing.T, remote *ftpfs.Fs, name string, want time.Time, prec time.Duration) {
	t.Helper()
	info, err := remote.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	fi, ok := info.(*ftpfs.FileInfo)
	if !ok {
		t.Fatalf("Stat(%s) is a %T, want *ftpfs.FileInfo", name, info)
	}
	if got := fi.ModTimePrecision(); got != prec {
		t.Errorf("Stat(%s).ModTimePrecision() = %v, want %v", name, got, prec)
	}
	if !want.IsZero() && !fi.ModTime().Equal(want) {
		t.Errorf("Stat(%s).ModTime() = %v, want %v", name, fi.ModTime(), want)
	}
}

// TestFTPWithoutMFMT mirrors to a server that does not advertise MFMT.
// ftpfs then tries vsftpd's "MDTM time path", which ftpserverlib takes for
// a path and refuses with 550, so Chtimes fails with that reply rather
// than errors.ErrUnsupported (see the report on the root package); the
// files are copied all the same and keep the upload's time, which is
// newer than the source's, so a rerun copies nothing.
func TestFTPWithoutMFMT(t *testing.T) {
	local := afero.NewMemMapFs()
	makeTree(t, local, "/src", sourceTree, base)
	remote, _ := serve(t, afero.NewMemMapFs(), []ftpfstest.Option{ftpfstest.WithoutMFMT()})
	stats, _ := ftpsync.Mirror(t.Context(), remote, "", local, "/src")
	if stats.Copied != 5 || stats.Bytes != sourceBytes || (stats.Errors != 0 && stats.Errors != 5) {
		t.Fatalf("Mirror = %+v, want 5 files copied (and 0 or 5 failed Chtimes)", stats)
	}
	stats, err := ftpsync.Mirror(t.Context(), remote, "", local, "/src")
	if want := (ftpsync.Stats{Skipped: 5}); err != nil || stats != want {
		t.Errorf("second Mirror = %+v, %v, want %+v, nil", stats, err, want)
	}
	if got := tree(t, remote, ""); !slices.Equal(got, sourceWant) {
		t.Errorf("server tree = %q, want %q", got, sourceWant)
	}
}
