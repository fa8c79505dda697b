package sync_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// TestMirrorChecksUploads mirrors to a destination with OpenFileUnchecked:
// Mirror opens the new files (only) with it, and then checks their sizes
// with one listing per directory.
func TestMirrorChecksUploads(t *testing.T) {
	tests := []struct {
		name      string
		dst       map[string]string // the destination before, under /dst
		short     string            // the file stored one byte short
		listErr   error             // for the listings after the uploads
		opts      []ftpsync.Option
		want      ftpsync.Stats
		wantOpens int32    // calls to OpenFileUnchecked
		wantTree  []string // nil: sourceWant
		wantError error
	}{
		{
			name:      "complete",
			want:      ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4},
			wantOpens: 5,
		},
		{
			name:      "one file short",
			short:     "/dst/docs/readme.md",
			want:      ftpsync.Stats{Copied: 4, Bytes: sourceBytes - 6, DirsMade: 4, Errors: 1},
			wantOpens: 5,
			wantTree:  dropTree(sourceWant, "docs/readme.md=readme"),
			wantError: io.ErrUnexpectedEOF,
		},
		{
			name:      "the listings fail",
			listErr:   errRefused,
			want:      ftpsync.Stats{DirsMade: 4, Errors: 4},
			wantOpens: 5,
			wantError: errRefused,
		},
		{
			name:      "a replaced file is left to the destination's own check",
			dst:       map[string]string{"a.txt": "old"},
			want:      ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4},
			wantOpens: 4,
		},
		{
			name:     "dry run",
			opts:     []ftpsync.Option{ftpsync.WithDryRun()},
			want:     ftpsync.Stats{Copied: 5, Bytes: sourceBytes, DirsMade: 4},
			wantTree: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, mem := afero.NewMemMapFs(), afero.NewMemMapFs()
			makeTree(t, src, "/src", sourceTree, base)
			if err := mem.Mkdir("/dst", 0o755); err != nil {
				t.Fatal(err)
			}
			makeTree(t, mem, "/dst", tt.dst, base.Add(-time.Hour))
			dst := uncheckedFs{Fs: shortFs{Fs: mem, short: tt.short}, opens: new(atomic.Int32), listErr: tt.listErr}
			stats, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src", tt.opts...)
			if stats != tt.want {
				t.Errorf("Mirror stats = %+v, want %+v", stats, tt.want)
			}
			if (err == nil) != (tt.wantError == nil) || !errors.Is(err, tt.wantError) {
				t.Errorf("Mirror error = %v, want %v", err, tt.wantError)
			}
			var pe *fs.PathError
			if tt.short != "" && (!errors.As(err, &pe) || pe.Op != "mirror" || pe.Path != tt.short) {
				t.Errorf("Mirror error = %v, want an *fs.PathError{Op: mirror, Path: %s}", err, tt.short)
			}
			if got := dst.opens.Load(); got != tt.wantOpens {
				t.Errorf("OpenFileUnchecked called %d times, want %d", got, tt.wantOpens)
			}
			wantTree := tt.wantTree
			if wantTree == nil {
				wantTree = sourceWant
			}
			if got := tree(t, mem, "/dst"); !slices.Equal(got, wantTree) {
				t.Errorf("destination = %q\nwant %q", got, wantTree)
			}
		})
	}
}

// TestMirrorNewFilesInPlace checks that new files are written under their
// own names, with no rename, and a changed one through a temporary name.
func TestMirrorNewFilesInPlace(t *testing.T) {
	src, mem := afero.NewMemMapFs(), afero.NewMemMapFs()
	makeTree(t, src, "/src", sourceTree, base)
	dst := renameCountFs{Fs: mem, renames: new(atomic.Int32)}
	if _, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src"); err != nil {
		t.Fatal(err)
	}
	if got := dst.renames.Load(); got != 0 {
		t.Errorf("Mirror of new files renamed %d times, want none", got)
	}
	put(t, src, "/src/b.txt", "BRAVO", base.Add(time.Hour))
	if _, err := ftpsync.Mirror(t.Context(), dst, "/dst", src, "/src"); err != nil {
		t.Fatal(err)
	}
	if got := dst.renames.Load(); got != 1 {
		t.Errorf("Mirror of a changed file renamed %d times, want 1", got)
	}
	if got, want := get(t, mem, "/dst/b.txt"), "BRAVO"; got != want {
		t.Errorf("b.txt = %q, want %q", got, want)
	}
}

// *ftpfs.Fs has what Mirror looks for in its destination.
var _ interface {
	OpenFileUnchecked(name string, flag int, perm os.FileMode) (afero.File, error)
} = (*ftpfs.Fs)(nil)

// TestMirrorUploadFTP counts the commands of a Mirror that uploads new
// files to ftpfs: an EPSV and a STOR per file, and an MFMT unless
// WithoutTimes; no SIZE or rename; the sizes are checked by one listing
// of each directory.
func TestMirrorUploadFTP(t *testing.T) {
	const dirs, files = 20, 40
	tests := []struct {
		name     string
		opts     []ftpsync.Option
		wantMFMT int
	}{
		{"times kept", nil, files},
		{"WithoutTimes", []ftpsync.Option{ftpsync.WithoutTimes()}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			local := afero.NewMemMapFs()
			makeTree(t, local, "/tree", twentyDirs(), base)
			remote, srv := serve(t, afero.NewMemMapFs(), nil)
			srv.ResetCommands()
			stats, err := ftpsync.Mirror(t.Context(), remote, "", local, "/tree", tt.opts...)
			if want := (ftpsync.Stats{Copied: files, Bytes: files / 2 * 3, DirsMade: dirs - 1}); err != nil || stats != want {
				t.Fatalf("Mirror = %+v, %v, want %+v, nil", stats, err, want)
			}
			cmds := srv.Commands()
			t.Logf("commands: %v", cmds)
			want := map[string]int{"STOR": files, "MFMT": tt.wantMFMT, "MLSD": 1 + dirs, "SIZE": 0, "RNFR": 0, "RNTO": 0}
			for verb, n := range want {
				if cmds[verb] != n {
					t.Errorf("Mirror sent %s %d times, want %d", verb, cmds[verb], n)
				}
			}
			if got, want := cmds["EPSV"]+cmds["PASV"], files+cmds["MLSD"]; got != want {
				t.Errorf("Mirror opened %d data connections, want %d (one per STOR and listing)", got, want)
			}
		})
	}
}

// TestMirrorShortUploadFTP uploads to a server that stores one file a
// byte short, as one whose data connection was cut cleanly: Mirror
// reports it and removes it, and the next run (to a server that stores
// it whole) copies it again.
func TestMirrorShortUploadFTP(t *testing.T) {
	local, backing := afero.NewMemMapFs(), afero.NewMemMapFs()
	makeTree(t, local, "/src", sourceTree, base)
	remote, _ := serve(t, shortFs{Fs: backing, short: "/docs/readme.md"}, nil)
	stats, err := ftpsync.Mirror(t.Context(), remote, "", local, "/src")
	if want := (ftpsync.Stats{Copied: 4, Bytes: sourceBytes - 6, DirsMade: 4, Errors: 1}); stats != want || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Mirror = %+v, %v, want %+v, %v", stats, err, want, io.ErrUnexpectedEOF)
	}
	if pe := (*fs.PathError)(nil); !errors.As(err, &pe) || pe.Op != "mirror" || pe.Path != "docs/readme.md" {
		t.Errorf("Mirror error = %v, want an *fs.PathError{Op: mirror, Path: docs/readme.md} from Mirror's own check", err)
	}
	if got, want := tree(t, backing, "/"), dropTree(sourceWant, "docs/readme.md=readme"); !slices.Equal(got, want) {
		t.Errorf("server tree = %q\nwant %q", got, want)
	}
	healed, _ := serve(t, backing, nil)
	stats, err = ftpsync.Mirror(t.Context(), healed, "", local, "/src")
	if want := (ftpsync.Stats{Copied: 1, Bytes: 6, Skipped: 4}); stats != want || err != nil {
		t.Errorf("rerun = %+v, %v, want %+v, nil", stats, err, want)
	}
}
