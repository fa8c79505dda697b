package main

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/spf13/afero"
)

// These tests run Rotate on memory, as its authors would: no FTP server
// needed. main_test.go runs the same code against an FTP server.

// logFile is a file to create, with its modification time.
type logFile struct {
	name string
	age  time.Duration // before now
}

var day = 24 * time.Hour

// memFs returns an in-memory file system holding files.
func memFs(t *testing.T, files []logFile) afero.Fs {
	t.Helper()
	fsys := afero.NewMemMapFs()
	now := time.Now()
	for _, f := range files {
		if err := afero.WriteFile(fsys, f.name, []byte(f.name), 0o644); err != nil {
			t.Fatal(err)
		}
		mtime := now.Add(-f.age)
		if err := fsys.Chtimes(f.name, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	return fsys
}

// names lists dir.
func names(t *testing.T, fsys afero.Fs, dir string) []string {
	t.Helper()
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, info := range infos {
		out = append(out, info.Name())
	}
	return out
}

func TestRotate(t *testing.T) {
	files := []logFile{
		{"logs/app-1.log", 4 * day},
		{"logs/app-2.log", 3 * day},
		{"logs/app-3.log", 2 * day},
		{"logs/app-4.log", 1 * day},
		{"logs/notes.txt", 9 * day},       // not a log
		{"logs/archive/old.log", 9 * day}, // in a subdirectory
		{"other.log", 9 * day},            // elsewhere
	}
	tests := []struct {
		keep        int
		wantRemoved []string
		wantLeft    []string
	}{
		{keep: 2, wantRemoved: []string{"logs/app-2.log", "logs/app-1.log"}, wantLeft: []string{"app-3.log", "app-4.log", "archive", "notes.txt"}},
		{keep: 0, wantRemoved: []string{"logs/app-4.log", "logs/app-3.log", "logs/app-2.log", "logs/app-1.log"}, wantLeft: []string{"archive", "notes.txt"}},
		{keep: 4, wantRemoved: nil, wantLeft: []string{"app-1.log", "app-2.log", "app-3.log", "app-4.log", "archive", "notes.txt"}},
		{keep: 10, wantRemoved: nil, wantLeft: []string{"app-1.log", "app-2.log", "app-3.log", "app-4.log", "archive", "notes.txt"}},
	}
	for _, tt := range tests {
		fsys := memFs(t, files)
		removed, err := Rotate(fsys, "logs", tt.keep)
		if err != nil {
			t.Fatalf("Rotate(logs, %d) = %v, want nil", tt.keep, err)
		}
		if !slices.Equal(removed, tt.wantRemoved) {
			t.Errorf("Rotate(logs, %d) removed %q, want %q", tt.keep, removed, tt.wantRemoved)
		}
		if left := names(t, fsys, "logs"); !slices.Equal(left, tt.wantLeft) {
			t.Errorf("after Rotate(logs, %d) logs holds %q, want %q", tt.keep, left, tt.wantLeft)
		}
		if ok, _ := afero.Exists(fsys, "other.log"); !ok {
			t.Errorf("Rotate(logs, %d) removed other.log, outside logs", tt.keep)
		}
	}
}

// TestRotateSameTime checks the order of files with equal times, which
// FTP listings with minute precision produce: by name.
func TestRotateSameTime(t *testing.T) {
	fsys := memFs(t, []logFile{
		{"app-2025-01-30.log", day},
		{"app-2025-01-31.log", day},
		{"app-2025-01-29.log", day},
	})
	removed, err := Rotate(fsys, ".", 1)
	want := []string{"app-2025-01-30.log", "app-2025-01-29.log"}
	if err != nil || !slices.Equal(removed, want) {
		t.Errorf("Rotate(., 1) = %q, %v, want %q, nil", removed, err, want)
	}
}

func TestPlanChangesNothing(t *testing.T) {
	fsys := memFs(t, []logFile{{"a.log", 2 * day}, {"b.log", day}})
	old, err := Plan(fsys, "/", 1)
	if err != nil || !slices.Equal(old, []string{"/a.log"}) {
		t.Errorf("Plan(/, 1) = %q, %v, want [/a.log], nil", old, err)
	}
	if left := names(t, fsys, "/"); len(left) != 2 {
		t.Errorf("after Plan the directory holds %q, want both files", left)
	}
}

func TestRotateErrors(t *testing.T) {
	fsys := memFs(t, nil)
	if _, err := Rotate(fsys, "missing", 3); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Rotate(missing, 3) = %v, want an error matching fs.ErrNotExist", err)
	}
	if _, err := Rotate(fsys, "/", -1); err == nil {
		t.Errorf("Rotate(/, -1) = nil error, want one")
	}
	// A file that cannot be removed is reported; the others go.
	ro := afero.NewReadOnlyFs(memFs(t, []logFile{{"a.log", 2 * day}, {"b.log", day}}))
	if removed, err := Rotate(ro, "/", 0); err == nil || len(removed) != 0 {
		t.Errorf("Rotate on a read-only Fs = %q, %v, want nothing removed and an error", removed, err)
	}
}
