//go:build unix

package ftpdialect

import (
	"fmt"
	"io/fs"
	"syscall"
)

// unique returns the MLSD unique fact of a file: its device and inode.
func unique(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%xg%x", uint64(st.Dev), uint64(st.Ino))
}

// owner returns the numeric owner and group of a file.
func owner(fi fs.FileInfo) (uid, gid string) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", ""
	}
	return fmt.Sprint(st.Uid), fmt.Sprint(st.Gid)
}
