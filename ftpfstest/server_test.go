package ftpfstest_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
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
				// Dial connects, sets up TLS and logs in.
				c, _, err := dialSession(t, serverConfig(srv, sec, tt.user, tt.pass))
				if tt.wantCode == 0 {
					if err != nil {
						t.Fatalf("Dial as (%q, %q) = %v, want nil", tt.user, tt.pass, err)
					}
					if err := c.Noop(context.Background()); err != nil {
						t.Errorf("Noop() after login = %v, want nil", err)
					}
					return
				}
				if replyCode(err) != tt.wantCode || !errors.Is(err, ftpconn.ErrLogin) {
					t.Errorf("Dial as (%q, %q) = %v, want a refused login, reply %d", tt.user, tt.pass, err, tt.wantCode)
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
	ctx := context.Background()

	// 100 KiB of noise, so the transfer spans many reads.
	data := make([]byte, 100<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.UintN(256))
	}

	if err := store(c, "/up.bin", bytes.NewReader(data), false); err != nil {
		t.Fatalf("Stor(/up.bin) = %v, want nil", err)
	}
	if got, err := afero.ReadFile(backing, "/up.bin"); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("backing /up.bin after Stor = %d bytes, %v, want the %d bytes sent", len(got), err, len(data))
	}

	if got, err := retr(c, "/up.bin", 0); err != nil || !bytes.Equal(got, data) {
		t.Errorf("Retr(/up.bin) = %d bytes, %v, want the %d bytes stored", len(got), err, len(data))
	}
	if got, err := retr(c, "/up.bin", 1000); err != nil || !bytes.Equal(got, data[1000:]) {
		t.Errorf("Retr(/up.bin, 1000) = %d bytes, %v, want the last %d bytes", len(got), err, len(data)-1000)
	}

	if err := store(c, "/empty", bytes.NewReader(nil), false); err != nil {
		t.Fatalf("Stor(/empty) = %v, want nil", err)
	}
	if fi, err := backing.Stat("/empty"); err != nil || fi.Size() != 0 {
		t.Errorf("backing Stat(/empty) after Stor = %v, %v, want an empty file", fi, err)
	}

	if err := store(c, "/up.bin", bytes.NewReader([]byte("tail")), true); err != nil {
		t.Fatalf("Append(/up.bin) = %v, want nil", err)
	}
	if fi, err := backing.Stat("/up.bin"); err != nil || fi.Size() != int64(len(data)+4) {
		t.Errorf("backing Stat(/up.bin) after Append = %v, %v, want size %d", fi, err, len(data)+4)
	}
	if size, err := c.Size(ctx, "/up.bin"); err != nil || size != int64(len(data)+4) {
		t.Errorf("Size(/up.bin) = %d, %v, want %d", size, err, len(data)+4)
	}

	if err := store(c, "/rest", strings.NewReader("hello world"), false); err != nil {
		t.Fatalf("Stor(/rest) = %v, want nil", err)
	}
	// A Session stores only from a file's start or at its end: REST goes
	// as a raw command, before the passive command and STOR.
	if r, err := c.Command(ctx, "REST 6"); err != nil || r.Code != 350 {
		t.Fatalf("REST 6 = %v, %v, want 350", r, err)
	}
	if err := store(c, "/rest", strings.NewReader("WORLD"), false); err != nil {
		t.Fatalf("Stor(/rest) after REST 6 = %v, want nil", err)
	}
	if got, err := afero.ReadFile(backing, "/rest"); err != nil || string(got) != "hello WORLD" {
		t.Errorf("backing /rest after REST 6, STOR /rest = %q, %v, want %q", got, err, "hello WORLD")
	}

	if err := c.Mkdir(ctx, "/dir"); err != nil {
		t.Fatalf("Mkdir(/dir) = %v, want nil", err)
	}
	if fi, err := backing.Stat("/dir"); err != nil || !fi.IsDir() {
		t.Errorf("backing Stat(/dir) after Mkdir = %v, %v, want a directory", fi, err)
	}

	if err := c.Rename(ctx, "/up.bin", "/dir/moved.bin"); err != nil {
		t.Fatalf("Rename(/up.bin, /dir/moved.bin) = %v, want nil", err)
	}
	if _, err := backing.Stat("/up.bin"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("backing Stat(/up.bin) after Rename = %v, want %v", err, fs.ErrNotExist)
	}

	entries, err := list(c, "/dir")
	if err != nil {
		t.Fatalf("List(/dir) = %v, want nil", err)
	}
	if len(entries) != 1 || entries[0].Name != "moved.bin" || entries[0].Type != parsers.TypeFile || entries[0].Size != int64(len(data)+4) {
		t.Errorf("List(/dir) = %v, want [moved.bin, file, %d bytes]", describe(entries), len(data)+4)
	}

	if err := c.Delete(ctx, "/dir/moved.bin"); err != nil {
		t.Fatalf("Delete(/dir/moved.bin) = %v, want nil", err)
	}
	if err := c.Rmdir(ctx, "/dir"); err != nil {
		t.Fatalf("Rmdir(/dir) = %v, want nil", err)
	}
	if _, err := backing.Stat("/dir"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("backing Stat(/dir) after Rmdir = %v, want %v", err, fs.ErrNotExist)
	}

	if _, err := c.Retr(ctx, "/missing", 0); replyCode(err) != 550 {
		t.Errorf("Retr(/missing) = %v, want reply 550", err)
	}
}
