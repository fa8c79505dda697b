package ftpconn

import (
	"bufio"
	"log/slog"
	"net"
	"slices"
	"testing"
)

// TestMultiline reads replies of one and of several lines as STAT gets
// them: the lines between the first and the last, as sent.
func TestMultiline(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		code  int
		lines []string // nil: a reply of one line
	}{
		{"one line", "211 all well\r\n", 211, nil},
		{"refused", "500 'STAT': command not understood\r\n", 500, nil},
		{"listing", "213-Status follows:\r\n-rw-r--r-- 1 a b 1 Dec 06 15:56 f\r\n drwx 2 a b 0 Dec 06 15:56 d\r\n213 End of status\r\n",
			213, []string{"-rw-r--r-- 1 a b 1 Dec 06 15:56 f", " drwx 2 a b 0 Dec 06 15:56 d"}},
		{"empty", "213-Status follows:\r\n213 End\r\n", 213, []string{}},
		{"other codes inside", "212-Status:\r\n213 x\r\n212-y\r\n212 End\r\n", 212, []string{"213 x", "212-y"}},
		{"bare code ends", "211-a\r\nb\r\n211\r\n", 211, []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			go func() {
				defer server.Close()
				r := bufio.NewReader(server)
				if line, err := r.ReadString('\n'); err != nil || line != "STAT x\r\n" {
					t.Errorf("server read %q, %v; want the command", line, err)
					return
				}
				_, _ = server.Write([]byte(tt.reply))
			}()
			c := newControl(client, nil, newProtocolTap(slog.New(slog.DiscardHandler), "test"))
			renewed := 0
			code, lines, err := c.multiline("STAT x", func() { renewed++ })
			got := []string(nil)
			if lines != nil {
				got = []string{}
				for _, l := range lines {
					got = append(got, string(l))
				}
			}
			if err != nil || code != tt.code || !slices.Equal(got, tt.lines) || (got == nil) != (tt.lines == nil) {
				t.Errorf("multiline = %d, %q, %v; want %d, %q", code, got, err, tt.code, tt.lines)
			}
			if renewed == 0 {
				t.Error("the read deadline was never renewed")
			}
		})
	}
}

// TestMultilineMalformed: a reply that does not start with a code is an
// error, not a listing.
func TestMultilineMalformed(t *testing.T) {
	for _, reply := range []string{"hello\r\n", "21\r\n", "2134 x\r\n"} {
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			_, _ = bufio.NewReader(server).ReadString('\n')
			_, _ = server.Write([]byte(reply))
		}()
		c := newControl(client, nil, newProtocolTap(slog.New(slog.DiscardHandler), "test"))
		if code, lines, err := c.multiline("STAT x", func() {}); err == nil {
			t.Errorf("multiline of %q = %d, %q, nil; want an error", reply, code, lines)
		}
		client.Close()
	}
}

func TestSameListing(t *testing.T) {
	a := []byte("total 8\r\n-rw 1 a b 1 f\r\ndrwx 2 a b 0 d\r\n")
	for _, tt := range []struct {
		b    string
		same bool
	}{
		{"drwx 2 a b 0 d\n -rw 1 a b 1 f\ntotal 8\n", true},
		{"-rw 1 a b 1 f\r\ndrwx 2 a b 0 d\r\n", false},
		{"total 8\r\n-rw 1 a b 1 f\r\ndrwx 2 a b 0 d\r\n-rw 1 a b 1 g\r\n", false},
		{"total 8\r\n-rw 1 a b 2 f\r\ndrwx 2 a b 0 d\r\n", false},
	} {
		if got := sameListing(a, []byte(tt.b)); got != tt.same {
			t.Errorf("sameListing(%q, %q) = %v, want %v", a, tt.b, got, tt.same)
		}
	}
}
