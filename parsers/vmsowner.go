package parsers

import (
	"io/fs"
	"strings"
)

// setVMSOwner reads "[GROUP,OWNER]", "[IDENTIFIER]" (the "]" may be
// missing) or a bare identifier.
func (e *Entry) setVMSOwner(s string) error {
	inner := s
	if strings.HasPrefix(s, "[") {
		inner = strings.TrimSuffix(s[1:], "]")
	}
	group, owner, hasGroup := strings.Cut(inner, ",")
	if !hasGroup {
		owner, group = group, ""
	}
	if !isVMSIdentifier(owner) || hasGroup && !isVMSIdentifier(group) {
		return errBadOwner
	}
	e.Owner, e.Group = owner, group
	return nil
}

// isVMSIdentifier reports whether s is a VMS identifier or UIC number:
// letters, digits, '$' and '_'.
func isVMSIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '$' || c == '_') {
			return false
		}
	}
	return true
}

// setVMSProtection reads "(S,O,G,W)", each class a subset of RWED.
func (e *Entry) setVMSProtection(s string) error {
	if len(s) < 5 || s[0] != '(' || s[len(s)-1] != ')' {
		return errBadProtection
	}
	classes := strings.Split(s[1:len(s)-1], ",")
	if len(classes) != 4 {
		return errBadProtection
	}
	var perm fs.FileMode
	for i, class := range classes {
		var bits fs.FileMode
		for j := 0; j < len(class); j++ {
			switch class[j] {
			case 'R', 'r':
				bits |= 4
			case 'W', 'w':
				bits |= 2
			case 'E', 'e':
				bits |= 1
			case 'D', 'd':
			default:
				return errBadProtection
			}
		}
		if i > 0 { // System has no Unix triple
			perm |= bits << (3 * (3 - i))
		}
	}
	e.Mode |= perm
	e.Unknown &^= UnknownPerm
	return nil
}
