package ftpfs

import (
	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url      string
		security ftpconn.Security
		address  string
		user     string
		password string
		base     string
		absolute bool
	}{
		{"ftp://host", ftpconn.Plain, "host:21", "anonymous", "anonymous@", "/", false},
		{"ftp://u:pw-secret@host:2121/dir/sub", ftpconn.Plain, "host:2121", "u", "pw-secret", "/dir/sub", false},
		{"ftpes://u:pw-secret@host/", ftpconn.Explicit, "host:21", "u", "pw-secret", "/", false},
		{"ftps://u:pw-secret@host/", ftpconn.Implicit, "host:990", "u", "pw-secret", "/", false},
		{"FTP://u@host", ftpconn.Plain, "host:21", "u", "", "/", false},
		{"ftp://us%40er:p%3Aa%2Fss@host/a%20b", ftpconn.Plain, "host:21", "us@er", "p:a/ss", "/a b", false},
		{"ftp://host/%2Fetc/ftp", ftpconn.Plain, "host:21", "anonymous", "anonymous@", "/etc/ftp", true},
		{"ftp://host/%2fetc", ftpconn.Plain, "host:21", "anonymous", "anonymous@", "/etc", true},
		{"ftp://[::1]:2121/x", ftpconn.Plain, "[::1]:2121", "anonymous", "anonymous@", "/x", false},
		{"ftp://host/a/../../b", ftpconn.Plain, "host:21", "anonymous", "anonymous@", "/b", false},
	}
	for _, tt := range tests {
		got, err := parseURL(tt.url)
		if err != nil {
			t.Errorf("parseURL(%q): %v", tt.url, err)
			continue
		}
		if got.security != tt.security || got.address != tt.address || got.user != tt.user ||
			got.password != tt.password || got.base != tt.base || got.absolute != tt.absolute {
			t.Errorf("parseURL(%q) = %+v", tt.url, got)
		}
		if got.password != "" && got.user != "anonymous" && strings.Contains(got.redacted, got.password) {
			t.Errorf("parseURL(%q).redacted = %q shows the password", tt.url, got.redacted)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, raw := range []string{
		"http://host/", "ftp:///nohost", "ftp://u:secret@host/%0D%0ADELE%20x", "ftp://u:sec%0Dret@host/",
		"ftp://u:secret@host/%zz", "ftp://u:secret@host:bad/", "sftp://u:secret@host/",
	} {
		_, err := parseURL(raw)
		if err == nil {
			t.Errorf("parseURL(%q): no error", raw)
			continue
		}
		if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "sec") && strings.Contains(err.Error(), "ret") {
			t.Errorf("parseURL(%q) error %q shows the password", raw, err)
		}
	}
}
