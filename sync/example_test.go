package sync_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// The examples run against an in-process FTP server (package ftpfstest)
// and in-memory file systems; in real use the local side would be
// afero.NewOsFs() and the remote one an ftpfs.Dial of a real server.

// UploadIfNewer uploads a file the first time, and then only when it
// changes.
func ExampleUploadIfNewer() {
	local := afero.NewMemMapFs()
	if err := afero.WriteFile(local, "/report.txt", []byte("quarterly numbers"), 0o644); err != nil {
		log.Fatal(err)
	}
	srv := ftpfstest.NewServer(afero.NewMemMapFs())
	defer srv.Close()
	remote, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer remote.Close()

	for range 2 {
		uploaded, err := ftpsync.UploadIfNewer(remote, "report.txt", local, "/report.txt")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("uploaded:", uploaded)
	}
	// Output:
	// uploaded: true
	// uploaded: false
}

// SynchronizeTimes finds the time shift of a server whose listings show
// its local time, here UTC+2.
func ExampleSynchronizeTimes() {
	// A server without MLSD, whose LIST shows the wall clock of UTC+2:
	// zoneFs (a helper of these tests) hands ftpfstest the backing's
	// times in that zone.
	backing := zoneFs{Fs: afero.NewMemMapFs(), loc: time.FixedZone("UTC+2", 2*3600)}
	srv := ftpfstest.NewServer(backing, ftpfstest.WithoutMLSD())
	defer srv.Close()
	remote, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer remote.Close()

	// The helper file goes to the base directory, which must be writable.
	shift, err := ftpsync.SynchronizeTimes(context.Background(), remote, "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("time shift:", shift)
	fmt.Println("in use:", remote.TimeShift())
	// Output:
	// time shift: 2h0m0s
	// in use: 2h0m0s
}

// Mirror uploads a tree to an FTP server and removes what the source no
// longer has; a second run finds nothing to do. WithoutTimes spares an
// MFMT per file: the copies keep the time of their upload.
func ExampleMirror() {
	site := afero.NewMemMapFs()
	for _, name := range []string{"/site/index.html", "/site/css/main.css", "/site/img/logo.png"} {
		if err := afero.WriteFile(site, name, []byte("content of "+name), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	backing := afero.NewMemMapFs()
	if err := afero.WriteFile(backing, "/www/old.html", []byte("gone"), 0o644); err != nil {
		log.Fatal(err)
	}
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	remote, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer remote.Close()

	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		stats, err := ftpsync.Mirror(ctx, remote, "www", site, "/site", ftpsync.WithDelete(), ftpsync.WithParallel(2), ftpsync.WithoutTimes())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("run %d: %d copied (%d bytes), %d directories made, %d deleted, %d up to date\n",
			run, stats.Copied, stats.Bytes, stats.DirsMade, stats.Deleted, stats.Skipped)
	}
	// Output:
	// run 1: 3 copied (85 bytes), 2 directories made, 1 deleted, 0 up to date
	// run 2: 0 copied (0 bytes), 0 directories made, 0 deleted, 3 up to date
}
