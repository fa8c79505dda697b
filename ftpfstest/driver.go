package ftpfstest

import (
	"crypto/tls"
	"errors"
	"net"

	ftpserver "github.com/fclairamb/ftpserverlib"
	"github.com/spf13/afero"
)

var (
	errLogin = errors.New("wrong user name or password")
	errNoTLS = errors.New("TLS is not enabled on this server")
)

// driver is the ftpserverlib MainDriver of a Server. Every session that
// logs in gets the backing file system itself as its ClientDriver, so
// ftpserverlib calls the afero.Fs methods directly.
type driver struct {
	cfg       config
	backing   afero.Fs
	settings  ftpserver.Settings
	tlsConfig *tls.Config // nil without TLS
	track     *tracker
}

var (
	_ ftpserver.MainDriver                        = (*driver)(nil)
	_ ftpserver.MainDriverExtensionPassiveWrapper = (*driver)(nil)
)

// GetSettings returns a copy, because ftpserverlib fills in its defaults
// in place.
func (d *driver) GetSettings() (*ftpserver.Settings, error) {
	s := d.settings
	return &s, nil
}

// ClientConnected turns on the handler's debug flag, which makes it log
// each command line it reads: see commandLog.
func (d *driver) ClientConnected(cc ftpserver.ClientContext) (string, error) {
	cc.SetDebug(true)
	d.track.connected(cc.RemoteAddr(), cc.ID())
	return "ftpfstest ready", nil
}

func (d *driver) ClientDisconnected(cc ftpserver.ClientContext) {
	d.track.disconnected(cc.RemoteAddr())
}

func (d *driver) AuthUser(_ ftpserver.ClientContext, user, pass string) (ftpserver.ClientDriver, error) {
	switch {
	case user == d.cfg.user && pass == d.cfg.password:
		return d.backing, nil
	case d.cfg.anonymous && (user == "anonymous" || user == "ftp"):
		return d.backing, nil
	}
	return nil, errLogin
}

// GetTLSConfig returns an error without TLS, which also keeps AUTH TLS
// out of the FEAT reply and makes ftpserverlib refuse AUTH TLS.
func (d *driver) GetTLSConfig() (*tls.Config, error) {
	if d.tlsConfig == nil {
		return nil, errNoTLS
	}
	return d.tlsConfig, nil
}

func (d *driver) WrapPassiveListener(l net.Listener) (net.Listener, error) {
	return d.track.wrapPassive(l)
}
