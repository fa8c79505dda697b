package sync

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"

	"github.com/spf13/afero"
)

// uncheckedOpener is implemented by destinations, such as *ftpfs.Fs, that
// check every upload's size when it is closed (over FTP: one SIZE per
// file), and can skip that for callers that check many uploads at once.
// Mirror does, with one listing per directory (see verifyUploads).
type uncheckedOpener interface {
	OpenFileUnchecked(name string, flag int, perm os.FileMode) (afero.File, error)
}

// upload is a new file that Mirror wrote through OpenFileUnchecked.
type upload struct {
	path    string // on the destination
	written int64  // the bytes written
}

// verifyUploads lists every destination directory that received uploads
// through OpenFileUnchecked, once, and counts each upload as copied if
// the listing shows the size written. An upload listed with another size
// is an error, and is removed; one not listed as a file is an error. The
// uploads of a directory whose listing fails are not counted, and are
// left as they are (a partial one differs in size from its source, so
// the next run copies it again).
func (m *mirror) verifyUploads() {
	byDir := make(map[string][]upload)
	for _, u := range m.uploads {
		dir := path.Dir(u.path)
		byDir[dir] = append(byDir[dir], u)
	}
	for _, dir := range slices.Sorted(maps.Keys(byDir)) {
		m.verifyDir(dir, byDir[dir])
	}
}

// verifyDir checks the uploads to dir against one listing of it.
func (m *mirror) verifyDir(dir string, uploads []upload) {
	list, err := afero.ReadDir(m.dst, dir)
	if err != nil {
		m.fail(err)
		return
	}
	listed := make(map[string]fs.FileInfo, len(list))
	for _, info := range list {
		listed[info.Name()] = info
	}
	for _, u := range uploads {
		info, ok := listed[path.Base(u.path)]
		switch {
		case !ok || !info.Mode().IsRegular():
			m.fail(&fs.PathError{Op: "mirror", Path: u.path, Err: fmt.Errorf("not listed as a file after %d bytes were written: %w", u.written, io.ErrUnexpectedEOF)})
		case info.Size() != u.written:
			m.fail(&fs.PathError{Op: "mirror", Path: u.path, Err: fmt.Errorf("listed with %d bytes, %d written: %w", info.Size(), u.written, io.ErrUnexpectedEOF)})
			_ = m.dst.Remove(u.path) // the short (or long) file is the error
		default:
			m.stats.Copied++
			m.stats.Bytes += u.written
		}
	}
}
