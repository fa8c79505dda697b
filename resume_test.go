package ftpfs_test

import (
	"bytes"
	"context"
	"net"
	"sync/atomic"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// cuttingConn ends a connection (as a network fault would) after limit
// bytes have been read from it.
type cuttingConn struct {
	net.Conn
	left int
}

func (c *cuttingConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		_ = c.Conn.Close()
		return 0, net.ErrClosed
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Read(p)
	c.left -= n
	return n, err
}

func TestReadResumesABrokenTransfer(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"big.bin": string(content)})
	var cuts atomic.Int32
	var control string
	dialer := func(ctx context.Context, network, address string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
		if err != nil || address == control {
			return conn, err
		}
		// Data connections: the first two are cut part way.
		if cuts.Add(1) <= 2 {
			return &cuttingConn{Conn: conn, left: 100 << 10}, nil
		}
		return conn, nil
	}
	fsys, srv := serve(t, backing, nil)
	control = srv.Addr()
	fsys.Close()
	fsys, err := ftpfs.Dial(context.Background(), srv.URL(), ftpfs.WithDialer(dialer), ftpfs.WithoutMLSD())
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if _, err := fsys.Stat("big.bin"); err != nil { // the listing takes a data connection too
		t.Fatal(err)
	}
	cuts.Store(0)
	got, err := afero.ReadFile(fsys, "big.bin")
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("ReadFile through two broken transfers = %d bytes, %v; want the %d bytes of the file", len(got), err, len(content))
	}
	if srv.Commands()["REST"] < 2 {
		t.Errorf("REST sent %d times, want at least 2 (one per resumption)", srv.Commands()["REST"])
	}
}
