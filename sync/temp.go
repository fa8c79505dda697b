package sync

import (
	"crypto/rand"
	"encoding/hex"
	"path"
	"strings"
	"unicode/utf8"
)

// Temporary files are named "." + name + tempMarker + tempRandLen hex
// digits, in the directory of the file they stand for.
const (
	tempMarker  = ".ftpfs-tmp-"
	tempRandLen = 12
	maxNameLen  = 255 // bytes, the common limit of one path element
)

// tempName returns a fresh temporary name for the file name (a slash path),
// in the same directory. The base name is shortened, on a rune boundary,
// to keep the temporary name within maxNameLen bytes.
func tempName(name string) (string, error) {
	r, err := randomHex()
	if err != nil {
		return "", err
	}
	dir, base := path.Split(name)
	suffix := tempMarker + r
	if room := maxNameLen - 1 - len(suffix); len(base) > room {
		for room > 0 && !utf8.RuneStart(base[room]) {
			room-- // do not cut a rune in two
		}
		base = base[:room]
	}
	return dir + "." + base + suffix, nil
}

// isTempName reports whether the base name was made by tempName.
func isTempName(base string) bool {
	n := len(base)
	if n < 1+len(tempMarker)+tempRandLen || base[0] != '.' {
		return false
	}
	digits := base[n-tempRandLen:]
	if base[n-tempRandLen-len(tempMarker):n-tempRandLen] != tempMarker {
		return false
	}
	return strings.Trim(digits, "0123456789abcdef") == ""
}

// randomHex returns tempRandLen random hex digits.
func randomHex() (string, error) {
	var b [tempRandLen / 2]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
