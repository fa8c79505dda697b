package ftpfstest_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestCommandsCounted checks the counts of what our client sends, which
// also guards the way commands are observed (see commands.go): commands
// sent inside TLS must be counted as well as plain ones.
func TestCommandsCounted(t *testing.T) {
	// One FEAT: the client library's at login, whose reply the session
	// also learns the server from.
	wantLogin := map[string]map[string]int{
		"plain":        {"USER": 1, "PASS": 1, "FEAT": 1, "TYPE": 1, "OPTS": 1},
		"explicit-tls": {"AUTH": 1, "USER": 1, "PASS": 1, "FEAT": 1, "TYPE": 1, "OPTS": 1, "PBSZ": 1, "PROT": 1},
		"implicit-tls": {"USER": 1, "PASS": 1, "FEAT": 1, "TYPE": 1, "OPTS": 1, "PBSZ": 1, "PROT": 1},
	}
	for _, sec := range securities {
		t.Run(sec.name, func(t *testing.T) {
			t.Parallel()
			backing := afero.NewMemMapFs()
			if err := afero.WriteFile(backing, "/f", []byte("abc"), 0o644); err != nil {
				t.Fatal(err)
			}
			srv := newServer(t, backing, sec.opts...)
			if got := srv.Commands(); len(got) != 0 {
				t.Errorf("Commands() before any client = %v, want none", got)
			}
			c := login(t, srv, sec)
			if got, want := srv.Commands(), wantLogin[sec.name]; !maps.Equal(got, want) {
				t.Errorf("Commands() after login = %v, want %v", got, want)
			}

			srv.ResetCommands()
			if got := srv.Commands(); len(got) != 0 {
				t.Errorf("Commands() after ResetCommands = %v, want none", got)
			}
			if _, err := retr(c, "/f", 0); err != nil {
				t.Fatalf("Retr(/f) = %v, want nil", err)
			}
			if _, err := c.List(context.Background(), "/", false); err != nil {
				t.Fatalf("List(/) = %v", err)
			}
			if err := c.Noop(context.Background()); err != nil {
				t.Fatalf("Noop() = %v", err)
			}
			want := map[string]int{"EPSV": 2, "RETR": 1, "MLSD": 1, "NOOP": 1}
			if got := srv.Commands(); !maps.Equal(got, want) {
				t.Errorf("Commands() after Retr, List, Noop = %v, want %v", got, want)
			}
		})
	}
}

// TestCommandsBeforeLogin checks that commands refused for lack of a
// login are counted too, and that verbs are counted in upper case.
func TestCommandsBeforeLogin(t *testing.T) {
	t.Parallel()
	srv := newServer(t, afero.NewMemMapFs())
	c, _, _ := dialRaw(t, srv, nil)
	if code, msg := c.cmd("pwd"); code != 530 {
		t.Errorf("pwd before login = %d %q, want 530", code, msg)
	}
	if code, msg := c.cmd("NOOP"); code != 200 {
		t.Errorf("NOOP before login = %d %q, want 200", code, msg)
	}
	want := map[string]int{"PWD": 1, "NOOP": 1}
	if got := srv.Commands(); !maps.Equal(got, want) {
		t.Errorf("Commands() = %v, want %v", got, want)
	}
}

func TestCommandHook(t *testing.T) {
	for _, sec := range securities {
		t.Run(sec.name, func(t *testing.T) {
			t.Parallel()
			var (
				mu   sync.Mutex
				seen []string
			)
			hook := ftpfstest.WithCommandHook(func(cmd, arg string) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, cmd+"("+arg+")")
			})
			srv := newServer(t, afero.NewMemMapFs(), append(slices.Clone(sec.opts), hook)...)
			c := login(t, srv, sec)
			if err := c.Mkdir(context.Background(), "/a b"); err != nil {
				t.Fatalf("Mkdir(/a b) = %v", err)
			}

			want := []string{"USER(test)", "PASS(test)", "FEAT()", "TYPE(I)", "OPTS(UTF8 ON)"}
			switch sec.name {
			case "explicit-tls":
				want = append([]string{"AUTH(TLS)"}, want...)
				want = append(want, "PBSZ(0)", "PROT(P)")
			case "implicit-tls":
				want = append(want, "PBSZ(0)", "PROT(P)")
			}
			want = append(want, "MKD(/a b)") // the session learned the server from the login's FEAT
			mu.Lock()
			got := slices.Clone(seen)
			mu.Unlock()
			if !slices.Equal(got, want) {
				t.Errorf("hook saw %q, want %q", got, want)
			}
		})
	}
}
