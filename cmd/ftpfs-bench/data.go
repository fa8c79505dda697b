package main

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// The shape of the walk tree: a root with walkFanout directories, each with
// walkFanout more, the files spread over those leaves: 1 + 10 + 100 = 111
// directories for a fanout of 10.
const walkFanout = 10

// walkDirCount is the number of directories of the walk tree, root included.
const walkDirCount = 1 + walkFanout + walkFanout*walkFanout

// leafDirs lists the relative paths of the walk tree's leaves.
func leafDirs() []string {
	var out []string
	for i := range walkFanout {
		for j := range walkFanout {
			out = append(out, fmt.Sprintf("d%02d/e%02d", i, j))
		}
	}
	return out
}

// makeWalkTree writes the walk tree under dir: files files of size bytes
// spread evenly over the leaves.
func makeWalkTree(dir string, files int, size int) error {
	leaves := leafDirs()
	buf := make([]byte, size)
	rng := rand.NewChaCha8([32]byte{1})
	for i := 0; i < files; i++ {
		leaf := filepath.Join(dir, leaves[i%len(leaves)])
		if i < len(leaves) {
			if err := os.MkdirAll(leaf, 0o755); err != nil {
				return err
			}
		}
		_, _ = rng.Read(buf) // ChaCha8 never fails
		if err := os.WriteFile(filepath.Join(leaf, fmt.Sprintf("f%05d.dat", i)), buf, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// makeSmallTree writes files files of size bytes under dir, 100 to a
// directory, dated two hours back: a re-sync that compares times must be
// able to tell them from copies made now, even by minute-precise listings.
func makeSmallTree(dir string, files int, size int) error {
	buf := make([]byte, size)
	rng := rand.NewChaCha8([32]byte{2})
	past := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	for i := 0; i < files; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("s%02d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
		}
		_, _ = rng.Read(buf) // ChaCha8 never fails
		name := filepath.Join(sub, fmt.Sprintf("f%04d.bin", i))
		if err := os.WriteFile(name, buf, 0o644); err != nil {
			return err
		}
		if err := os.Chtimes(name, past, past); err != nil {
			return err
		}
	}
	return nil
}

// makeBigFile writes size pseudo-random bytes to name.
func makeBigFile(name string, size int64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	_, err = io.CopyN(w, rand.NewChaCha8([32]byte{3}), size)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// owner returns the uid and gid that own dir.
func owner(dir string) (uid, gid int, err error) {
	st, err := os.Stat(dir)
	if err != nil {
		return 0, 0, err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, fmt.Errorf("%s: no owner information", dir)
	}
	return int(sys.Uid), int(sys.Gid), nil
}

// chownTree gives path and everything under it to uid:gid, so that the
// FTP user can read, replace and remove what the benchmark put there.
func chownTree(path string, uid, gid int) error {
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// plainCopy copies src to dst through a fixed buffer, hiding any
// ReaderFrom or WriterTo (no sendfile, splice or copy_file_range): the
// plain read/write loop that the floors measure.
func plainCopy(dst io.Writer, src io.Reader, buf []byte) (int64, error) {
	return io.CopyBuffer(struct{ io.Writer }{dst}, struct{ io.Reader }{src}, buf)
}

// copyFile copies the file src to dst with plainCopy.
func copyFile(dst, src string, buf []byte) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	n, err := plainCopy(out, in, buf)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// treeStamp identifies every regular file under dir by size, inode and
// change time: a file written, replaced or renamed into place gets a new
// stamp.
type treeStamp map[string][3]int64

// stampTree reads the stamps of the files under dir.
func stampTree(dir string) (treeStamp, error) {
	out := treeStamp{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		if !ok {
			return fmt.Errorf("%s: no inode information", p)
		}
		rel, _ := filepath.Rel(dir, p) // p is under dir
		out[rel] = [3]int64{info.Size(), int64(st.Ino), st.Ctim.Nano()}
		return nil
	})
	return out, err
}

// changedSince counts the files of now that are new or differ from before.
func (now treeStamp) changedSince(before treeStamp) int {
	n := 0
	for k, v := range now {
		if before[k] != v {
			n++
		}
	}
	return n
}

// countFiles counts the regular files under dir and their bytes.
func countFiles(dir string) (files int, bytes int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			files++
			bytes += info.Size()
		}
		return nil
	})
	return files, bytes, err
}
