package ftpconn

import (
	"context"
	"strings"
	"sync"
)

// Server is what one server can do, learned once and shared by all the
// sessions of one Fs: its FEAT reply (asked for by the first session),
// and the refusals the sessions met, each remembered with the fallback
// that worked. Nothing here depends on the server's name or banner.
type Server struct {
	mu       sync.Mutex
	learned  bool
	features map[string]string // FEAT's lines: upper-case name → parameters
	mlsd     bool              // listings are MLSD
	dashA    support           // LIST -a <path>
	refused  map[string]bool   // commands the server does not have
	links    LinksInMLSD
	// linksProbed: a first MLSD listing was compared with LIST.
	linksProbed bool
}

// support is what is known of an optional feature.
type support uint8

const (
	unknown support = iota
	supported
	unsupported
)

// NewServer returns an empty profile, for the sessions of one Fs.
func NewServer() *Server { return &Server{refused: map[string]bool{}} }

// MLSD reports whether the server lists with MLSD.
func (sv *Server) MLSD() bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.mlsd
}

// Feature reports whether FEAT listed name (such as "MFMT"), and its
// parameters.
func (sv *Server) Feature(name string) (string, bool) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	v, ok := sv.features[strings.ToUpper(name)]
	return v, ok
}

// learn learns the server's features, once per server: from the reply to
// the FEAT the client library sent at login, as the tap saw it, or else by
// asking again. A server without FEAT (any reply but 211) has none.
func (sv *Server) learn(ctx context.Context, s *Session) error {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if s.mode == ListDefault {
		sv.mlsd = s.conn.IsTimePreciseInList()
	}
	// The client library sent FEAT at login; the tap kept its reply.
	lines, ok := s.ctl.tap.takeFeat()
	if sv.learned {
		return nil
	}
	sv.features = map[string]string{}
	if ok {
		ok = strings.HasPrefix(lines[0], "211")
	} else {
		code, msg, err := s.ctl.exchange(0, "FEAT")
		if err != nil {
			return asReply("FEAT", err)
		}
		lines, ok = strings.Split(msg, "\n"), code == 211
	}
	if ok {
		for _, line := range lines {
			if !strings.HasPrefix(line, " ") {
				continue
			}
			name, params, _ := strings.Cut(strings.TrimSpace(line), " ")
			sv.features[strings.ToUpper(name)] = params
		}
	}
	sv.learned = true
	return nil
}

// wantedFacts are the MLSD facts the parsers use.
var wantedFacts = []string{"type", "size", "modify", "perm", "unique", "unix.mode", "unix.uid", "unix.gid", "unix.owner", "unix.group", "unix.ownername", "unix.groupname"}

// selectFacts asks, with OPTS MLST, for the facts the parsers use that
// the server offers but would not send (FEAT marks the facts it sends
// with "*"): without it some servers leave out the mode, and every
// permission would read 0000. The selection lasts for the session only.
func (sv *Server) selectFacts(s *Session) error {
	params, ok := sv.Feature("MLST")
	if !ok || s.mode != ListDefault {
		return nil
	}
	var want []string
	missing := false
	for _, fact := range strings.Split(params, ";") {
		name := strings.TrimSuffix(fact, "*")
		if name == "" {
			continue
		}
		for _, w := range wantedFacts {
			if strings.EqualFold(name, w) {
				want = append(want, name)
				missing = missing || !strings.HasSuffix(fact, "*")
			}
		}
	}
	if !missing {
		return nil
	}
	_, _, err := s.ctl.exchange(2, "OPTS MLST "+strings.Join(want, ";")+";")
	if Code(err) != 0 {
		// A server that lists the facts but refuses to select them
		// sends what it sends; the listing is still right.
		return nil
	}
	return err
}

// isRefused reports whether the server is known not to have command.
func (sv *Server) isRefused(command string) bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.refused[command]
}

// refuse remembers that the server does not have command, when err says
// so (500, 502 or 504), and reports whether it did.
func (sv *Server) refuse(command string, err error) bool {
	switch Code(err) {
	case 500, 502, 504:
		sv.mu.Lock()
		sv.refused[command] = true
		sv.mu.Unlock()
		return true
	}
	return false
}

// listDashA returns what is known of LIST -a <path>.
func (sv *Server) listDashA() support {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.dashA
}

func (sv *Server) setListDashA(v support) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.dashA = v
}

// LinksInMLSD is what is known of how the server's MLSD shows symbolic
// links: some show them as links (type=OS.unix=slink), some show a
// link as its target, or leave dangling links and loops out (what LIST
// shows tells).
type LinksInMLSD uint8

// What is known of LinksInMLSD.
const (
	LinksUnknown LinksInMLSD = iota // not compared with LIST yet
	LinksShown                      // a comparison found MLSD and LIST agree on links
	LinksHidden                     // MLSD hid a link that LIST showed
)

// Links returns what is known of how MLSD shows links.
func (sv *Server) Links() LinksInMLSD {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.links
}

// SawLinks records what a comparison of MLSD with LIST found. Hidden is
// for good: one server does not change its ways.
func (sv *Server) SawLinks(l LinksInMLSD) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.links != LinksHidden {
		sv.links = l
	}
}

// ProbeLinks reports, once per server, true: the caller should compare
// its first MLSD listing with LIST.
func (sv *Server) ProbeLinks() bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	first := !sv.linksProbed
	sv.linksProbed = true
	return first
}
