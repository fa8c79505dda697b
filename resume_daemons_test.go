package ftpfs_test

import (
	"bytes"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// cutReadsFs fails every read of its files after limit bytes.
type cutReadsFs struct {
	afero.Fs
	limit int64
}

var errCut = errors.New("transfer cut (test)")

func (c cutReadsFs) Open(name string) (afero.File, error) {
	f, err := c.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	return &cutReadsFile{File: f, left: c.limit}, nil
}

type cutReadsFile struct {
	afero.File
	left int64
}

func (f *cutReadsFile) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errCut
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	n, err := f.File.Read(p)
	f.left -= int64(n)
	return n, err
}

// readCountFs counts the bytes read from its files.
type readCountFs struct {
	afero.Fs
	n *atomic.Int64
}

func (c readCountFs) Open(name string) (afero.File, error) {
	f, err := c.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	return &readCountFile{File: f, n: c.n}, nil
}

type readCountFile struct {
	afero.File
	n *atomic.Int64
}

func (f *readCountFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.n.Add(int64(n))
	return n, err
}

// TestResumeDaemons: against each real daemon (plain and TLS), a
// download and an upload cut at 300 KB of 1 MiB are finished by a second
// run with ftpsync.WithResume (REST; APPE, or a full copy where the
// server refuses APPE, as proftpd does), and are right.
func TestResumeDaemons(t *testing.T) {
	servers := integrationServers(t)
	if len(servers) == 0 {
		t.Skip("no real FTP daemons: run `eval \"$(scripts/ftpd.sh start)\"` to set FTPFS_*_URL")
	}
	data := cpBytes(51, 1<<20)
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			remote := s.fresh(t)
			local := afero.NewMemMapFs()
			if err := afero.WriteFile(local, "src.bin", data, 0o644); err != nil {
				t.Fatal(err)
			}
			_ = local.Chtimes("src.bin", when, when)

			// Upload.
			if err := ftpsync.Upload(remote, "up.bin", cutReadsFs{Fs: local, limit: 300_000}, "src.bin", ftpsync.WithResume()); !errors.Is(err, errCut) {
				t.Fatalf("cut upload = %v", err)
			}
			var read atomic.Int64
			if err := ftpsync.Upload(remote, "up.bin", readCountFs{Fs: local, n: &read}, "src.bin", ftpsync.WithResume()); err != nil {
				t.Fatalf("resumed upload = %v", err)
			}
			switch n := read.Load(); {
			case s.quirks.noAppend && n < int64(len(data)):
				// APPE refused (after the first chunk was read): a
				// full copy.
				t.Errorf("resumed upload read %d bytes of the source; want a full copy, %d", n, len(data))
			case !s.quirks.noAppend && n != int64(len(data)-300_000):
				t.Errorf("resumed upload read %d bytes of the source; want the %d missing (APPE)", n, len(data)-300_000)
			}
			if got, err := afero.ReadFile(remote, "up.bin"); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("resumed upload: the server holds %d bytes (%v); want the file", len(got), err)
			}

			// Download (of what was uploaded).
			if err := ftpsync.Download(local, "down.bin", cutReadsFs{Fs: remote, limit: 300_000}, "up.bin", ftpsync.WithResume()); !errors.Is(err, errCut) {
				t.Fatalf("cut download = %v", err)
			}
			read.Store(0)
			if err := ftpsync.Download(local, "down.bin", readCountFs{Fs: remote, n: &read}, "up.bin", ftpsync.WithResume()); err != nil {
				t.Fatalf("resumed download = %v", err)
			}
			if read.Load() != int64(len(data)-300_000) {
				t.Errorf("resumed download read %d bytes from the server; want the %d missing (REST)", read.Load(), len(data)-300_000)
			}
			if got, err := afero.ReadFile(local, "down.bin"); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("resumed download: %d bytes (%v); want the file", len(got), err)
			}
			infos, err := afero.ReadDir(remote, ".")
			if err != nil {
				t.Fatal(err)
			}
			for _, fi := range infos {
				if fi.Name() != "up.bin" {
					t.Errorf("left on the server: %s", fi.Name())
				}
			}
		})
	}
}
