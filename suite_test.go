package ftpfs_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// A server the shared suite runs against: the in-process server for the
// hermetic run, the real daemons of scripts/ftpd.sh for the integration
// run.
type server struct {
	name string
	url  string      // the server's root
	tls  *tls.Config // for ftpes:// and ftps:// URLs
	// root is the server's root on this machine's disk, where tests make
	// what FTP cannot (symbolic links); empty when there is none.
	root   string
	quirks quirks
}

// quirks are the documented differences between servers that the suite
// allows for.
type quirks struct {
	noChmod   bool // SITE CHMOD refused
	noChtimes bool // neither MFMT nor MDTM with a time
	mlsd      bool // listings are MLSD
	// noAppend: APPE refused with 451 (proftpd without AllowStoreRestart).
	noAppend bool
	// renamesNames: trailing blanks and control characters in uploaded
	// names become "_" (pure-ftpd).
	renamesNames bool
	// linksAsFiles: listings show symbolic links as files of the link's
	// own size, with no target (ftpserverlib).
	linksAsFiles bool
	// danglingLinksStay: DELE stat()s (follows) its argument before
	// unlinking, so a dangling link, a link loop or a link to a
	// directory cannot be removed over FTP: "550 ...: No such file or
	// directory." / "Too many levels of symbolic links." / "Not a
	// directory." (GNU inetutils ftpd, ftpd-ssl's in.ftpd).
	danglingLinksStay bool
	// siteTrimsBlanks: SITE's arguments lose their trailing blanks, so
	// SITE CHMOD of a name that ends with one names another file
	// ("550 …/trail: No such file or directory", proftpd).
	siteTrimsBlanks bool
	// noBackslash: a name with a backslash is refused, "553 Prohibited
	// file name" (pure-ftpd).
	noBackslash bool
	// noGlobDirs: MKD of a name with "*" is refused, "550 Invalid
	// directory name" (proftpd).
	noGlobDirs bool
	// dropsLongLines: a command line longer than the server's buffer
	// is dropped without a reply (proftpd's CommandBufferSize), so a
	// call with a name of 4 KiB ends only with WithTimeout.
	dropsLongLines bool
	// listCap: listings stop at this many entries, "." and ".."
	// included, and the final reply says so (pure-ftpd's -L default).
	listCap int
}

var dirCounter atomic.Int64

// fresh makes a new, empty directory on the server and returns an Fs
// whose base it is.
func (s server) fresh(t testing.TB, opts ...ftpfs.Option) *ftpfs.Fs {
	fsys, _ := s.freshDir(t, opts...)
	return fsys
}

// freshDir is fresh, and also returns the directory's path on this
// machine's disk ("" when the server's disk is elsewhere).
func (s server) freshDir(t testing.TB, opts ...ftpfs.Option) (*ftpfs.Fs, string) {
	t.Helper()
	if s.tls != nil {
		opts = append([]ftpfs.Option{ftpfs.WithTLSConfig(s.tls)}, opts...)
	}
	if logger := testLogger(t); logger != nil {
		opts = append(opts, ftpfs.WithLogger(logger))
	}
	root, err := ftpfs.Dial(context.Background(), s.url, opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", s.name, err)
	}
	defer root.Close()
	dir := fmt.Sprintf("t%d-%d-%s", os.Getpid(), dirCounter.Add(1), sanitize(t.Name()))
	if err := root.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("Mkdir(%s) on %s: %v", dir, s.name, err)
	}
	t.Cleanup(func() {
		again, err := ftpfs.Dial(context.Background(), s.url, opts...)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		defer again.Close()
		if err := again.RemoveAll(dir); err != nil {
			t.Errorf("cleanup of %s on %s: %v", dir, s.name, err)
		}
	})
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	u = u.JoinPath(dir)
	fsys, err := ftpfs.Dial(context.Background(), u.String(), opts...)
	if err != nil {
		t.Fatalf("Dial(%s/%s): %v", s.name, dir, err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	if s.root == "" {
		return fsys, ""
	}
	return fsys, filepath.Join(s.root, dir)
}

// redial returns a second Fs on the base of fsys, an Fs that fresh made,
// or on a directory below it (elems): one that shares no cache and no
// connection with fsys.
func (s server) redial(t testing.TB, fsys *ftpfs.Fs, elems ...string) *ftpfs.Fs {
	t.Helper()
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	u = u.JoinPath(append([]string{path.Base(strings.TrimSuffix(fsys.Name(), "/"))}, elems...)...)
	opts := []ftpfs.Option{}
	if s.tls != nil {
		opts = append(opts, ftpfs.WithTLSConfig(s.tls))
	}
	if logger := testLogger(t); logger != nil {
		opts = append(opts, ftpfs.WithLogger(logger))
	}
	other, err := ftpfs.Dial(context.Background(), u.String(), opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", u.Redacted(), err)
	}
	t.Cleanup(func() { _ = other.Close() })
	return other
}

// testLogger logs the FTP traffic of the suite to the file named by
// FTPFS_TEST_LOG, for debugging a server.
func testLogger(t testing.TB) *slog.Logger {
	name := os.Getenv("FTPFS_TEST_LOG")
	if name == "" {
		return nil
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
}

func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, name)
}

// hermeticServers are the in-process servers: plain over a temp
// directory, and with explicit TLS.
func hermeticServers(t *testing.T) []server {
	var out []server
	for _, sec := range []struct {
		name string
		opts []ftpfstest.Option
	}{
		{"ftpserverlib", nil},
		{"ftpserverlib-tls", []ftpfstest.Option{ftpfstest.WithExplicitTLS()}},
	} {
		dir := t.TempDir()
		srv := ftpfstest.NewServer(afero.NewBasePathFs(afero.NewOsFs(), dir), sec.opts...)
		t.Cleanup(srv.Close)
		out = append(out, server{name: sec.name, url: srv.URL(), tls: srv.ClientTLSConfig(), root: dir, quirks: quirks{mlsd: true, linksAsFiles: true}})
	}
	return out
}

// integrationServers are the real daemons that scripts/ftpd.sh started,
// named by its environment variables; none when they are unset.
func integrationServers(t *testing.T) []server {
	var pool *x509.CertPool
	if ca := os.Getenv("FTPFS_TEST_CA"); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			t.Fatalf("FTPFS_TEST_CA: %v", err)
		}
		pool = x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
	}
	daemons := []struct {
		name, env string
		quirks    quirks
		// noTLS: the daemon offers no working AUTH TLS (no -ftpes run).
		noTLS bool
	}{
		{"vsftpd", "VSFTPD", quirks{}, false},
		{"pureftpd", "PUREFTPD", quirks{mlsd: true, renamesNames: true, noBackslash: true, listCap: 10000}, false},
		{"proftpd", "PROFTPD", quirks{mlsd: true, noAppend: true, noGlobDirs: true, dropsLongLines: true, siteTrimsBlanks: true}, false},
		// pyftpdlib's TLS_FTPHandler runs on a port of its own
		// (FTPFS_PYFTPDLIB_FTPES_URL), over the same root.
		{"pyftpdlib", "PYFTPDLIB", quirks{mlsd: true}, false},
		// The inetd-style daemons list with /bin/ls and have no MLSD
		// and no MFMT; their URLs are absolute (%2F) paths, as they
		// do not chroot the user.
		{"inetutils", "INETUTILS", quirks{noChtimes: true, danglingLinksStay: true}, true},
		// ftpd-ssl answers AUTH with 234 but never loads a certificate,
		// so the handshake fails (docs/dialects-found.md).
		{"bsdftpd", "BSDFTPD", quirks{noChtimes: true, danglingLinksStay: true}, true},
	}
	var out []server
	for _, d := range daemons {
		plain := os.Getenv("FTPFS_" + d.env + "_URL")
		if plain == "" {
			continue
		}
		root := os.Getenv("FTPFS_" + d.env + "_ROOT")
		out = append(out, server{name: d.name, url: plain, root: root, quirks: d.quirks})
		if pool != nil && !d.noTLS {
			tlsConf := &tls.Config{RootCAs: pool}
			ftpes := "ftpes" + strings.TrimPrefix(plain, "ftp")
			if u := os.Getenv("FTPFS_" + d.env + "_FTPES_URL"); u != "" {
				ftpes = u
			}
			out = append(out, server{name: d.name + "-ftpes", url: ftpes, tls: tlsConf, root: root, quirks: d.quirks})
			if implicit := os.Getenv("FTPFS_" + d.env + "_IMPLICIT_URL"); implicit != "" {
				out = append(out, server{name: d.name + "-ftps", url: implicit, tls: tlsConf, root: root, quirks: d.quirks})
			}
		}
	}
	return out
}

// suite is every test that runs against every server.
var suite = []struct {
	name string
	run  func(t *testing.T, s server)
}{
	{"TestFS", suiteTestFS},
	{"ReadWrite", suiteReadWrite},
	{"Metadata", suiteMetadata},
	{"Links", suiteLinks},
	{"BigDir", suiteBigDir},
	{"BigFile", suiteBigFile},
	{"HTTP", suiteHTTP},
	{"Concurrent", suiteConcurrent},
	{"Names", suiteNames},
	{"MissingBase", suiteMissingBase},
	{"OSIsNotExist", suiteOSIsNotExist},
	{"EmptyUploads", suiteEmptyUploads},
	{"ErrorClasses", suiteErrorClasses},
	{"CreateRefused", suiteCreateRefused},
	{"CloseTwice", suiteCloseTwice},
	{"Invalidate", suiteInvalidate},
	{"BadInputControlCharacters", suiteBadInputControlCharacters},
	{"BadInputDotDot", suiteBadInputDotDot},
	{"BadInputRemoveAllBase", suiteBadInputRemoveAllBase},
	{"BadInputMissing", suiteBadInputMissing},
	{"BadInputStatNilInfo", suiteBadInputStatNilInfo},
	{"BadInputLongNames", suiteBadInputLongNames},
	{"BadInputOddNames", suiteBadInputOddNames},
	{"BadInputLineBreakNamesOnDisk", suiteBadInputLineBreakNamesOnDisk},
	{"Differential", suiteDifferential},
	{"DifferentialCases", suiteDifferentialCases},
}

func runSuite(t *testing.T, servers []server) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			for _, tc := range suite {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
			}
		})
	}
}

// runSuiteByDaemon is runSuite with the daemons side by side: the
// servers of one daemon (plain, -ftpes, -ftps) one after the other, as
// they share its connection limits, and different daemons in parallel,
// since a run spends most of its time waiting for replies.
func runSuiteByDaemon(t *testing.T, servers []server) {
	turns := map[string]*sync.Mutex{}
	for _, s := range servers {
		daemon, _, _ := strings.Cut(s.name, "-")
		turn := turns[daemon]
		if turn == nil {
			turn = new(sync.Mutex)
			turns[daemon] = turn
		}
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			turn.Lock()
			defer turn.Unlock()
			for _, tc := range suite {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
			}
		})
	}
}

func TestSuite(t *testing.T) { runSuite(t, hermeticServers(t)) }

func TestIntegration(t *testing.T) {
	servers := integrationServers(t)
	if len(servers) == 0 {
		t.Skip("no real FTP daemons: run `eval \"$(scripts/ftpd.sh start)\"` to set FTPFS_*_URL")
	}
	runSuiteByDaemon(t, servers)
}
