package ftpfs_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/spf13/afero"
)

// TestCommand: raw commands go over the pooled connections (no login of
// their own) and return the reply; refusals are *ReplyErrors; commands
// that would upset the Fs, and CR/LF injection, are refused before
// anything is sent.
func TestCommand(t *testing.T) {
	backing := afero.NewMemMapFs()
	fsys, srv := serve(t, backing, nil)
	if err := afero.WriteFile(fsys, "f.txt", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv.ResetCommands()
	r, err := fsys.Command("NOOP")
	if err != nil || r.Code != 200 {
		t.Errorf("Command(NOOP) = %+v, %v; want a 200 reply", r, err)
	}
	r, err = fsys.Command("SIZE /f.txt")
	if err != nil || r.Code != 213 || r.Message != "1" {
		t.Errorf("Command(SIZE) = %+v, %v; want 213 1", r, err)
	}
	_, err = fsys.Command("XYZZY")
	var reply *ftpfs.ReplyError
	if !errors.As(err, &reply) || reply.Code/100 != 5 || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Command(XYZZY) = %v; want a 5xx *ftpfs.ReplyError matching errors.ErrUnsupported", err)
	}
	if cmds := srv.Commands(); cmds["USER"] != 0 || cmds["NOOP"] != 1 || cmds["SIZE"] != 1 {
		t.Errorf("commands %v; want NOOP and SIZE on the pooled connection, no new login", cmds)
	}
	for _, line := range []string{"RETR /f.txt", "pass secret", "TYPE A", "OPTS UTF8 OFF"} {
		if _, err := fsys.Command(line); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Command(%q) = %v; want errors.ErrUnsupported", line, err)
		}
	}
	if _, err := fsys.Command("NOOP\r\nDELE /f.txt"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Command with CR LF = %v; want fs.ErrInvalid", err)
	}
	if cmds := srv.Commands(); cmds["RETR"]+cmds["PASS"]+cmds["TYPE"]+cmds["OPTS"]+cmds["DELE"] != 0 {
		t.Errorf("refused commands reached the server: %v", cmds)
	}
	if _, err := backing.Stat("/f.txt"); err != nil {
		t.Errorf("the file after an injection attempt: %v", err)
	}
}
