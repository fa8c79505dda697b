package ftpfstest_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
)

// features returns the FEAT reply's feature lines, trimmed.
func features(t *testing.T, c *rawConn) []string {
	t.Helper()
	code, msg := c.cmd("FEAT")
	if code != 211 {
		t.Fatalf("FEAT = %d %q, want 211", code, msg)
	}
	var feats []string
	for _, line := range strings.Split(msg, "\n")[1:] {
		if line = strings.TrimSpace(line); line != "" && line != "end" {
			feats = append(feats, line)
		}
	}
	return feats
}

func TestListings(t *testing.T) {
	mtime := time.Date(2005, 5, 26, 14, 3, 0, 0, time.UTC)
	tests := []struct {
		name     string
		opts     []ftpfstest.Option
		wantCmd  string
		wantFeat bool
		wantTime time.Time // LIST shows only the day for old files
		wantCode int       // listing a missing directory
	}{
		{"mlsd", nil, "MLSD", true, mtime, 550},
		{"without-mlsd", []ftpfstest.Option{ftpfstest.WithoutMLSD()}, "LIST", false, mtime.Truncate(24 * time.Hour), 450},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			backing := afero.NewMemMapFs()
			if err := afero.WriteFile(backing, "/d/a file", []byte("12345"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := backing.Mkdir("/d/sub", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := backing.Chtimes("/d/a file", mtime, mtime); err != nil {
				t.Fatal(err)
			}
			srv := newServer(t, backing, tt.opts...)

			raw := rawLogin(t, srv)
			feats := features(t, raw)
			for _, f := range []string{"MLSD", "MLST"} {
				if got := slices.Contains(feats, f); got != tt.wantFeat {
					t.Errorf("FEAT lists %s = %v, want %v (FEAT: %q)", f, got, tt.wantFeat, feats)
				}
			}
			if code, msg := raw.cmd("MLST /d/a file"); (code == 250) != tt.wantFeat {
				t.Errorf("MLST /d/a file = %d %q, want success %v", code, msg, tt.wantFeat)
			}

			c := login(t, srv, securities[0])
			srv.ResetCommands()
			entries, err := list(c, "/d")
			if err != nil {
				t.Fatalf("List(/d) = %v, want nil", err)
			}
			if n := srv.Commands()[tt.wantCmd]; n != 1 {
				t.Errorf("Commands()[%q] after List = %d, want 1 (all: %v)", tt.wantCmd, n, srv.Commands())
			}
			slices.SortFunc(entries, func(a, b parsers.Entry) int { return strings.Compare(a.Name, b.Name) })
			if len(entries) != 2 ||
				entries[0].Name != "a file" || entries[0].Type != parsers.TypeFile || entries[0].Size != 5 || !entries[0].ModTime.Equal(tt.wantTime) ||
				entries[1].Name != "sub" || entries[1].Type != parsers.TypeDir {
				t.Errorf("List(/d) = %v, want [a file (5 bytes, %v), sub (folder)]", describe(entries), tt.wantTime)
			}
			if _, err := list(c, "/missing"); replyCode(err) != tt.wantCode {
				t.Errorf("List(/missing) = %v, want reply %d", err, tt.wantCode)
			}
		})
	}
}

func TestMFMT(t *testing.T) {
	mtime := time.Date(2005, 5, 26, 14, 3, 7, 0, time.UTC)
	tests := []struct {
		name     string
		opts     []ftpfstest.Option
		wantFeat bool
	}{
		{"default", nil, true},
		{"without-mfmt", []ftpfstest.Option{ftpfstest.WithoutMFMT()}, false},
	}
	for _, bk := range backings {
		for _, tt := range tests {
			t.Run(bk.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				backing := bk.new(t)
				if err := afero.WriteFile(backing, "/f", nil, 0o644); err != nil {
					t.Fatal(err)
				}
				srv := newServer(t, backing, tt.opts...)
				c, server, err := dialSession(t, serverConfig(srv, securities[0], srv.User(), srv.Password()))
				if err != nil {
					t.Fatalf("ftpconn.Dial(%q) = %v, want a session", srv.Addr(), err)
				}
				// What the client learned from FEAT.
				if _, got := server.Feature("MFMT"); got != tt.wantFeat {
					t.Errorf("Feature(MFMT) after login = %v, want %v", got, tt.wantFeat)
				}
				// ftpserverlib only hides MFMT from FEAT; it still obeys it.
				raw := rawLogin(t, srv)
				if code, msg := raw.cmd("MFMT %s /f", mtime.Format("20060102150405")); code != 213 {
					t.Fatalf("MFMT = %d %q, want 213", code, msg)
				}
				fi, err := backing.Stat("/f")
				if err != nil {
					t.Fatalf("backing Stat(/f) after MFMT = %v", err)
				}
				if !fi.ModTime().Equal(mtime) {
					t.Errorf("backing Stat(/f).ModTime() after MFMT = %v, want %v", fi.ModTime(), mtime)
				}
				r, err := c.Command(context.Background(), "MDTM /f")
				if got, perr := time.Parse("20060102150405", r.Message); err != nil || r.Code != 213 || perr != nil || !got.Equal(mtime) {
					t.Errorf("MDTM /f = %d %q, %v, want 213 %s", r.Code, r.Message, err, mtime.Format("20060102150405"))
				}
			})
		}
	}
}

func TestSiteChmod(t *testing.T) {
	tests := []struct {
		name     string
		opts     []ftpfstest.Option
		cmd      string
		wantCode int
		wantMode fs.FileMode
	}{
		{"chmod", nil, "SITE CHMOD 600 /f", 200, 0o600},
		{"chmod-relative", nil, "SITE CHMOD 751 f", 200, 0o751},
		{"chmod-missing", nil, "SITE CHMOD 600 /nope", 550, 0o644},
		{"chmod-bad-mode", nil, "SITE CHMOD 9x /f", 550, 0o644},
		{"without-site", []ftpfstest.Option{ftpfstest.WithoutSite()}, "SITE CHMOD 600 /f", 500, 0o644},
	}
	for _, bk := range backings {
		for _, tt := range tests {
			t.Run(bk.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				backing := bk.new(t)
				if err := afero.WriteFile(backing, "/f", nil, 0o644); err != nil {
					t.Fatal(err)
				}
				srv := newServer(t, backing, tt.opts...)
				c := rawLogin(t, srv)
				if code, msg := c.cmd("%s", tt.cmd); code != tt.wantCode {
					t.Errorf("%s = %d %q, want %d", tt.cmd, code, msg, tt.wantCode)
				}
				fi, err := backing.Stat("/f")
				if err != nil {
					t.Fatalf("backing Stat(/f) after %s = %v", tt.cmd, err)
				}
				if fi.Mode().Perm() != tt.wantMode {
					t.Errorf("backing Stat(/f).Mode() after %s = %v, want %v", tt.cmd, fi.Mode(), tt.wantMode)
				}
			})
		}
	}
}

func TestTLS(t *testing.T) {
	t.Run("plain", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, afero.NewMemMapFs())
		if srv.Certificate() != nil || srv.ClientTLSConfig() != nil {
			t.Errorf("Certificate(), ClientTLSConfig() = %v, %v, want nil, nil", srv.Certificate(), srv.ClientTLSConfig())
		}
		c, _, _ := dialRaw(t, srv, nil)
		if slices.Contains(features(t, c), "AUTH TLS") {
			t.Errorf("FEAT lists AUTH TLS on a plain server")
		}
		if code, msg := c.cmd("AUTH TLS"); code != 550 {
			t.Errorf("AUTH TLS = %d %q, want 550", code, msg)
		}
	})
	for _, sec := range securities[1:] {
		t.Run(sec.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, afero.NewMemMapFs(), sec.opts...)
			cert := srv.Certificate()
			if cert == nil || cert.VerifyHostname("127.0.0.1") != nil {
				t.Fatalf("Certificate() = %v, want a certificate for 127.0.0.1", cert)
			}
			cfg := srv.ClientTLSConfig()
			if cfg.InsecureSkipVerify || cfg.RootCAs == nil {
				t.Errorf("ClientTLSConfig() = {InsecureSkipVerify: %v, RootCAs: %v}, want verification against the certificate", cfg.InsecureSkipVerify, cfg.RootCAs)
			}
			if cfg == srv.ClientTLSConfig() {
				t.Errorf("ClientTLSConfig() returned the same value twice, want a new one each call")
			}

			// A client that trusts another server's certificate must fail.
			other := newServer(t, afero.NewMemMapFs(), sec.opts...)
			wrong := clientConfig(srv.Addr(), sec.sec, other.ClientTLSConfig(), srv.User(), srv.Password())
			if _, _, err := dialSession(t, wrong); !errors.Is(err, ftpconn.ErrTLS) {
				t.Errorf("Dial trusting another server's certificate = %v, want a TLS verification error", err)
			}
		})
	}
}

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	srv := newServer(t, afero.NewMemMapFs(), ftpfstest.WithIdleTimeout(time.Millisecond))
	c := rawLogin(t, srv)
	// Rounded up to one second: the server speaks first, then hangs up.
	code, msg, err := c.ReadResponse(421)
	if code != 421 {
		t.Fatalf("reply after idling = %d %q, %v, want 421", code, msg, err)
	}
	if line, err := c.ReadLine(); err == nil {
		t.Errorf("ReadLine() after 421 = %q, want the connection closed", line)
	}
}

func TestMaxClients(t *testing.T) {
	for _, sec := range []security{securities[0], securities[2]} {
		t.Run(sec.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, afero.NewMemMapFs(), append(slices.Clone(sec.opts), ftpfstest.WithMaxClients(1))...)
			var cfg *tls.Config
			if sec.name == "implicit-tls" {
				cfg = srv.ClientTLSConfig()
			}
			first, code, msg := dialRaw(t, srv, cfg)
			if code != 220 {
				t.Fatalf("greeting of the first client = %d %q, want 220", code, msg)
			}
			if _, code, msg := dialRaw(t, srv, cfg); code != 421 {
				t.Errorf("greeting of the second client = %d %q, want 421", code, msg)
			}
			if code, msg := first.cmd("QUIT"); code != 221 {
				t.Fatalf("QUIT = %d %q, want 221", code, msg)
			}
			// The reply to QUIT means the slot is free.
			if _, code, msg := dialRaw(t, srv, cfg); code != 220 {
				t.Errorf("greeting of the third client = %d %q, want 220", code, msg)
			}
		})
	}
}
