package sync_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// sourceTree is the source of most mirror tests, under /src.
var sourceTree = map[string]string{
	"a.txt":                     "alpha",
	"b.txt":                     "bravo",
	"docs/readme.md":            "readme",
	"docs/img/logo.png":         "png",
	"build/out.o":               "obj",
	"empty/":                    "",
	".x.ftpfs-tmp-0123456789ab": "a temporary file of another run",
}

// sourceBytes is the size of sourceTree's files, temporary file aside.
const sourceBytes = 5 + 5 + 6 + 3 + 3

// makeTree writes files (a name ending in "/" is a directory) under root,
// all with the time mtime.
func makeTree(t testing.TB, fsys afero.Fs, root string, files map[string]string, mtime time.Time) {
	t.Helper()
	for name, content := range files {
		p := root + "/" + name
		if strings.HasSuffix(name, "/") {
			if err := fsys.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		put(t, fsys, p, content, mtime)
	}
}

// sourceWant is the destination tree after a full mirror of sourceTree.
var sourceWant = []string{
	"a.txt=alpha", "b.txt=bravo", "build/", "build/out.o=obj",
	"docs/", "docs/img/", "docs/img/logo.png=png", "docs/readme.md=readme", "empty/",
}

func TestMirror(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	makeTree(t, src, "/src", sourceTree, base)

	stats, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src")
	want := ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 5}
	if err != nil || stats != want {
		t.Fatalf("Mirror = %+v, %v, want %+v, nil", stats, err, want)
	}
	if got := tree(t, dst, "/dst"); !slices.Equal(got, sourceWant) {
		t.Errorf("destination = %q, want %q", got, sourceWant)
	}
	if got := mtime(t, dst, "/dst/docs/img/logo.png"); !got.Equal(base) {
		t.Errorf("mtime of a copy = %v, want %v", got, base)
	}

	stats, err = ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src")
	if want := (ftpsync.Stats{Skipped: 5}); err != nil || stats != want {
		t.Errorf("second Mirror = %+v, %v, want %+v, nil", stats, err, want)
	}

	put(t, src, "/src/b.txt", "BRAVO", base.Add(time.Hour))          // newer
	put(t, src, "/src/docs/readme.md", "README!", base)              // other size
	put(t, src, "/src/a.txt", "older", base.Add(-time.Hour))         // older than its copy
	put(t, src, "/src/docs/new.txt", "new", base.Add(-24*time.Hour)) // new, if old
	put(t, src, "/src/build/out.o", "object", base.Add(-time.Hour))  // older than its copy, other size
	put(t, dst, "/dst/docs/img/logo.png", "pn", base.Add(time.Hour)) // a partial copy left by a crash
	stats, err = ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src")
	if want := (ftpsync.Stats{Copied: 5, Bytes: 5 + 7 + 3 + 6 + 3, Skipped: 1}); err != nil || stats != want {
		t.Errorf("Mirror after changes = %+v, %v, want %+v, nil", stats, err, want)
	}
	for name, want := range map[string]string{"a.txt": "alpha", "build/out.o": "object", "docs/img/logo.png": "png"} {
		if got := get(t, dst, "/dst/"+name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestMirrorOptions(t *testing.T) {
	tests := []struct {
		name      string
		dst       map[string]string // the destination before, under /dst
		opts      []ftpsync.Option
		want      ftpsync.Stats
		wantTree  []string // nil: sourceWant
		wantError error
	}{
		{
			name: "delete",
			dst:  map[string]string{"old.txt": "x", "olddir/x": "x", "docs/gone.md": "x"},
			opts: []ftpsync.Option{ftpsync.WithDelete()},
			want: ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 3, Deleted: 3},
		},
		{
			name:     "without delete, extras stay",
			dst:      map[string]string{"old.txt": "x", "olddir/x": "x"},
			want:     ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4},
			wantTree: addTree(sourceWant, "old.txt=x", "olddir/", "olddir/x=x"),
		},
		{
			name:     "exclude a directory",
			opts:     []ftpsync.Option{ftpsync.WithExclude("build")},
			want:     ftpsync.Stats{Copied: 4, Bytes: sourceBytes - 3, DirsMade: 3},
			wantTree: dropTree(sourceWant, "build/", "build/out.o=obj"),
		},
		{
			name:     "excluded names survive delete",
			dst:      map[string]string{"build/keep.o": "k", "c.txt": "x"},
			opts:     []ftpsync.Option{ftpsync.WithDelete(), ftpsync.WithExclude("build", "c.*")},
			want:     ftpsync.Stats{Copied: 4, Bytes: sourceBytes - 3, DirsMade: 3},
			wantTree: addTree(dropTree(sourceWant, "build/out.o=obj"), "build/keep.o=k", "c.txt=x"),
		},
		{
			name:     "include by base name",
			opts:     []ftpsync.Option{ftpsync.WithInclude("*.md", "*.png")},
			want:     ftpsync.Stats{Copied: 2, Bytes: 6 + 3, DirsMade: 4},
			wantTree: []string{"build/", "docs/", "docs/img/", "docs/img/logo.png=png", "docs/readme.md=readme", "empty/"},
		},
		{
			name:     "include by path",
			opts:     []ftpsync.Option{ftpsync.WithInclude("docs/*", "/a.txt")},
			want:     ftpsync.Stats{Copied: 2, Bytes: 6 + 5, DirsMade: 4},
			wantTree: []string{"a.txt=alpha", "build/", "docs/", "docs/img/", "docs/readme.md=readme", "empty/"},
		},
		{
			name:     "include with delete leaves other files",
			dst:      map[string]string{"zzz.bin": "z", "gone.txt": "g"},
			opts:     []ftpsync.Option{ftpsync.WithInclude("*.txt"), ftpsync.WithDelete()},
			want:     ftpsync.Stats{Copied: 2, Bytes: 10, DirsMade: 4, Deleted: 1},
			wantTree: []string{"a.txt=alpha", "b.txt=bravo", "build/", "docs/", "docs/img/", "empty/", "zzz.bin=z"},
		},
		{
			name:     "dry run",
			dst:      map[string]string{"old.txt": "x"},
			opts:     []ftpsync.Option{ftpsync.WithDryRun(), ftpsync.WithDelete()},
			want:     ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4, Deleted: 1},
			wantTree: []string{"old.txt=x"},
		},
		{
			name:      "a file where the source has a directory",
			dst:       map[string]string{"docs": "a file"},
			want:      ftpsync.Stats{Copied: 3, Bytes: 5 + 5 + 3, DirsMade: 2, Errors: 1},
			wantTree:  []string{"a.txt=alpha", "b.txt=bravo", "build/", "build/out.o=obj", "docs=a file", "empty/"},
			wantError: ftpsync.ErrTypeConflict,
		},
		{
			name: "a file where the source has a directory, with delete",
			dst:  map[string]string{"docs": "a file"},
			opts: []ftpsync.Option{ftpsync.WithDelete()},
			want: ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4, Deleted: 1},
		},
		{
			name:      "a directory where the source has a file",
			dst:       map[string]string{"a.txt/inner": "x"},
			want:      ftpsync.Stats{Copied: 4, Bytes: sourceBytes - 5, DirsMade: 4, Errors: 1},
			wantTree:  addTree(dropTree(sourceWant, "a.txt=alpha"), "a.txt/", "a.txt/inner=x"),
			wantError: ftpsync.ErrTypeConflict,
		},
		{
			name: "a directory where the source has a file, with delete",
			dst:  map[string]string{"a.txt/inner": "x"},
			opts: []ftpsync.Option{ftpsync.WithDelete()},
			want: ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4, Deleted: 1},
		},
		{
			name: "stale temporary files go, even without delete",
			dst:  map[string]string{".a.txt.ftpfs-tmp-00112233aabb": "part", "docs/.readme.md.ftpfs-tmp-ffeeddccbbaa": "part"},
			want: ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 3, Deleted: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
			makeTree(t, src, "/src", sourceTree, base)
			if err := dst.Mkdir("/dst", 0o755); err != nil {
				t.Fatal(err)
			}
			makeTree(t, dst, "/dst", tt.dst, base.Add(-time.Hour))
			stats, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src", tt.opts...)
			if stats != tt.want {
				t.Errorf("Mirror stats = %+v, want %+v", stats, tt.want)
			}
			if (err == nil) != (tt.wantError == nil) || !errors.Is(err, tt.wantError) {
				t.Errorf("Mirror error = %v, want %v", err, tt.wantError)
			}
			wantTree := tt.wantTree
			if wantTree == nil {
				wantTree = sourceWant
			}
			if got := tree(t, dst, "/dst"); !slices.Equal(got, wantTree) {
				t.Errorf("destination = %q\nwant %q", got, wantTree)
			}
		})
	}
}

func addTree(tree []string, more ...string) []string {
	out := append(slices.Clone(tree), more...)
	slices.Sort(out)
	return out
}

func dropTree(tree []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(tree), func(s string) bool { return slices.Contains(drop, s) })
}

// TestMirrorInterrupted stops a mirror halfway, then runs it again.
func TestMirrorInterrupted(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	files := map[string]string{}
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		files["dir/"+name] = strings.Repeat(name, 64<<10)
	}
	makeTree(t, src, "/src", files, base)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stop := ftpsync.WithProgress(func(p ftpsync.Progress) {
		if p.BytesDone > 100<<10 {
			cancel()
		}
	})
	stats, err := ftpsync.Mirror(ctx, dst, "/dst", src, "/src", stop, ftpsync.WithParallel(2))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Mirror = %+v, %v, want %v", stats, err, context.Canceled)
	}
	if stats.Copied >= len(files) {
		t.Fatalf("interrupted Mirror copied %d files, want fewer than %d", stats.Copied, len(files))
	}
	if got := tempFiles(t, dst, "/dst"); len(got) > 0 {
		t.Errorf("temporary files left: %d", len(got))
	}
	for _, e := range tree(t, dst, "/dst") {
		if name, content, ok := strings.Cut(e, "="); ok && content != files[name] {
			t.Errorf("%s holds %d bytes after the interruption, want none or %d", name, len(content), len(files[name]))
		}
	}

	stats2, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src")
	if err != nil || stats2.Copied != len(files)-stats.Copied {
		t.Fatalf("rerun = %+v, %v, want %d copied", stats2, err, len(files)-stats.Copied)
	}
	if got, want := tree(t, dst, "/dst"), tree(t, src, "/src"); !slices.Equal(got, want) {
		t.Errorf("after the rerun the destination has %d entries, want %d", len(got), len(want))
	}
}

// TestMirrorFailedTransfer breaks one transfer: the others go on, the
// failure is reported, and a rerun copies only that file.
func TestMirrorFailedTransfer(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	makeTree(t, src, "/src", map[string]string{"small": "s", "big": strings.Repeat("b", 100<<10), "other": "o"}, base)
	stats, err := ftpsync.Mirror(t.Context(), dst, "/dst", failingFs{Fs: src, limit: 50 << 10}, "/src")
	want := ftpsync.Stats{Copied: 2, Bytes: 2, DirsMade: 1, Errors: 1}
	if stats != want || !errors.Is(err, errBroken) {
		t.Fatalf("Mirror = %+v, %v, want %+v, %v", stats, err, want, errBroken)
	}
	if got, want := tree(t, dst, "/dst"), []string{"other=o", "small=s"}; !slices.Equal(got, want) {
		t.Errorf("after the failure the destination = %q, want %q (the partial new file removed)", got, want)
	}
	stats, err = ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src")
	want = ftpsync.Stats{Copied: 1, Bytes: 100 << 10, Skipped: 2}
	if stats != want || err != nil {
		t.Fatalf("rerun = %+v, %v, want %+v, nil", stats, err, want)
	}
}

func TestMirrorProgress(t *testing.T) {
	src, dst := afero.NewMemMapFs(), afero.NewMemMapFs()
	files := map[string]string{}
	var total int64
	for i, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		files["d"+name+"/"+name] = strings.Repeat(name, (i+1)*10000)
		total += int64((i + 1) * 10000)
	}
	makeTree(t, src, "/src", files, base)
	var reports []ftpsync.Progress
	inside := false
	_, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src", ftpsync.WithParallel(4), ftpsync.WithProgress(func(p ftpsync.Progress) {
		if inside {
			t.Error("progress reports overlap")
		}
		inside = true
		reports = append(reports, p)
		inside = false
	}))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range reports {
		if p.FilesTotal != len(files) || p.BytesTotal != total {
			t.Fatalf("report %d = %+v, want totals %d files, %d bytes", i, p, len(files), total)
		}
		if i > 0 && (p.BytesDone < reports[i-1].BytesDone || p.FilesDone < reports[i-1].FilesDone) {
			t.Fatalf("report %d = %+v goes back from %+v", i, p, reports[i-1])
		}
	}
	last := reports[len(reports)-1]
	if last.FilesDone != len(files) || last.BytesDone != total {
		t.Errorf("last report = %+v, want %d files and %d bytes done", last, len(files), total)
	}
}

func TestMirrorErrors(t *testing.T) {
	src := afero.NewMemMapFs()
	makeTree(t, src, "/src", sourceTree, base)
	t.Run("missing source", func(t *testing.T) {
		stats, err := ftpsync.Mirror(t.Context(), afero.NewMemMapFs(), "/dst", src, "/nope")
		if !errors.Is(err, fs.ErrNotExist) || stats.Errors != 1 {
			t.Errorf("Mirror(/nope) = %+v, %v, want 1 error, %v", stats, err, fs.ErrNotExist)
		}
	})
	t.Run("read-only destination", func(t *testing.T) {
		stats, err := ftpsync.Mirror(t.Context(), afero.NewReadOnlyFs(afero.NewMemMapFs()), "/dst", src, "/src")
		if !errors.Is(err, fs.ErrPermission) || stats != (ftpsync.Stats{Errors: 1}) {
			t.Errorf("Mirror(read-only) = %+v, %v, want only the failed MkdirAll, %v", stats, err, fs.ErrPermission)
		}
	})
}

// TestMirrorLinks mirrors a disk directory with symbolic links: links to
// files are copied as files, the others skipped.
func TestMirrorLinks(t *testing.T) {
	dir := t.TempDir()
	src := afero.NewBasePathFs(afero.NewOsFs(), dir)
	put(t, src, "/file", "data", base)
	if err := src.Mkdir("/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"to-file": "file", "to-dir": "sub", "dangling": "nowhere"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	dst := afero.NewMemMapFs()
	stats, err := ftpsync.Mirror(t.Context(), dst, "/", src, "/")
	want := ftpsync.Stats{Copied: 2, Bytes: 8, DirsMade: 1, Skipped: 2}
	if err != nil || stats != want {
		t.Errorf("Mirror = %+v, %v, want %+v, nil", stats, err, want)
	}
	if got, want := tree(t, dst, "/"), []string{"file=data", "sub/", "to-file=data"}; !slices.Equal(got, want) {
		t.Errorf("destination = %q, want %q", got, want)
	}
}
