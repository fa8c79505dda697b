package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestDemo runs the program against its embedded server: the tree is
// fixed, so the whole output is.
func TestDemo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{
			args: nil,
			want: `Wrote 9 files to an embedded FTP server.

      SIZE  FILES  DIRECTORY
 263.7 KiB      9  .
 240.0 KiB      3  logs
 200.0 KiB      2  logs/2025
  40.0 KiB      1  logs/2026
  19.5 KiB      3  docs
  16.5 KiB      2  docs/api
   3.0 KiB      2  src
   1.0 KiB      1  src/util
       0 B      0  empty
`,
		},
		{
			args: []string{"-max-depth", "1"},
			want: `Wrote 9 files to an embedded FTP server.

      SIZE  FILES  DIRECTORY
 263.7 KiB      9  .
 240.0 KiB      3  logs
  19.5 KiB      3  docs
   3.0 KiB      2  src
       0 B      0  empty
`,
		},
		{
			args: []string{"-max-depth", "0"},
			want: `Wrote 9 files to an embedded FTP server.

      SIZE  FILES  DIRECTORY
 263.7 KiB      9  .
`,
		},
	}
	for _, tt := range tests {
		var out strings.Builder
		if err := run(t.Context(), tt.args, &out); err != nil {
			t.Fatalf("run(%q) = %v, want nil; output:\n%s", tt.args, err, out.String())
		}
		if got := out.String(); got != tt.want {
			t.Errorf("run(%q) output:\n%s\nwant:\n%s", tt.args, got, tt.want)
		}
	}
}

// serveTree starts a server over an in-memory tree.
func serveTree(t *testing.T, backing afero.Fs, files map[string]int) *ftpfstest.Server {
	t.Helper()
	for name, size := range files {
		if err := afero.WriteFile(backing, name, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := ftpfstest.NewServer(backing)
	t.Cleanup(srv.Close)
	return srv
}

var remoteTree = map[string]int{
	"/a.txt":           100,
	"/pub/b.bin":       3000,
	"/pub/deep/er/c":   2 << 20,
	"/pub/with space":  1,
	"/secret/hidden.z": 5,
}

// TestURL summarises a server given with -url: it lists each directory
// once and changes nothing.
func TestURL(t *testing.T) {
	srv := serveTree(t, afero.NewMemMapFs(), remoteTree)
	var out strings.Builder
	if err := run(t.Context(), []string{"-url", srv.URL()}, &out); err != nil {
		t.Fatalf("run(-url) = %v, want nil; output:\n%s", err, out.String())
	}
	want := `      SIZE  FILES  DIRECTORY
   2.0 MiB      5  .
   2.0 MiB      3  pub
   2.0 MiB      1  pub/deep
   2.0 MiB      1  pub/deep/er
       5 B      1  secret
`
	if got := out.String(); got != want {
		t.Errorf("run(-url) output:\n%s\nwant:\n%s", got, want)
	}
	cmds := srv.Commands()
	if n := cmds["MLSD"] + cmds["LIST"]; n != 5 {
		t.Errorf("run(-url) sent %d listings, want 5, one per directory (commands %v)", n, cmds)
	}
	for _, verb := range []string{"STOR", "APPE", "DELE", "RMD", "MKD", "RNFR", "SITE", "MFMT", "RETR"} {
		if cmds[verb] != 0 {
			t.Errorf("run(-url) sent %s %d times, want 0", verb, cmds[verb])
		}
	}
}

// denyFs refuses to open one directory, so the server cannot list it.
type denyFs struct {
	afero.Fs
	deny string
}

func (d denyFs) Open(name string) (afero.File, error) {
	if name == d.deny {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.Fs.Open(name)
}

func (d denyFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if name == d.deny {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.Fs.OpenFile(name, flag, perm)
}

// TestUnlistable checks that a directory the server will not list is
// reported, as an error for main to print, after the totals of the rest.
func TestUnlistable(t *testing.T) {
	srv := serveTree(t, denyFs{Fs: afero.NewMemMapFs(), deny: "/secret"}, remoteTree)
	var out strings.Builder
	err := run(t.Context(), []string{"-url", srv.URL(), "-max-depth", "1"}, &out)
	if err == nil || !strings.Contains(err.Error(), "secret") {
		t.Errorf("run() = %v, want an error naming secret", err)
	}
	want := `      SIZE  FILES  DIRECTORY
   2.0 MiB      4  .
   2.0 MiB      3  pub
       0 B      0  secret
`
	if got := out.String(); got != want {
		t.Errorf("run() output:\n%s\nwant:\n%s", got, want)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string // substring of the error
	}{
		{args: []string{"-nope"}, want: "flag provided but not defined: -nope"},
		{args: []string{"-max-depth", "deep"}, want: "invalid value"},
		{args: []string{"extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-url", "http://example.com/"}, want: "scheme"},
	}
	for _, tt := range tests {
		var out strings.Builder
		err := run(t.Context(), tt.args, &out)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
	// A URL that names a file summarises that file.
	srv := serveTree(t, afero.NewMemMapFs(), remoteTree)
	var out strings.Builder
	if err := run(t.Context(), []string{"-url", srv.URL() + "pub/b.bin"}, &out); err != nil {
		t.Errorf("run(-url .../pub/b.bin) = %v, want nil", err)
	}
	if want := "   2.9 KiB      1  .\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("run(-url .../pub/b.bin) output:\n%s\nwant it to end with:\n%s", out.String(), want)
	}

	// A missing top directory is an error, not an empty summary.
	out.Reset()
	err := run(t.Context(), []string{"-url", srv.URL() + "missing"}, &out)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("run(-url .../missing) = %v, want an error matching fs.ErrNotExist; output:\n%s", err, out.String())
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), []string{"-h"}, &out); err != nil {
		t.Fatalf("run(-h) = %v, want nil", err)
	}
	for _, s := range []string{"usage: walk", "-url", "-max-depth"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("run(-h) output = %q, want it to contain %q", out.String(), s)
		}
	}
}
