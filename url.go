package ftpfs

import (
	"errors"
	"fmt"
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"net"
	"net/url"
	"path"
	"strings"
)

// target is what a URL names: where to connect, as whom, and the base
// directory.
type target struct {
	security ftpconn.Security // ftp:// plain (the password crosses the network in the clear), ftpes:// explicit, ftps:// implicit
	address  string           // host:port
	host     string           // for TLS verification
	user     string
	password string
	// base is the base directory: absolute when the URL said so (a
	// leading %2F), else relative to the login directory.
	base     string
	absolute bool
	redacted string   // the URL without its password, for Name and errors
	options  []Option // from the URL's parameters (see urlOptions)
}

// parseURL reads ftp://, ftpes:// and ftps:// URLs. User, password and
// path are percent-decoded; without a user the login is anonymous.
// Errors never contain the password.
func parseURL(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the URL: say what is wrong without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return target{}, fmt.Errorf("ftpfs: bad URL: %w", err)
	}
	var t target
	port := "21"
	switch strings.ToLower(u.Scheme) {
	case "ftp":
		t.security = ftpconn.Plain
	case "ftpes":
		t.security = ftpconn.Explicit
	case "ftps":
		t.security, port = ftpconn.Implicit, "990"
	default:
		return target{}, fmt.Errorf("ftpfs: URL scheme %q: want ftp, ftpes or ftps", u.Scheme)
	}
	t.host = u.Hostname()
	if t.host == "" {
		return target{}, errors.New("ftpfs: URL has no host")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	t.address = net.JoinHostPort(t.host, port)
	t.user, t.password = "anonymous", "anonymous@"
	if u.User != nil && u.User.Username() != "" {
		t.user = u.User.Username()
		t.password, _ = u.User.Password()
	}
	if strings.ContainsAny(t.user+t.password, "\r\n\x00") {
		return target{}, errors.New("ftpfs: URL user or password contains CR, LF or NUL")
	}
	t.base, t.absolute, err = urlBase(u)
	if err != nil {
		return target{}, err
	}
	var shownQuery string
	t.options, shownQuery, err = urlOptions(u.Query())
	if err != nil {
		return target{}, err
	}
	shown := *u
	if u.User != nil {
		shown.User = url.User(u.User.Username())
	}
	shown.RawQuery = shownQuery
	t.redacted = shown.String()
	return t, nil
}

// urlBase returns the base directory of u, as RFC 1738 reads it: relative
// to the login directory, unless its first segment starts with an encoded
// slash (%2F), which makes it absolute.
func urlBase(u *url.URL) (base string, absolute bool, err error) {
	escaped := strings.TrimPrefix(u.EscapedPath(), "/")
	if len(escaped) >= 3 && strings.EqualFold(escaped[:3], "%2f") {
		absolute = true
	}
	decoded, err := url.PathUnescape(escaped)
	if err != nil {
		return "", false, fmt.Errorf("ftpfs: bad URL path: %w", err)
	}
	if strings.ContainsAny(decoded, "\r\n\x00") {
		return "", false, errors.New("ftpfs: URL path contains CR, LF or NUL")
	}
	return path.Clean("/" + decoded), absolute, nil
}
