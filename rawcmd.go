package ftpfs

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/textproto"
	"time"
)

// site sends "SITE <command>" on a control-only connection of its own:
// the FTP client library has no way to send a raw command. The connection
// is made, used and closed within the call, inside a pool slot so that the
// Fs stays within its connection bound. It returns the reply as a
// *ReplyError when the server refuses.
func (f *Fs) site(command string) error {
	return f.withSlot(func(ctx context.Context) error {
		var conn *textproto.Conn
		err := retryBusy(ctx, func() (err error) {
			conn, err = f.dialRaw(ctx)
			return err
		})
		if err != nil {
			return err
		}
		defer func() {
			_ = conn.PrintfLine("QUIT") // the SITE reply is what matters
			_ = conn.Close()
		}()
		if _, err := conn.Cmd("SITE %s", command); err != nil {
			return err
		}
		_, _, err = conn.ReadResponse(2)
		return asReply("SITE", err)
	})
}

// withSlot runs op while holding one of the pool's connection slots.
func (f *Fs) withSlot(op func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(f.ctx, f.cfg.dialTimeout+f.cfg.timeout)
	defer cancel()
	release, err := f.pool.reserve(ctx)
	if err != nil {
		return err
	}
	defer release()
	return op(ctx)
}

// dialRaw opens a logged-in control connection with net/textproto: the
// greeting, AUTH TLS where the URL asks for it, USER and PASS.
func (f *Fs) dialRaw(ctx context.Context) (*textproto.Conn, error) {
	raw, err := f.cfg.dialer(ctx, "tcp", f.target.address)
	if err != nil {
		return nil, err
	}
	if d, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(d) // a failure shows up as an I/O error
	}
	stop := context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Unix(1, 0)) })
	conn, err := f.rawLogin(raw)
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		_ = raw.Close() // the login error is what matters
		return nil, err
	}
	return conn, nil
}

func (f *Fs) rawLogin(raw net.Conn) (*textproto.Conn, error) {
	t := &f.target
	var c net.Conn = raw
	if t.security == implicitTLS {
		c = tls.Client(raw, sessionTLS(f.cfg.tlsConfig, t.host))
	}
	conn := textproto.NewConn(c)
	if _, _, err := conn.ReadResponse(220); err != nil {
		return nil, asReply("connect", err)
	}
	if t.security == explicitTLS {
		if err := exchange(conn, 234, "AUTH TLS"); err != nil {
			return nil, asReply("AUTH", err)
		}
		conn = textproto.NewConn(tls.Client(raw, sessionTLS(f.cfg.tlsConfig, t.host)))
	}
	id, err := conn.Cmd("USER %s", t.user)
	if err != nil {
		return nil, err
	}
	conn.StartResponse(id)
	code, msg, err := conn.ReadResponse(0)
	conn.EndResponse(id)
	if err != nil && code == 0 {
		return nil, err
	}
	switch code / 100 {
	case 2: // logged in without a password
	case 3:
		if err := exchange(conn, 230, fmt.Sprintf("PASS %s", t.password)); err != nil {
			return nil, loginError(err)
		}
	default:
		return nil, loginError(&textproto.Error{Code: code, Msg: msg})
	}
	return conn, nil
}

// exchange sends one command and reads its reply, which must have the
// code (or, for a one-digit code, the class) expected.
func exchange(conn *textproto.Conn, expect int, line string) error {
	id, err := conn.Cmd("%s", line)
	if err != nil {
		return err
	}
	conn.StartResponse(id)
	defer conn.EndResponse(id)
	_, _, err = conn.ReadResponse(expect)
	return err
}
