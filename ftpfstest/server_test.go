package ftpfstest_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/jlaffaye/ftp"
	"github.com/spf13/afero"
)

func TestURL(t *testing.T) {
	tests := []struct {
		name       string
		opts       []ftpfstest.Option
		wantScheme string
		wantUser   *url.Userinfo
	}{
		{"plain", nil, "ftp", url.UserPassword("test", "test")},
		{"explicit-tls", []ftpfstest.Option{ftpfstest.WithExplicitTLS()}, "ftpes", url.UserPassword("test", "test")},
		{"implicit-tls", []ftpfstest.Option{ftpfstest.WithImplicitTLS()}, "ftps", url.UserPassword("test", "test")},
		{"credentials", []ftpfstest.Option{ftpfstest.WithCredentials("alice", "p@ss word")}, "ftp", url.UserPassword("alice", "p@ss word")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, afero.NewMemMapFs(), tt.opts...)
			u, err := url.Parse(srv.URL())
			if err != nil {
				t.Fatalf("url.Parse(URL() = %q) = %v", srv.URL(), err)
			}
			if u.Scheme != tt.wantScheme || u.Host != srv.Addr() || u.Path != "/" || u.User.String() != tt.wantUser.String() {
				t.Errorf("URL() = %q, want %s://%s@%s/", srv.URL(), tt.wantScheme, tt.wantUser, srv.Addr())
			}
			host, _, err := net.SplitHostPort(srv.Addr())
			if err != nil || host != "127.0.0.1" {
				t.Errorf("Addr() = %q, want 127.0.0.1:PORT", srv.Addr())
			}
			pass, _ := tt.wantUser.Password()
			if srv.User() != tt.wantUser.Username() || srv.Password() != pass {
				t.Errorf("User(), Password() = %q, %q, want %q, %q", srv.User(), srv.Password(), tt.wantUser.Username(), pass)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name       string
		opts       []ftpfstest.Option
		user, pass string
		wantCode   int // 0: success
	}{
		{"default", nil, ftpfstest.DefaultUser, ftpfstest.DefaultPassword, 0},
		{"wrong-password", nil, ftpfstest.DefaultUser, "nope", 530},
		{"wrong-user", nil, "nobody", ftpfstest.DefaultPassword, 530},
		{"anonymous-refused", nil, "anonymous", "guest@example.com", 530},
		{"anonymous", []ftpfstest.Option{ftpfstest.WithAnonymous()}, "anonymous", "guest@example.com", 0},
		{"anonymous-ftp", []ftpfstest.Option{ftpfstest.WithAnonymous()}, "ftp", "", 0},
		{"credentials", []ftpfstest.Option{ftpfstest.WithCredentials("alice", "secret")}, "alice", "secret", 0},
		{"old-credentials", []ftpfstest.Option{ftpfstest.WithCredentials("alice", "secret")}, "test", "test", 530},
	}
	for _, sec := range securities {
		for _, tt := range tests {
			t.Run(sec.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t, afero.NewMemMapFs(), append(slices.Clone(sec.opts), tt.opts...)...)
				c := dial(t, srv, sec)
				err := c.Login(tt.user, tt.pass)
				if tt.wantCode == 0 {
					if err != nil {
						t.Fatalf("Login(%q, %q) = %v, want nil", tt.user, tt.pass, err)
					}
					if err := c.NoOp(); err != nil {
						t.Errorf("NoOp() after login = %v, want nil", err)
					}
					return
				}
				var reply *textproto.Error
				if !errors.As(err, &reply) || reply.Code != tt.wantCode {
					t.Errorf("Login(%q, %q) = %v, want reply %d", tt.user, tt.pass, err, tt.wantCode)
				}
			})
		}
	}
}

// TestFileOperations runs the everyday commands over each kind of
// connection and checks their effect on the backing file system.
func TestFileOperations(t *testing.T) {
	for _, sec := range securities {
		for _, bk := range backings {
			t.Run(sec.name+"/"+bk.name, func(t *testing.T) {
				t.Parallel()
				testFileOperations(t, sec, bk.new(t))
			})
		}
	}
}

func testFileOperations(t *testing.T, sec security, backing afero.Fs) {
	srv := newServer(t, backing, sec.opts...)
	c := login(t, srv, sec)

	// 100 KiB of noise, so the transfer spans many reads.
	data := make([]byte, 100<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.UintN(256))
	}

	if err := c.Stor("/up.bin", bytes.NewReader(data)); err != nil {
		t.Fatalf("Stor(/up.bin) = %v, want nil", err)
	}
	if got, err := afero.ReadFile(backing, "/up.bin"); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("backing /up.bin after Stor = %d bytes, %v, want the %d bytes sent", len(got), err, len(data))
	}

	if got := retr(t, c, "/up.bin", 0); !bytes.Equal(got, data) {
		t.Errorf("Retr(/up.bin) = %d bytes, want the %d bytes stored", len(got), len(data))
	}
	if got := retr(t, c, "/up.bin", 1000); !bytes.Equal(got, data[1000:]) {
		t.Errorf("RetrFrom(/up.bin, 1000) = %d bytes, want the last %d bytes", len(got), len(data)-1000)
	}

	if err := c.Stor("/empty", bytes.NewReader(nil)); err != nil {
		t.Fatalf("Stor(/empty) = %v, want nil", err)
	}
	if fi, err := backing.Stat("/empty"); err != nil || fi.Size() != 0 {
		t.Errorf("backing Stat(/empty) after Stor = %v, %v, want an empty file", fi, err)
	}

	if err := c.Append("/up.bin", bytes.NewReader([]byte("tail"))); err != nil {
		t.Fatalf("Append(/up.bin) = %v, want nil", err)
	}
	if fi, err := backing.Stat("/up.bin"); err != nil || fi.Size() != int64(len(data)+4) {
		t.Errorf("backing Stat(/up.bin) after Append = %v, %v, want size %d", fi, err, len(data)+4)
	}
	if size, err := c.FileSize("/up.bin"); err != nil || size != int64(len(data)+4) {
		t.Errorf("FileSize(/up.bin) = %d, %v, want %d", size, err, len(data)+4)
	}

	if err := c.Stor("/rest", strings.NewReader("hello world")); err != nil {
		t.Fatalf("Stor(/rest) = %v, want nil", err)
	}
	if err := c.StorFrom("/rest", strings.NewReader("WORLD"), 6); err != nil {
		t.Fatalf("StorFrom(/rest, 6) = %v, want nil", err)
	}
	if got, err := afero.ReadFile(backing, "/rest"); err != nil || string(got) != "hello WORLD" {
		t.Errorf("backing /rest after StorFrom(/rest, 6) = %q, %v, want %q", got, err, "hello WORLD")
	}

	if err := c.MakeDir("/dir"); err != nil {
		t.Fatalf("MakeDir(/dir) = %v, want nil", err)
	}
	if fi, err := backing.Stat("/dir"); err != nil || !fi.IsDir() {
		t.Errorf("backing Stat(/dir) after MakeDir = %v, %v, want a directory", fi, err)
	}

	if err := c.Rename("/up.bin", "/dir/moved.bin"); err != nil {
		t.Fatalf("Rename(/up.bin, /dir/moved.bin) = %v, want nil", err)
	}
	if _, err := backing.Stat("/up.bin"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("backing Stat(/up.bin) after Rename = %v, want %v", err, fs.ErrNotExist)
	}

	entries, err := c.List("/dir")
	if err != nil {
		t.Fatalf("List(/dir) = %v, want nil", err)
	}
	if len(entries) != 1 || entries[0].Name != "moved.bin" || entries[0].Type != ftp.EntryTypeFile || entries[0].Size != uint64(len(data)+4) {
		t.Errorf("List(/dir) = %v, want [moved.bin, file, %d bytes]", describe(entries), len(data)+4)
	}

	if err := c.Delete("/dir/moved.bin"); err != nil {
		t.Fatalf("Delete(/dir/moved.bin) = %v, want nil", err)
	}
	if err := c.RemoveDir("/dir"); err != nil {
		t.Fatalf("RemoveDir(/dir) = %v, want nil", err)
	}
	if _, err := backing.Stat("/dir"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("backing Stat(/dir) after RemoveDir = %v, want %v", err, fs.ErrNotExist)
	}

	var reply *textproto.Error
	if _, err := c.Retr("/missing"); !errors.As(err, &reply) || reply.Code != 550 {
		t.Errorf("Retr(/missing) = %v, want reply 550", err)
	}
}

// retr downloads name from offset on and returns its bytes.
func retr(t *testing.T, c *ftp.ServerConn, name string, offset uint64) []byte {
	t.Helper()
	r, err := c.RetrFrom(name, offset)
	if err != nil {
		t.Fatalf("RetrFrom(%q, %d) = %v, want nil", name, offset, err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading RetrFrom(%q, %d) = %v", name, offset, err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("closing RetrFrom(%q, %d) = %v, want nil", name, offset, err)
	}
	return got
}

// describe renders listing entries for failure messages.
func describe(entries []*ftp.Entry) []string {
	var s []string
	for _, e := range entries {
		s = append(s, fmt.Sprintf("%s (%s, %d bytes, %v)", e.Name, e.Type, e.Size, e.Time))
	}
	return s
}
