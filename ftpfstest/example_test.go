package ftpfstest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// A test serves an afero.Fs over FTP and uses it through ftpfs: a file
// put in the backing file system reads back over FTP, a file written over
// FTP lands in it, and Commands shows the round trips.
func Example() {
	backing := afero.NewMemMapFs()
	if err := afero.WriteFile(backing, "/greeting.txt", []byte("hello over FTP\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	srv := ftpfstest.NewServer(backing)
	defer srv.Close()

	// srv.URL() is ftp://test:test@127.0.0.1:PORT/.
	fsys, err := ftpfs.Dial(context.Background(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer fsys.Close()

	body, err := afero.ReadFile(fsys, "greeting.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(body))

	if err := afero.WriteFile(fsys, "reply.txt", []byte("hello back\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	stored, err := afero.ReadFile(backing, "/reply.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(stored))

	fmt.Println(srv.Commands()["RETR"], "RETR,", srv.Commands()["STOR"], "STOR")
	// Output:
	// hello over FTP
	// hello back
	// 1 RETR, 1 STOR
}
