package main

import (
	"errors"
	"io"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestDemo runs the tour against its embedded server and checks the key
// lines, and that it cleans up after itself.
func TestDemo(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where os.MkdirTemp puts the served directory
	var out strings.Builder
	if err := run(t.Context(), nil, &out); err != nil {
		t.Fatalf("run() = %v, want nil; output:\n%s", err, out.String())
	}
	got := out.String()
	wantLines := []string{
		`^1\. Started an FTP server on 127\.0\.0\.1:\d+, serving .*ftpfs-quickstart-`,
		`^2\. Mounted ftp://test@127\.0\.0\.1:\d+/ with ftpfs\.Dial$`,
		`^3\. Made docs/notes/ and wrote 3 files$`,
		`^4\. Listed the top directory`,
		`^   docs/ +dir `,
		`^   hello\.txt +17 B `,
		`^5\. Walked the tree`,
		`^     docs/ +dir `,
		`^       guide\.md +50 B `,
		`^       notes/ +dir `,
		`^         todo\.txt +20 B `,
		`^     hello\.txt +17 B `,
		`^6\. .*GET /hello\.txt → 200 OK, 17 bytes: "hello from ftpfs\\n"$`,
		`^7\. Done\.`,
	}
	checkLines(t, got, wantLines)
	if strings.Contains(got, ":"+ftpfstest.DefaultPassword+"@") {
		t.Errorf("run() output shows the password:\n%s", got)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("run() left %v in the temporary directory, want nothing", left)
	}
}

// serveTree starts a server over an in-memory tree.
func serveTree(t *testing.T, files map[string]string) *ftpfstest.Server {
	t.Helper()
	backing := afero.NewMemMapFs()
	for name, content := range files {
		if err := afero.WriteFile(backing, name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := ftpfstest.NewServer(backing)
	t.Cleanup(srv.Close)
	return srv
}

var remoteTree = map[string]string{
	"/README":             "read me\n",
	"/pub/a.txt":          "a",
	"/pub/b.txt":          "bb",
	"/pub/deep/er/x.bin":  strings.Repeat("x", 3000),
	"/pub/with space.txt": "s",
	"/zzz.txt":            "z",
}

// TestURL runs the read-only mode against a server: it lists and walks,
// honours -max and -depth, and sends no command that changes anything.
// (How many listings reach the server is not checked here: ftpfs
// prefetches subdirectories in the background, so that depends on timing;
// TestWalkDepth checks what the walk itself reads.)
func TestURL(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string // regexps, each matching a line, in order
		notWant []string // substrings no line may contain
	}{
		{
			name: "defaults",
			want: []string{
				`^Mounted ftp://test@127\.0\.0\.1:\d+/$`,
				`^Top directory:$`,
				`^   README +8 B `,
				`^   pub/ +dir `,
				`^   zzz\.txt +1 B `,
				`^Tree:$`,
				`^     pub/ +dir `,
				`^       a\.txt +1 B `,
				`^       deep/ +dir `,
				`^         er/ +dir `, // depth 3: shown, not entered
				`^       with space\.txt +1 B `,
			},
			notWant: []string{"x.bin", "stopped", "more"},
		},
		{
			name: "max",
			args: []string{"-max", "2"},
			want: []string{
				`^   README `, `^   pub/ `, `^   … and 1 more$`,
				`^     README `, `^     pub/ `, `^       … stopped after 2 entries \(see -max\)$`,
			},
			notWant: []string{"zzz.txt", "a.txt"},
		},
		{
			name:    "depth 1",
			args:    []string{"-depth", "1"},
			want:    []string{`^     README `, `^     pub/ `, `^     zzz\.txt `},
			notWant: []string{"a.txt"},
		},
		{
			name:    "no limits",
			args:    []string{"-depth", "0", "-max", "0"},
			want:    []string{`^           x\.bin +2\.9 KiB `, `^     zzz\.txt `},
			notWant: []string{"stopped", "more"},
		},
	}
	readOnly := []string{"STOR", "APPE", "STOU", "DELE", "RMD", "MKD", "RNFR", "RNTO", "SITE", "MFMT"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveTree(t, remoteTree)
			args := append([]string{"-url", srv.URL()}, tt.args...)
			var out strings.Builder
			if err := run(t.Context(), args, &out); err != nil {
				t.Fatalf("run(%q) = %v, want nil; output:\n%s", tt.args, err, out.String())
			}
			got := out.String()
			checkLines(t, got, tt.want)
			for _, s := range tt.notWant {
				if strings.Contains(got, s) {
					t.Errorf("run(%q) output contains %q, want it not to:\n%s", tt.args, s, got)
				}
			}
			cmds := srv.Commands()
			for _, verb := range readOnly {
				if cmds[verb] != 0 {
					t.Errorf("run(%q) sent %s %d times, want 0 (read-only mode)", tt.args, verb, cmds[verb])
				}
			}
		})
	}
}

// readDirRecorder is an fs.FS that records the directories read through it.
type readDirRecorder struct {
	fs.FS
	read []string
}

func (r *readDirRecorder) ReadDir(name string) ([]fs.DirEntry, error) {
	r.read = append(r.read, name)
	return fs.ReadDir(r.FS, name)
}

// TestWalkDepth checks that walk reads no directory below -depth.
func TestWalkDepth(t *testing.T) {
	srv := serveTree(t, remoteTree)
	fsys, err := ftpfs.Dial(t.Context(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	tests := []struct {
		depth int
		want  []string
	}{
		{depth: 1, want: []string{"."}},
		{depth: 2, want: []string{".", "pub"}},
		{depth: 3, want: []string{".", "pub", "pub/deep"}},
		{depth: 0, want: []string{".", "pub", "pub/deep", "pub/deep/er"}},
	}
	for _, tt := range tests {
		rec := &readDirRecorder{FS: fsys.IOFS()}
		if err := walk(rec, 0, tt.depth, io.Discard); err != nil {
			t.Fatalf("walk(depth %d) = %v, want nil", tt.depth, err)
		}
		if !slices.Equal(rec.read, tt.want) {
			t.Errorf("walk(depth %d) read %q, want %q", tt.depth, rec.read, tt.want)
		}
	}
}

// TestErrors checks that bad input comes back as an error, for main to
// print on stderr.
func TestErrors(t *testing.T) {
	srv := serveTree(t, remoteTree)
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(srv.User(), "s3cret-Pw")
	badLogin := u.String()

	tests := []struct {
		args []string
		want string // substring of the error
		is   error  // what the error must match, if not nil
	}{
		{args: []string{"-nope"}, want: "flag provided but not defined: -nope"},
		{args: []string{"-max", "many"}, want: "invalid value"},
		{args: []string{"extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-url", "http://example.com/"}, want: "scheme"},
		{args: []string{"-url", badLogin}, is: ftpfs.ErrLogin},
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
		case err != nil && strings.Contains(err.Error(), "s3cret-Pw"):
			t.Errorf("run(%q) = %v, which shows the password", tt.args, err)
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), []string{"-h"}, &out); err != nil {
		t.Fatalf("run(-h) = %v, want nil", err)
	}
	for _, s := range []string{"usage: quickstart", "-url", "-max", "-depth"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("run(-h) output = %q, want it to contain %q", out.String(), s)
		}
	}
}

// checkLines checks that each regexp matches a line of out, in order.
func checkLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	i := 0
	for _, w := range want {
		re := regexp.MustCompile(w)
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			t.Errorf("output has no line matching %q after the ones before it:\n%s", w, out)
			return
		}
		i++
	}
}
