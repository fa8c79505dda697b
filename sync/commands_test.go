package sync_test

import (
	"fmt"
	"testing"

	"github.com/ftpfs/ftpfs"
	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// twentyDirs is a tree of 20 directories (the root, d0…d9, and d0/s…d8/s)
// with two files each.
func twentyDirs() map[string]string {
	files := map[string]string{"one": "1", "two": "22"}
	for i := range 10 {
		files[fmt.Sprintf("d%d/one", i)] = "1"
		files[fmt.Sprintf("d%d/two", i)] = "22"
		if i < 9 {
			files[fmt.Sprintf("d%d/s/one", i)] = "1"
			files[fmt.Sprintf("d%d/s/two", i)] = "22"
		}
	}
	return files
}

// TestMirrorCommands counts the FTP commands of a mirror with nothing to
// do: one listing per directory, no transfer, nothing per file.
func TestMirrorCommands(t *testing.T) {
	const dirs, files = 20, 40
	for _, listing := range []string{"MLSD", "LIST"} {
		for _, direction := range []string{"upload", "download"} {
			t.Run(listing+"/"+direction, func(t *testing.T) {
				var opts []ftpfs.Option
				if listing == "LIST" {
					opts = append(opts, ftpfs.WithoutMLSD())
				}
				backing, local := afero.NewMemMapFs(), afero.NewMemMapFs()
				remote, srv := serve(t, backing, nil, opts...)
				mirror := func(remote *ftpfs.Fs) (ftpsync.Stats, error) {
					if direction == "upload" {
						return ftpsync.Mirror(t.Context(), remote, "", local, "/tree")
					}
					return ftpsync.Mirror(t.Context(), local, "/tree", remote, "")
				}
				if direction == "upload" {
					makeTree(t, local, "/tree", twentyDirs(), base)
				} else {
					makeTree(t, backing, "", twentyDirs(), base)
				}
				if stats, err := mirror(remote); err != nil || stats.Copied != files {
					t.Fatalf("first Mirror = %+v, %v, want %d copied", stats, err, files)
				}

				// A new Fs, so that nothing comes from the first one's cache.
				again := dial(t, srv, opts...)
				srv.ResetCommands()
				stats, err := mirror(again)
				if want := (ftpsync.Stats{Skipped: files}); err != nil || stats != want {
					t.Fatalf("second Mirror = %+v, %v, want %+v, nil", stats, err, want)
				}
				cmds := srv.Commands()
				t.Logf("commands of the second Mirror: %v", cmds)
				if got := cmds[listing]; got != dirs {
					t.Errorf("second Mirror sent %s %d times, want %d (one per directory); commands: %v", listing, got, dirs, cmds)
				}
				for _, verb := range []string{"MLSD", "LIST", "NLST", "MLST", "STAT", "RETR", "STOR", "APPE", "MDTM", "SIZE", "MFMT", "RNFR", "RNTO", "DELE", "MKD", "RMD", "CWD"} {
					if verb != listing && cmds[verb] != 0 {
						t.Errorf("second Mirror sent %s %d times, want none; commands: %v", verb, cmds[verb], cmds)
					}
				}
			})
		}
	}
}
