package ftpfs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// The examples run against an in-process FTP server (package ftpfstest)
// over an in-memory file system. MemMapFs tells "a" from "/a", so the
// fixtures use absolute names, as the server does.

// Dial logs in and returns the server as a file system.
func ExampleDial() {
	backing := afero.NewMemMapFs()
	_ = afero.WriteFile(backing, "/docs/a.txt", []byte("hello"), 0o644)
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()

	// An ftp://user:password@host:port/path URL; ftpes:// and ftps:// add TLS.
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	info, err := fsys.Stat("docs/a.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name(), info.Size(), info.IsDir())

	_, err = fsys.Stat("docs/missing.txt")
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output:
	// a.txt 5 false
	// true
}

// IOFS gives the io/fs view, for fs.WalkDir, fs.Glob, template.ParseFS,
// http.FS and the like. WalkDir costs one listing per directory.
func ExampleFs_IOFS() {
	backing := afero.NewMemMapFs()
	for _, name := range []string{"/docs/a.txt", "/docs/b.txt", "/docs/img/logo.png", "/readme.md"} {
		_ = afero.WriteFile(backing, name, []byte("x"), 0o644)
	}
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	err = fs.WalkDir(fsys.IOFS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fmt.Println(name)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// .
	// docs
	// docs/a.txt
	// docs/b.txt
	// docs/img
	// docs/img/logo.png
	// readme.md
}

// Open returns a file to read; the transfer starts at the first Read.
func ExampleFs_Open() {
	backing := afero.NewMemMapFs()
	_ = afero.WriteFile(backing, "/docs/a.txt", []byte("hello, FTP\n"), 0o644)
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	f, err := fsys.Open("docs/a.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data))
	// Output:
	// hello, FTP
}

// Create uploads a file. Close returns the server's verdict on the upload:
// always check it.
func ExampleFs_Create() {
	backing := afero.NewMemMapFs()
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	f, err := fsys.Create("notes.txt")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := f.WriteString("written over FTP\n"); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	// The server stored the file in its backing file system.
	data, err := afero.ReadFile(backing, "/notes.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data))
	// Output:
	// written over FTP
}

// Chmod sends SITE CHMOD.
func ExampleFs_Chmod() {
	backing := afero.NewMemMapFs()
	_ = afero.WriteFile(backing, "/run.sh", []byte("#!/bin/sh\n"), 0o644)
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	if err := fsys.Chmod("run.sh", 0o755); err != nil {
		log.Fatal(err)
	}
	info, err := backing.Stat("/run.sh")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Mode())
	// Output:
	// -rwxr-xr-x
}

// The cache keeps directory listings: once a directory is listed, a Stat
// of anything in it costs no round trip to the server. The first Stat
// misses twice (the file's entry, then its directory's listing) and sends
// one listing; the second is a hit.
func ExampleFs_Cache() {
	backing := afero.NewMemMapFs()
	_ = afero.WriteFile(backing, "/docs/a.txt", []byte("a"), 0o644)
	_ = afero.WriteFile(backing, "/docs/b.txt", []byte("bb"), 0o644)
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	srv.ResetCommands() // count from here on
	for _, name := range []string{"docs/a.txt", "docs/b.txt"} {
		if _, err := fsys.Stat(name); err != nil {
			log.Fatal(err)
		}
		listings := srv.Commands()["MLSD"] + srv.Commands()["LIST"]
		s := fsys.Cache().Stats()
		fmt.Printf("Stat(%q): listings sent %d, cache hits %d, misses %d\n", name, listings, s.Hits, s.Misses)
	}
	// Output:
	// Stat("docs/a.txt"): listings sent 1, cache hits 0, misses 2
	// Stat("docs/b.txt"): listings sent 1, cache hits 1, misses 2
}

// The io/fs view works with http.FS: a Range request becomes a transfer
// restarted at its offset, and a HEAD request for a file whose extension
// gives its type costs no transfer at all.
func Example_httpFS() {
	backing := afero.NewMemMapFs()
	_ = afero.WriteFile(backing, "/docs/a.txt", []byte("hello over HTTP\n"), 0o644)
	srv := ftpfstest.NewServer(backing)
	defer srv.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	web := httptest.NewServer(http.FileServer(http.FS(fsys.IOFS())))
	defer web.Close()

	resp, err := http.Get(web.URL + "/docs/a.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	fmt.Print(string(body))
	// Output:
	// 200 OK text/plain; charset=utf-8
	// hello over HTTP
}
