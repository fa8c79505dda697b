package ftpfs_test

import (
	"context"
	"crypto/tls"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

func TestTLS(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  ftpfstest.Option
	}{
		{"explicit", ftpfstest.WithExplicitTLS()},
		{"implicit", ftpfstest.WithImplicitTLS()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			backing := afero.NewMemMapFs()
			srv := ftpfstest.NewServer(backing, tt.opt)
			t.Cleanup(srv.Close)
			fsys, err := ftpfs.Dial(context.Background(), srv.URL(), ftpfs.WithTLSConfig(srv.ClientTLSConfig()))
			if err != nil {
				t.Fatalf("Dial(%s): %v", srv.URL(), err)
			}
			defer fsys.Close()
			for name, content := range map[string]string{"a.txt": "over tls", "empty": ""} {
				if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
					t.Fatalf("WriteFile(%s): %v", name, err)
				}
				got, err := afero.ReadFile(fsys, name)
				if err != nil || string(got) != content {
					t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, content)
				}
			}
			names, err := afero.ReadDir(fsys, "/")
			if err != nil || len(names) != 2 {
				t.Errorf("ReadDir = %v, %v", names, err)
			}
		})
	}
}

func TestTLSVerifiesTheServer(t *testing.T) {
	srv := ftpfstest.NewServer(afero.NewMemMapFs(), ftpfstest.WithExplicitTLS())
	t.Cleanup(srv.Close)
	// The system roots do not trust the test server's certificate.
	if fsys, err := ftpfs.Dial(context.Background(), srv.URL(), ftpfs.WithTLSConfig(&tls.Config{})); err == nil {
		fsys.Close()
		t.Fatal("Dial trusted an unknown certificate")
	}
}
