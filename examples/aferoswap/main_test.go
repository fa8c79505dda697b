package main

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestDemo runs the program against its embedded server, whose logs
// have fixed names and times, so the whole output is fixed.
func TestDemo(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), nil, &out); err != nil {
		t.Fatalf("run() = %v, want nil; output:\n%s", err, out.String())
	}
	want := `Uploaded a week of logs to logs on an embedded FTP server.
Before, logs holds:
  2025-03-01 23:59     24 B  README.txt
  2025-03-01 23:59     33 B  app-2025-03-01.log
  2025-03-02 23:59     33 B  app-2025-03-02.log
  2025-03-03 23:59     33 B  app-2025-03-03.log
  2025-03-04 23:59     33 B  app-2025-03-04.log
  2025-03-05 23:59     33 B  app-2025-03-05.log
  2025-03-06 23:59     33 B  app-2025-03-06.log
  2025-03-07 23:59     33 B  app-2025-03-07.log
Rotate kept the 3 newest logs and removed 4:
  logs/app-2025-03-04.log
  logs/app-2025-03-03.log
  logs/app-2025-03-02.log
  logs/app-2025-03-01.log
After, logs holds:
  2025-03-01 23:59     24 B  README.txt
  2025-03-05 23:59     33 B  app-2025-03-05.log
  2025-03-06 23:59     33 B  app-2025-03-06.log
  2025-03-07 23:59     33 B  app-2025-03-07.log
`
	if got := out.String(); got != want {
		t.Errorf("run() output:\n%s\nwant:\n%s", got, want)
	}
}

// serveLogs starts a server over an in-memory directory of logs, dated
// on the server's side.
func serveLogs(t *testing.T, opts ...ftpfstest.Option) (afero.Fs, *ftpfstest.Server) {
	t.Helper()
	backing := afero.NewMemMapFs()
	base := time.Date(2024, time.June, 1, 8, 30, 0, 0, time.UTC)
	files := []struct {
		name string
		when time.Time
	}{
		{"/var/log/b.log", base.Add(3 * time.Hour)},
		{"/var/log/a.log", base.Add(2 * time.Hour)},
		{"/var/log/c.log", base.Add(1 * time.Hour)},
		{"/var/log/keep.txt", base},
	}
	for _, f := range files {
		if err := afero.WriteFile(backing, f.name, []byte("log\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := backing.Chtimes(f.name, f.when, f.when); err != nil {
			t.Fatal(err)
		}
	}
	srv := ftpfstest.NewServer(backing, opts...)
	t.Cleanup(srv.Close)
	return backing, srv
}

// left lists dir in the backing file system.
func left(t *testing.T, backing afero.Fs, dir string) []string {
	t.Helper()
	infos, err := afero.ReadDir(backing, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, info := range infos {
		names = append(names, info.Name())
	}
	return names
}

// TestURL runs Rotate through FTP on a server given with -url. Over MLSD
// times are exact to the second; over LIST the server shows a year
// instead of a time for old files, so the three logs tie and Rotate orders
// them by name.
func TestURL(t *testing.T) {
	tests := []struct {
		name       string
		opts       []ftpfstest.Option
		wantRemove string
		wantLeft   []string
	}{
		{name: "MLSD", wantRemove: "var/log/c.log", wantLeft: []string{"a.log", "b.log", "keep.txt"}},
		{name: "LIST", opts: []ftpfstest.Option{ftpfstest.WithoutMLSD()}, wantRemove: "var/log/a.log", wantLeft: []string{"b.log", "c.log", "keep.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backing, srv := serveLogs(t, tt.opts...)
			args := []string{"-url", srv.URL(), "-dir", "var/log", "-keep", "2"}
			var out strings.Builder
			if err := run(t.Context(), args, &out); err != nil {
				t.Fatalf("run(%q) = %v, want nil; output:\n%s", args, err, out.String())
			}
			if !strings.Contains(out.String(), "removed 1:\n  "+tt.wantRemove+"\n") {
				t.Errorf("run(%q) output does not say it removed %s:\n%s", args, tt.wantRemove, out.String())
			}
			if got := left(t, backing, "/var/log"); !slices.Equal(got, tt.wantLeft) {
				t.Errorf("after run(%q) the server holds %q, want %q", args, got, tt.wantLeft)
			}
			if n := srv.Commands()["DELE"]; n != 1 {
				t.Errorf("run(%q) sent DELE %d times, want 1", args, n)
			}
		})
	}
}

func TestDryRun(t *testing.T) {
	backing, srv := serveLogs(t)
	args := []string{"-url", srv.URL(), "-dir", "var/log", "-keep", "1", "-dry-run"}
	var out strings.Builder
	if err := run(t.Context(), args, &out); err != nil {
		t.Fatalf("run(%q) = %v, want nil; output:\n%s", args, err, out.String())
	}
	if !strings.Contains(out.String(), "would keep the 1 newest logs and remove 2:\n  var/log/a.log\n  var/log/c.log\n") {
		t.Errorf("run(%q) output does not give the plan:\n%s", args, out.String())
	}
	if got := left(t, backing, "/var/log"); len(got) != 4 {
		t.Errorf("after run(%q) the server holds %q, want all 4 files", args, got)
	}
	for _, verb := range []string{"DELE", "RMD", "STOR", "MFMT", "RNFR"} {
		if n := srv.Commands()[verb]; n != 0 {
			t.Errorf("run(%q) sent %s %d times, want 0", args, verb, n)
		}
	}
}

func TestErrors(t *testing.T) {
	_, srv := serveLogs(t)
	tests := []struct {
		args []string
		want string // substring of the error
		is   error  // what the error must match, if not nil
	}{
		{args: []string{"-nope"}, want: "flag provided but not defined: -nope"},
		{args: []string{"-keep", "all"}, want: "invalid value"},
		{args: []string{"extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-url", "http://example.com/"}, want: "scheme"},
		{args: []string{"-url", srv.URL(), "-dir", "nope"}, want: "nope", is: fs.ErrNotExist},
		{args: []string{"-url", srv.URL(), "-dir", "var/log", "-keep", "-1"}, want: "must not be negative"},
	}
	for _, tt := range tests {
		var out strings.Builder
		err := run(t.Context(), tt.args, &out)
		switch {
		case err == nil:
			t.Errorf("run(%q) = nil, want an error", tt.args)
		case !strings.Contains(err.Error(), tt.want):
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		case tt.is != nil && !errors.Is(err, tt.is):
			t.Errorf("run(%q) = %v, want an error matching %v", tt.args, err, tt.is)
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), []string{"-h"}, &out); err != nil {
		t.Fatalf("run(-h) = %v, want nil", err)
	}
	for _, s := range []string{"usage: aferoswap", "-url", "-dir", "-keep", "-dry-run"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("run(-h) output = %q, want it to contain %q", out.String(), s)
		}
	}
}
