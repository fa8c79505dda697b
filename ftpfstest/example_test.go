package ftpfstest_test

import (
	"fmt"
	"io"
	"log"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/jlaffaye/ftp"
	"github.com/spf13/afero"
)

// A test puts a file in the backing file system and reads it back over FTP.
func Example() {
	backing := afero.NewMemMapFs()
	if err := afero.WriteFile(backing, "/greeting.txt", []byte("hello over FTP\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	srv := ftpfstest.NewServer(backing)
	defer srv.Close()

	c, err := ftp.Dial(srv.Addr())
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Login(srv.User(), srv.Password()); err != nil {
		log.Fatal(err)
	}

	r, err := c.Retr("/greeting.txt")
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	if err := r.Close(); err != nil {
		log.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(body))
	fmt.Println(srv.Commands()["RETR"], "RETR")
	// Output:
	// hello over FTP
	// 1 RETR
}
