//go:build !unix

package ftpdialect

import "io/fs"

// unique returns "": without inodes there is no unique fact.
func unique(fs.FileInfo) string { return "" }

// owner returns "", "": no numeric owners.
func owner(fs.FileInfo) (uid, gid string) { return "", "" }
