package ftpfs_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// Benchmarks against the in-process server on loopback: they measure the
// client's own cost plus one loopback round trip per command.

func benchFs(b *testing.B, files map[string]string) *ftpfs.Fs {
	b.Helper()
	backing := afero.NewMemMapFs()
	writeFiles(b, backing, files)
	fsys, _ := serve(b, backing, nil)
	return fsys
}

func BenchmarkReadDir100(b *testing.B) {
	files := map[string]string{}
	for i := 0; i < 100; i++ {
		files[fmt.Sprintf("dir/file%03d", i)] = "x"
	}
	fsys := benchFs(b, files)
	b.ReportAllocs()
	for b.Loop() {
		if infos, err := afero.ReadDir(fsys, "dir"); err != nil || len(infos) != 100 {
			b.Fatalf("ReadDir = %d, %v", len(infos), err)
		}
		b.StopTimer()
		fsys.Cache().Clear()
		b.StartTimer()
	}
}

func BenchmarkStatHit(b *testing.B) {
	fsys := benchFs(b, map[string]string{"dir/a": "x", "dir/b": "y"})
	if _, err := fsys.Stat("dir/a"); err != nil {
		b.Fatal(err)
	}
	fsys.Cache().SetMaxAge(0) // no expiry during the run
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fsys.Stat("dir/b"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatMiss(b *testing.B) {
	fsys := benchFs(b, map[string]string{"dir/a": "x"})
	b.ReportAllocs()
	for b.Loop() {
		fsys.Cache().Clear()
		if _, err := fsys.Stat("dir/a"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenRead1MiB(b *testing.B) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	fsys := benchFs(b, map[string]string{"big": string(content)})
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := fsys.Open("big")
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, f)
		if err != nil || n != int64(len(content)) {
			b.Fatalf("read %d, %v", n, err)
		}
		f.Close()
	}
}

func BenchmarkCreateWrite1MiB(b *testing.B) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	fsys := benchFs(b, nil)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := fsys.Create("big")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Write(content); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
