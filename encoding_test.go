package ftpfs_test

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/ftpfs/ftpfs/parsers"
	"github.com/spf13/afero"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// The names of the encoding tests: as the caller sees them, and as they
// are on the server's disk.
const (
	latinName     = "café.txt"
	latinBytes    = "caf\xe9.txt"
	latinDir      = "répertoire"
	latinDirBytes = "r\xe9pertoire"

	sjisName  = "日本語.txt"
	sjisBytes = "\x93\xfa\x96\x7b\x8c\xea.txt"
	// 表 is 0x95 0x5C in Shift-JIS: its second byte is a backslash,
	// which a server running ls on LIST's argument would read.
	sjisDir      = "表示"
	sjisDirBytes = "\x95\x5c\x8e\xa6"
	// pure-ftpd refuses names with a backslash (553 Prohibited file
	// name): 日本 (0x93 0xFA 0x96 0x7B), whose "{" a shell reads too.
	sjisPlainDir      = "日本"
	sjisPlainDirBytes = "\x93\xfa\x96\x7b"
	// 0xA0 is no character in Shift-JIS.
	sjisInvalidBytes = "bad\xa0name.txt"
)

// TestEncodings runs the encoding tests on the in-process server over a
// directory on disk, where the tests make names in latin-1 and
// Shift-JIS bytes.
func TestEncodings(t *testing.T) { runEncodings(t, hermeticServers(t)) }

// TestIntegrationEncodings runs them on the real daemons, making the
// names on their roots.
func TestIntegrationEncodings(t *testing.T) {
	servers := integrationServers(t)
	if len(servers) == 0 {
		t.Skip("no real FTP daemons: run `eval \"$(scripts/ftpd.sh start)\"` to set FTPFS_*_URL")
	}
	runEncodings(t, servers)
}

func runEncodings(t *testing.T, servers []server) {
	for _, s := range servers {
		if s.root == "" {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			if strings.HasPrefix(s.name, "pyftpdlib") {
				// Its FTPHandler.encoding recodes names between disk and
				// wire, with "?" for what does not fit: the bytes on its
				// disk never reach a client.
				t.Skip("pyftpdlib recodes names (FTPHandler.encoding): no bytes of another encoding reach the wire")
			}
			t.Run("Latin1", func(t *testing.T) {
				encodingRoundTrip(t, s, charmap.ISO8859_1, latinName, latinBytes, latinDir, latinDirBytes, "日本.txt")
			})
			t.Run("ShiftJIS", func(t *testing.T) {
				dir, dirBytes := sjisDir, sjisDirBytes
				if strings.HasPrefix(s.name, "pureftpd") {
					dir, dirBytes = sjisPlainDir, sjisPlainDirBytes
				}
				encodingRoundTrip(t, s, japanese.ShiftJIS, sjisName, sjisBytes, dir, dirBytes, "café€\u00e9.txt")
			})
			t.Run("InvalidBytes", func(t *testing.T) { encodingInvalidBytes(t, s) })
		})
	}
}

// encodingRoundTrip checks that names in enc on the server's disk read
// right, and that names made through the Fs land on disk in enc:
// listing, reading, writing, renaming, making and listing a directory
// (whose name has a byte that a shell would read, for Shift-JIS), Stat,
// the io/fs view, and a name enc lacks refused before it is sent.
func encodingRoundTrip(t *testing.T, s server, enc encoding.Encoding, name, onDisk, dir, dirOnDisk, unrepresentable string) {
	fsys, disk := s.freshDir(t, ftpfs.WithEncoding(enc))
	writeDisk(t, filepath.Join(disk, onDisk), "made on disk")
	mkdirDisk(t, filepath.Join(disk, dirOnDisk))
	writeDisk(t, filepath.Join(disk, dirOnDisk, onDisk), "inside")

	names := readDirNames(t, fsys, ".")
	if !slices.Contains(names, name) || !slices.Contains(names, dir) {
		t.Fatalf("ReadDir(.) = %q, want %q and %q", names, name, dir)
	}
	if got, err := afero.ReadFile(fsys, name); err != nil || string(got) != "made on disk" {
		t.Fatalf("ReadFile(%s) = %q, %v", name, got, err)
	}
	if fi, err := fsys.Stat(dir + "/" + name); err != nil || fi.Name() != name || fi.Size() != int64(len("inside")) {
		t.Fatalf("Stat(%s/%s) = %v, %v", dir, name, fi, err)
	}
	if names := readDirNames(t, fsys, dir); !slices.Equal(names, []string{name}) {
		t.Fatalf("ReadDir(%s) = %q, want [%q]", dir, names, name)
	}
	if got, err := fs.ReadFile(fsys.IOFS(), dir+"/"+name); err != nil || string(got) != "inside" {
		t.Fatalf("IOFS ReadFile(%s/%s) = %q, %v", dir, name, got, err)
	}
	var walked []string
	if err := fs.WalkDir(fsys.IOFS(), ".", func(p string, d fs.DirEntry, err error) error {
		walked = append(walked, p)
		return err
	}); err != nil {
		t.Fatalf("WalkDir: %v (walked %q)", err, walked)
	}
	if want := []string{".", name, dir, dir + "/" + name}; !sameSet(walked, want) {
		t.Fatalf("WalkDir visited %q, want %q", walked, want)
	}

	// Made through the Fs: on disk in enc.
	newName := "new-" + name
	if err := afero.WriteFile(fsys, dir+"/"+newName, []byte("uploaded"), 0o644); err != nil {
		t.Fatalf("WriteFile(%s/%s): %v", dir, newName, err)
	}
	diskName := mustEncode(t, enc, newName)
	if got, err := os.ReadFile(filepath.Join(disk, dirOnDisk, diskName)); err != nil || string(got) != "uploaded" {
		t.Fatalf("on disk %q: %q, %v", diskName, got, err)
	}
	renamed := "renamed-" + name
	if err := fsys.Rename(name, renamed); err != nil {
		t.Fatalf("Rename(%s, %s): %v", name, renamed, err)
	}
	if _, err := os.Stat(filepath.Join(disk, mustEncode(t, enc, renamed))); err != nil {
		t.Fatalf("on disk after Rename: %v", err)
	}
	sub := "sub-" + dir
	if err := fsys.Mkdir(sub, 0o755); err != nil {
		t.Fatalf("Mkdir(%s): %v", sub, err)
	}
	if fi, err := os.Stat(filepath.Join(disk, mustEncode(t, enc, sub))); err != nil || !fi.IsDir() {
		t.Fatalf("on disk after Mkdir: %v, %v", fi, err)
	}
	if err := fsys.Remove(dir + "/" + newName); err != nil {
		t.Fatalf("Remove(%s/%s): %v", dir, newName, err)
	}

	// A name the encoding lacks: refused, nothing sent, nothing made.
	before := diskNames(t, disk)
	_, err := fsys.Create(unrepresentable)
	var encErr *ftpfs.EncodingError
	var pathErr *fs.PathError
	if !errors.Is(err, fs.ErrInvalid) || !errors.As(err, &encErr) || !errors.As(err, &pathErr) {
		t.Fatalf("Create(%s) = %v, want an *fs.PathError wrapping an *EncodingError", unrepresentable, err)
	}
	if !strings.Contains(err.Error(), encodingName(enc)) {
		t.Errorf("error %q does not name the encoding", err)
	}
	for _, op := range []func() error{
		func() error { return fsys.Mkdir(unrepresentable, 0o755) },
		func() error { _, err := fsys.Stat(unrepresentable); return err },
		func() error { return fsys.Rename(renamed, unrepresentable) },
		func() error { return afero.WriteFile(fsys, unrepresentable, nil, 0o644) },
	} {
		if err := op(); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("with %s: %v, want fs.ErrInvalid", unrepresentable, err)
		}
	}
	if after := diskNames(t, disk); !slices.Equal(before, after) {
		t.Fatalf("the refused names changed the disk: %q → %q", before, after)
	}
	// The session that refused is still good.
	if got, err := afero.ReadFile(fsys, renamed); err != nil || string(got) != "made on disk" {
		t.Fatalf("ReadFile(%s) after the refusals = %q, %v", renamed, got, err)
	}
}

// encodingInvalidBytes checks that a listed name whose bytes are not
// valid in the encoding never becomes an entry with a wrong name: ReadDir
// returns the other entries and an error naming the line, and with
// WithSkipBadLines leaves it out.
func encodingInvalidBytes(t *testing.T, s server) {
	fsys, disk := s.freshDir(t, ftpfs.WithEncoding(japanese.ShiftJIS))
	writeDisk(t, filepath.Join(disk, sjisBytes), "good")
	writeDisk(t, filepath.Join(disk, sjisInvalidBytes), "bad")
	t.Cleanup(func() { _ = os.Remove(filepath.Join(disk, sjisInvalidBytes)) }) // before the directory's removal through FTP

	entries, err := fs.ReadDir(fsys.IOFS(), ".")
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Parser != "encoding" || !strings.HasSuffix(pe.Line, sjisInvalidBytes) || !strings.Contains(err.Error(), "not valid Shift JIS") {
		t.Fatalf("ReadDir: %v, want a *parsers.ParseError naming the line not valid in Shift JIS", err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{sjisName}) {
		t.Fatalf("ReadDir = %q, want only %q", names, sjisName)
	}

	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	u = u.JoinPath(filepath.Base(disk))
	u.RawQuery = "encoding=Shift_JIS"
	skipping, err := ftpfs.Dial(context.Background(), u.String(), withTLS(s, ftpfs.WithSkipBadLines())...)
	if err != nil {
		t.Fatal(err)
	}
	defer skipping.Close()
	if names := readDirNames(t, skipping, "."); !slices.Equal(names, []string{sjisName}) {
		t.Fatalf("ReadDir WithSkipBadLines = %q, want only %q", names, sjisName)
	}
}

// TestEncodingProtocol checks on the in-process server what goes over the
// wire: without WithEncoding, OPTS UTF8 ON where the server offers UTF8
// and names as UTF-8 bytes; with it, no OPTS UTF8 and names in the
// encoding.
func TestEncodingProtocol(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	srv := ftpfstest.NewServer(afero.NewBasePathFs(afero.NewOsFs(), t.TempDir()), ftpfstest.WithCommandHook(func(cmd, arg string) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, cmd+" "+arg)
	}))
	t.Cleanup(srv.Close)
	take := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := lines
		lines = nil
		return out
	}
	for _, tc := range []struct {
		opts     []ftpfs.Option
		utf8On   bool
		mkdirArg string
	}{
		{nil, true, "/é"},
		{[]ftpfs.Option{ftpfs.WithEncoding(charmap.ISO8859_1)}, false, "/\xe9"},
	} {
		fsys, err := ftpfs.Dial(context.Background(), srv.URL(), tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if err := fsys.Mkdir("é", 0o755); err != nil {
			t.Fatal(err)
		}
		_ = fsys.RemoveAll("é")
		fsys.Close()
		sent := take()
		if got := slices.Contains(sent, "OPTS UTF8 ON"); got != tc.utf8On {
			t.Errorf("%d options: OPTS UTF8 ON sent: %v, want %v (%q)", len(tc.opts), got, tc.utf8On, sent)
		}
		if !slices.Contains(sent, "MKD "+tc.mkdirArg) {
			t.Errorf("%d options: no MKD %q in %q", len(tc.opts), tc.mkdirArg, sent)
		}
	}
}

// TestEncodingURLParameter checks ?encoding= and its errors.
func TestEncodingURLParameter(t *testing.T) {
	dir := t.TempDir()
	writeDisk(t, filepath.Join(dir, latinBytes), "x")
	srv := ftpfstest.NewServer(afero.NewBasePathFs(afero.NewOsFs(), dir))
	t.Cleanup(srv.Close)
	fsys, err := ftpfs.Dial(context.Background(), srv.URL()+"?encoding=ISO-8859-1")
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if names := readDirNames(t, fsys, "."); !slices.Equal(names, []string{latinName}) {
		t.Fatalf("ReadDir = %q", names)
	}
	if _, err := ftpfs.Dial(context.Background(), srv.URL()+"?encoding=no-such-thing"); err == nil || !strings.Contains(err.Error(), "no-such-thing") {
		t.Fatalf("Dial with an unknown encoding: %v", err)
	}
	if _, err := ftpfs.Dial(context.Background(), srv.URL(), ftpfs.WithEncoding(nil)); err == nil {
		t.Fatal("WithEncoding(nil) accepted")
	}
	if _, err := ftpfs.Dial(context.Background(), srv.URL(), ftpfs.WithEncoding(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM))); err == nil {
		t.Fatal("WithEncoding(UTF-16) accepted: FTP's commands are ASCII")
	}
}

func withTLS(s server, opts ...ftpfs.Option) []ftpfs.Option {
	if s.tls != nil {
		opts = append(opts, ftpfs.WithTLSConfig(s.tls))
	}
	return opts
}

func encodingName(enc encoding.Encoding) string {
	return enc.(interface{ String() string }).String()
}

func mustEncode(t *testing.T, enc encoding.Encoding, name string) string {
	t.Helper()
	b, err := enc.NewEncoder().String(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readDirNames returns the names ReadDir gives for dir; an error is
// reported, and the names read so far returned.
func readDirNames(t *testing.T, fsys afero.Fs, dir string) []string {
	t.Helper()
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		t.Errorf("ReadDir(%q) = %v, want nil", dir, err)
	}
	var names []string
	for _, fi := range infos {
		names = append(names, fi.Name())
	}
	return names
}

// diskNames lists dir on disk, recursively.
func diskNames(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		out = append(out, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// writeDisk and mkdirDisk make files and directories on a server's disk
// that its daemon, running as another user, may remove.
func writeDisk(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(name, 0o666)
}

func mkdirDisk(t *testing.T, name string) {
	t.Helper()
	if err := os.Mkdir(name, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o777); err != nil {
		t.Fatal(err)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
