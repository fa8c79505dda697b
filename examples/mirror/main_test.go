package main

import (
	"errors"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// summary is what one printed summary says.
type summary struct {
	copied, deleted, skipped, dirsMade int
}

var summaryRE = regexp.MustCompile(`(?m)^  copied:     (\d+) files?, .*\n  deleted:    (\d+)\n  skipped:    (\d+)\n  dirs made:  (\d+)\n(?:  errors:     \d+\n)?  time:       \S+`)

// summaries returns the summaries in out, in order.
func summaries(t *testing.T, out string) []summary {
	t.Helper()
	var got []summary
	for _, m := range summaryRE.FindAllStringSubmatch(out, -1) {
		n := make([]int, 4)
		for i := range n {
			v, err := strconv.Atoi(m[i+1])
			if err != nil {
				t.Fatal(err)
			}
			n[i] = v
		}
		got = append(got, summary{n[0], n[1], n[2], n[3]})
	}
	return got
}

// checkSummaries checks that out holds exactly the summaries want.
func checkSummaries(t *testing.T, args []string, out string, want ...summary) {
	t.Helper()
	got := summaries(t, out)
	if len(got) != len(want) {
		t.Errorf("run(%q) printed %d summaries, want %d:\n%s", args, len(got), len(want), out)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run(%q) summary %d = %+v, want %+v; output:\n%s", args, i+1, got[i], want[i], out)
		}
	}
}

// runOK runs the program and fails the test on an error. It returns
// stdout and stderr.
func runOK(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errOut strings.Builder
	if err := run(t.Context(), args, &out, &errOut); err != nil {
		t.Fatalf("run(%q) = %v, want nil; output:\n%s", args, err, out.String())
	}
	return out.String(), errOut.String()
}

// TestDemo runs the embedded demo: a generated tree goes up, and a second
// run transfers nothing. Everything temporary is removed afterwards.
func TestDemo(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where os.MkdirTemp puts both trees
	args := []string{"-quiet"}
	out, errOut := runOK(t, args...)
	checkLines(t, out, []string{
		`^Started an FTP server on 127\.0\.0\.1:\d+, serving .*ftpfs-mirror-remote-`,
		`^Generated 9 files \(959\.7 KiB\) locally, in .*ftpfs-mirror-local-`,
		`^$`,
		`^Run 1: up .*ftpfs-mirror-local-\d+ → ftp://test@127\.0\.0\.1:\d+/$`,
		`^  copied:     9 files, 959\.7 KiB$`,
		`^  time:       \S+ \(\S+ \S+/s\)$`,
		`^$`,
		`^Run 2, with nothing changed: up `,
		`^  copied:     0 files, 0 B$`,
		`^  time:       \S+$`,
	})
	checkSummaries(t, args, out, summary{copied: 9, dirsMade: 8}, summary{skipped: 9})
	if strings.Contains(out, ":"+ftpfstest.DefaultPassword+"@") {
		t.Errorf("run() output shows the password:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("run(-quiet) wrote %q to stderr, want nothing", errOut)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("run() left %v in the temporary directory, want nothing", left)
	}
}

// TestDemoBar runs the demo with its progress bar, written to a buffer.
func TestDemoBar(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	out, bar := runOK(t)
	checkSummaries(t, nil, out, summary{copied: 9, dirsMade: 8}, summary{skipped: 9})
	for _, s := range []string{"0/9 files", "9/9 files", "100%", "960/960 KiB"} {
		if !strings.Contains(bar, s) {
			t.Errorf("run() bar %q does not contain %q", bar, s)
		}
	}
	// One bar, for the first run: its line ends once, when it is full.
	if n := strings.Count(bar, "\n"); n != 1 || !strings.HasSuffix(bar, "\n") {
		t.Errorf("run() bar has %d newlines, want 1, at the end: %q", n, bar)
	}
	if strings.ContainsAny(out, "\r%") {
		t.Errorf("run() stdout has bits of the bar:\n%q", out)
	}
}

// TestDemoDown runs the demo the other way: the tree is generated on
// the server and downloaded.
func TestDemoDown(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	args := []string{"-direction", "down", "-quiet"}
	out, _ := runOK(t, args...)
	checkLines(t, out, []string{
		`^Generated 9 files \(959\.7 KiB\) on the server, in .*ftpfs-mirror-remote-`,
		`^Run 1: down ftp://test@127\.0\.0\.1:\d+/ → .*ftpfs-mirror-local-\d+$`,
	})
	checkSummaries(t, args, out, summary{copied: 9, dirsMade: 8}, summary{skipped: 9})
}

// serveTree starts a server over an in-memory tree, and returns it with
// its backing file system.
func serveTree(t *testing.T, files map[string]string) (*ftpfstest.Server, afero.Fs) {
	t.Helper()
	backing := afero.NewMemMapFs()
	for name, content := range files {
		if err := afero.WriteFile(backing, name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := ftpfstest.NewServer(backing)
	t.Cleanup(srv.Close)
	return srv, backing
}

// localTree writes files below a new temporary directory and returns it.
func localTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readTree returns the files below root, by slash path relative to it,
// with their content; directories as "name/" with no content.
func readTree(t *testing.T, fsys afero.Fs, root string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := afero.Walk(fsys, root, func(p string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if info.IsDir() {
			tree[rel+"/"] = ""
			return nil
		}
		data, err := afero.ReadFile(fsys, p)
		tree[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

var localFiles = map[string]string{
	"index.html":       "<h1>home</h1>\n",
	"css/main.css":     "body { margin: 0 }\n",
	"img/logo.png":     strings.Repeat("\x89PNG", 2000),
	"img/icons/a.svg":  "<svg/>",
	"with space/b.txt": "b",
}

// localWant is localFiles as readTree shows it.
var localWant = map[string]string{
	"index.html": localFiles["index.html"], "css/": "", "css/main.css": localFiles["css/main.css"],
	"img/": "", "img/logo.png": localFiles["img/logo.png"], "img/icons/": "", "img/icons/a.svg": "<svg/>",
	"with space/": "", "with space/b.txt": "b",
}

// writes are the commands that change a server.
var writes = []string{"STOR", "APPE", "STOU", "DELE", "RMD", "MKD", "RNFR", "RNTO", "SITE", "MFMT"}

// TestUpTwice uploads a tree to a server given with -url, then again:
// the second run sends nothing.
func TestUpTwice(t *testing.T) {
	srv, backing := serveTree(t, nil)
	dir := localTree(t, localFiles)
	args := []string{"-url", srv.URL(), "-local", dir, "-quiet", "-parallel", "2"}

	out, _ := runOK(t, args...)
	checkLines(t, out, []string{`^up .* → ftp://test@127\.0\.0\.1:\d+/$`})
	checkSummaries(t, args, out, summary{copied: 5, dirsMade: 4})
	if got := readTree(t, backing, "/"); !maps.Equal(got, localWant) {
		t.Errorf("after run(%q) the server holds %q, want %q", args, got, localWant)
	}

	srv.ResetCommands()
	out, _ = runOK(t, args...)
	checkSummaries(t, args, out, summary{skipped: 5})
	if !strings.Contains(out, "  copied:     0 files, 0 B\n") {
		t.Errorf("second run(%q) output:\n%s\nwant 0 files copied", args, out)
	}
	cmds := srv.Commands()
	for _, verb := range append(writes, "RETR") {
		if cmds[verb] != 0 {
			t.Errorf("second run(%q) sent %s %d times, want 0", args, verb, cmds[verb])
		}
	}
}

// TestDryRun checks that -dry-run reports the work and changes nothing on
// the server.
func TestDryRun(t *testing.T) {
	srv, backing := serveTree(t, map[string]string{"/index.html": "old", "/stale.txt": "gone?"})
	before := readTree(t, backing, "/")
	dir := localTree(t, localFiles)
	args := []string{"-url", srv.URL(), "-local", dir, "-dry-run", "-delete"}

	out, bar := runOK(t, args...) // with the bar, which a dry run never starts
	checkLines(t, out, []string{`^up .* \(dry run: nothing is changed`})
	checkSummaries(t, args, out, summary{copied: 5, deleted: 1, dirsMade: 4})
	if after := readTree(t, backing, "/"); !maps.Equal(after, before) {
		t.Errorf("after run(%q) the server holds %q, want it unchanged: %q", args, after, before)
	}
	cmds := srv.Commands()
	for _, verb := range writes {
		if cmds[verb] != 0 {
			t.Errorf("run(%q) sent %s %d times, want 0", args, verb, cmds[verb])
		}
	}
	if bar != "" {
		t.Errorf("run(%q) drew a bar: %q, want none", args, bar)
	}
}

// TestDelete checks that only -delete removes what the local tree lacks.
func TestDelete(t *testing.T) {
	srv, backing := serveTree(t, map[string]string{"/stale.txt": "x", "/old/deep/y.txt": "y"})
	dir := localTree(t, localFiles)
	args := []string{"-url", srv.URL(), "-local", dir, "-quiet"}

	out, _ := runOK(t, args...)
	checkSummaries(t, args, out, summary{copied: 5, dirsMade: 4})
	tree := readTree(t, backing, "/")
	for _, name := range []string{"stale.txt", "old/deep/y.txt"} {
		if _, ok := tree[name]; !ok {
			t.Errorf("run(%q) removed %s, want it kept without -delete", args, name)
		}
	}

	args = append(args, "-delete")
	out, _ = runOK(t, args...)
	checkSummaries(t, args, out, summary{deleted: 2, skipped: 5})
	if got := readTree(t, backing, "/"); !maps.Equal(got, localWant) {
		t.Errorf("after run(%q) the server holds %q, want %q", args, got, localWant)
	}
}

// TestDown downloads a tree into a directory that does not exist yet,
// then again, then with -delete after a local file is added.
func TestDown(t *testing.T) {
	srv, _ := serveTree(t, map[string]string{
		"/README":         "read me\n",
		"/pub/a.txt":      "a",
		"/pub/deep/x.bin": strings.Repeat("x", 70000),
	})
	dir := filepath.Join(t.TempDir(), "copy")
	args := []string{"-url", srv.URL(), "-local", dir, "-direction", "down", "-quiet"}
	want := map[string]string{
		"README": "read me\n", "pub/": "", "pub/a.txt": "a", "pub/deep/": "", "pub/deep/x.bin": strings.Repeat("x", 70000),
	}

	out, _ := runOK(t, args...)
	checkLines(t, out, []string{`^down ftp://test@127\.0\.0\.1:\d+/ → .*copy$`})
	checkSummaries(t, args, out, summary{copied: 3, dirsMade: 3}) // copy, pub, pub/deep
	if got := readTree(t, afero.NewOsFs(), dir); !maps.Equal(got, want) {
		t.Errorf("after run(%q) %s holds %q, want %q", args, dir, got, want)
	}

	srv.ResetCommands()
	out, _ = runOK(t, args...)
	checkSummaries(t, args, out, summary{skipped: 3})
	if n := srv.Commands()["RETR"]; n != 0 {
		t.Errorf("second run(%q) sent RETR %d times, want 0", args, n)
	}

	if err := os.WriteFile(filepath.Join(dir, "pub", "extra.txt"), []byte("local only"), 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, "-delete")
	out, _ = runOK(t, args...)
	checkSummaries(t, args, out, summary{deleted: 1, skipped: 3})
	if got := readTree(t, afero.NewOsFs(), dir); !maps.Equal(got, want) {
		t.Errorf("after run(%q) %s holds %q, want %q", args, dir, got, want)
	}
}

// TestDownTemp downloads from -url without -local: into a temporary
// directory, which is kept and named.
func TestDownTemp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	srv, _ := serveTree(t, map[string]string{"/a.txt": "a"})
	args := []string{"-url", srv.URL(), "-direction", "down", "-quiet"}
	out, _ := runOK(t, args...)
	m := regexp.MustCompile(`(?m)^Downloading into (.*ftpfs-mirror-local-\d+) \(kept afterwards\)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("run(%q) output:\n%s\nwant a line naming the directory", args, out)
	}
	if got, err := os.ReadFile(filepath.Join(m[1], "a.txt")); err != nil || string(got) != "a" {
		t.Errorf("after run(%q) a.txt holds %q, %v; want \"a\"", args, got, err)
	}
}

// TestEmptyFiles checks the bar for a tree of empty files: it counts
// files, since there are no bytes.
func TestEmptyFiles(t *testing.T) {
	srv, _ := serveTree(t, nil)
	dir := localTree(t, map[string]string{"a": "", "b/c": ""})
	args := []string{"-url", srv.URL(), "-local", dir}
	out, bar := runOK(t, args...)
	checkSummaries(t, args, out, summary{copied: 2, dirsMade: 1})
	for _, s := range []string{"2/2 files", "100%", "(2/2)"} {
		if !strings.Contains(bar, s) {
			t.Errorf("run(%q) bar %q does not contain %q", args, bar, s)
		}
	}
}

// TestErrors checks that bad input comes back as an error, for main to
// print on stderr.
func TestErrors(t *testing.T) {
	srv, _ := serveTree(t, nil)
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(srv.User(), "s3cret-Pw")
	badLogin := u.String()
	missing := filepath.Join(t.TempDir(), "missing")

	tests := []struct {
		args []string
		want string // substring of the error
		is   error  // what the error must match, if not nil
	}{
		{args: []string{"-nope"}, want: "flag provided but not defined: -nope"},
		{args: []string{"-parallel", "many"}, want: "invalid value"},
		{args: []string{"-parallel", "0"}, want: "-parallel 0: want at least 1"},
		{args: []string{"-direction", "sideways"}, want: `-direction "sideways": want "up" or "down"`},
		{args: []string{"-dry-run=maybe"}, want: "invalid boolean value"},
		{args: []string{"extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-url", srv.URL()}, want: "needs -local"},
		{args: []string{"-url", "http://example.com/", "-local", "."}, want: "scheme"},
		{args: []string{"-url", badLogin, "-local", ".", "-quiet"}, is: ftpfs.ErrLogin},
		{args: []string{"-url", srv.URL(), "-local", missing, "-quiet"}, want: "missing", is: fs.ErrNotExist},
	}
	for _, tt := range tests {
		var out, errOut strings.Builder
		err := run(t.Context(), tt.args, &out, &errOut)
		switch {
		case err == nil:
			t.Errorf("run(%q) = nil, want an error", tt.args)
		case !strings.Contains(err.Error(), tt.want):
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		case tt.is != nil && !errors.Is(err, tt.is):
			t.Errorf("run(%q) = %v, want an error matching %v", tt.args, err, tt.is)
		case strings.Contains(err.Error(), "s3cret-Pw"):
			t.Errorf("run(%q) = %v, which shows the password", tt.args, err)
		}
	}
}

func TestHelp(t *testing.T) {
	out, _ := runOK(t, "-h")
	for _, s := range []string{"usage: mirror", "-url", "-local", "-direction", "-dry-run", "-delete", "-parallel", "-quiet"} {
		if !strings.Contains(out, s) {
			t.Errorf("run(-h) output = %q, want it to contain %q", out, s)
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

// denyWrites refuses to create files whose names contain deny.
type denyWrites struct {
	afero.Fs
	deny string
}

func (d denyWrites) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 && strings.Contains(name, d.deny) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.Fs.OpenFile(name, flag, perm)
}

func (d denyWrites) Create(name string) (afero.File, error) {
	return d.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// TestFailedUpload checks that a file the server refuses is counted and
// reported after the summary, and that the rest is copied.
func TestFailedUpload(t *testing.T) {
	srv := ftpfstest.NewServer(denyWrites{Fs: afero.NewMemMapFs(), deny: "logo"})
	t.Cleanup(srv.Close)
	dir := localTree(t, localFiles)
	args := []string{"-url", srv.URL(), "-local", dir}
	var out, bar strings.Builder
	err := run(t.Context(), args, &out, &bar)
	if err == nil || !strings.Contains(err.Error(), "logo.png") {
		t.Errorf("run(%q) = %v, want an error naming logo.png", args, err)
	}
	checkSummaries(t, args, out.String(), summary{copied: 4, dirsMade: 4})
	if !strings.Contains(out.String(), "\n  errors:     1\n") {
		t.Errorf("run(%q) output:\n%s\nwant a line of 1 error", args, out.String())
	}
	if b := bar.String(); strings.Count(b, "\n") != 1 || !strings.HasSuffix(b, "\n") || strings.Contains(b, "100%") {
		t.Errorf("run(%q) bar = %q, want one line, not full", args, b)
	}
}

// TestResume: a download that an earlier run left half done (its partial
// file, named after the remote file's size and time, holds the first
// half) is continued with REST by -resume, and completed.
func TestResume(t *testing.T) {
	content := strings.Repeat("0123456789", 20000)
	srv, _ := serveTree(t, map[string]string{"/big.bin": content})
	remote, err := ftpfs.Dial(t.Context(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	info, err := remote.Stat("big.bin")
	_ = remote.Close()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	part := filepath.Join(dir, ".big.bin.ftpfs-part-"+strconv.FormatInt(info.Size(), 10)+"-"+strconv.FormatInt(info.ModTime().UnixNano(), 10))
	if err := os.WriteFile(part, []byte(content[:70000]), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-url", srv.URL(), "-local", dir, "-direction", "down", "-quiet", "-resume"}
	srv.ResetCommands()
	runOK(t, args...)
	if got, err := os.ReadFile(filepath.Join(dir, "big.bin")); err != nil || string(got) != content {
		t.Fatalf("after run(%q): %d bytes, %v; want the file", args, len(got), err)
	}
	if n := srv.Commands()["REST"]; n != 1 {
		t.Errorf("run(%q) sent REST %d times, want 1 (the download continued)", args, n)
	}
	if _, err := os.Stat(part); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the partial file is still there: %v", err)
	}
}
