package ftpconn

import (
	"context"
	"log/slog"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestTapKeepsFeatReply feeds the tap a FEAT and its reply, cut at every
// place, and checks that takeFeat gives the reply whole, once.
func TestTapKeepsFeatReply(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  []string // nil: no reply kept
	}{
		{
			name:  "several lines",
			reply: "211-Features:\r\n MDTM\r\n MLST type*;size*;\r\n211-not the end\r\n 211 End\r\n211 End\r\n",
			want:  []string{"211-Features:", " MDTM", " MLST type*;size*;", "211-not the end", " 211 End", "211 End"},
		},
		{name: "one line", reply: "211 no features\r\n", want: []string{"211 no features"}},
		{name: "refused", reply: "500 FEAT not understood\r\n", want: []string{"500 FEAT not understood"}},
		{name: "cut short", reply: "211-Features:\r\n MDTM\r\n", want: nil},
	}
	for _, tt := range tests {
		for cut := range len(tt.reply) + 1 {
			tap := newProtocolTap(slog.New(slog.DiscardHandler), "test")
			tap.received([]byte("220 hello\r\n"))
			tap.sent([]byte("FEAT\r\n"))
			tap.received([]byte(tt.reply[:cut]))
			tap.received([]byte(tt.reply[cut:]))
			got, ok := tap.takeFeat()
			if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
				t.Errorf("%s, cut at %d: takeFeat() = %q, %v; want %q", tt.name, cut, got, ok, tt.want)
			}
			if got, ok := tap.takeFeat(); ok {
				t.Errorf("%s: second takeFeat() = %q, true; want none", tt.name, got)
			}
		}
	}
}

// TestTapNoFeat checks that replies to other commands are not taken for
// FEAT's.
func TestTapNoFeat(t *testing.T) {
	tap := newProtocolTap(slog.New(slog.DiscardHandler), "test")
	tap.sent([]byte("SYST\r\n"))
	tap.received([]byte("215 UNIX Type: L8\r\n"))
	if got, ok := tap.takeFeat(); ok {
		t.Errorf("takeFeat() after SYST = %q, true; want none", got)
	}
}

// TestLearnAsksFeatWhenTapSawNone: a server profile learnt on a session
// whose tap holds no FEAT reply (here: the first profile took it) sends
// FEAT itself, once, and learns the same features.
func TestLearnAsksFeatWhenTapSawNone(t *testing.T) {
	srv := ftpfstest.NewServer(afero.NewMemMapFs())
	defer srv.Close()
	host, _, _ := net.SplitHostPort(srv.Addr())
	cfg := &Config{Address: srv.Addr(), Host: host, User: srv.User(), Password: srv.Password(),
		Dialer: (&net.Dialer{}).DialContext, DialTimeout: 5 * time.Second, Timeout: time.Minute,
		Logger: slog.New(slog.DiscardHandler)}
	first := NewServer()
	s, err := Dial(context.Background(), cfg, first, ListDefault)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want, ok := first.Feature("MLST")
	if !ok {
		t.Fatal("the login's FEAT reply taught no MLST")
	}
	feats := srv.Commands()["FEAT"]
	second := NewServer()
	if err := second.learn(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got, ok := second.Feature("MLST"); !ok || got != want {
		t.Errorf("learnt by asking: MLST %q, %v; want %q", got, ok, want)
	}
	if n := srv.Commands()["FEAT"]; n != feats+1 {
		t.Errorf("FEAT sent %d times more; want once", n-feats)
	}
}
