package ftpfs_test

import (
	"context"
	"path"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// serve starts an in-process FTP server over backing and mounts it.
func serve(t testing.TB, backing afero.Fs, srvOpts []ftpfstest.Option, opts ...ftpfs.Option) (*ftpfs.Fs, *ftpfstest.Server) {
	t.Helper()
	srv := ftpfstest.NewServer(backing, srvOpts...)
	t.Cleanup(srv.Close)
	fsys, err := ftpfs.Dial(context.Background(), srv.URL(), opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", srv.URL(), err)
	}
	t.Cleanup(func() { _ = fsys.Close() })
	return fsys, srv
}

// writeFiles fills an afero.Fs with files (a name ending in "/" is a
// directory).
func writeFiles(t testing.TB, fsys afero.Fs, files map[string]string) {
	t.Helper()
	for name, content := range files {
		name = "/" + name // MemMapFs tells "a" from "/a"
		if name[len(name)-1] == '/' {
			if err := fsys.MkdirAll(name, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := fsys.MkdirAll(path.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
