package ftpfs

import (
	"path"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"strings"
)

// resolve turns a name given to the Fs into the absolute server path it
// stands for. Names are slash-separated and relative to the base directory
// (a leading slash changes nothing: "/a" and "a" are the same file); ".."
// never climbs above the base. A name with NUL, CR or LF, which could
// inject FTP commands, is refused with an error wrapping fs.ErrInvalid.
func (f *Fs) resolve(name string) (string, error) {
	if strings.ContainsAny(name, "\x00\r\n") {
		return "", errBadName
	}
	if f.life != nil && f.life.Err() != nil {
		return "", errClosedFs
	}
	if f.ctx != nil && f.ctx.Err() != nil {
		return "", f.ctx.Err() // a view's context ended (WithContext)
	}
	p := path.Join(f.base, path.Clean("/"+name))
	if err := ftpconn.CheckName(f.cfg.encoding, p); err != nil {
		return "", err // WithEncoding's encoding lacks a character of the name
	}
	return p, nil
}

// splitPath returns the parent directory and the last element of a cleaned
// absolute server path. The root has no parent: it returns ("/", "").
func splitPath(p string) (dir, name string) {
	if p == "/" {
		return "/", ""
	}
	i := strings.LastIndexByte(p, '/')
	dir = p[:i]
	if dir == "" {
		dir = "/"
	}
	return dir, p[i+1:]
}
