package ftpfstest

import (
	"context"
	"log/slog"
	"maps"
	"strings"
	"sync"
)

// ftpserverlib has no per-command callback, but a client handler whose
// debug flag is on (the driver turns it on in ClientConnected) logs every
// line it reads, decrypted and before acting on it:
//
//	c.logger.Debug("Received line", "line", line)
//
// The server's logger is ours, so its handler picks those records out and
// drops every other one. This sees the commands of plain, explicit-TLS and
// implicit-TLS sessions alike, which a proxy on the wire could not.
// TestCommandsCounted fails if an upgrade of ftpserverlib changes the
// message.
const (
	receivedLineMsg = "Received line"
	receivedLineKey = "line"
)

// clientIDKey is the attribute that ftpserverlib adds, through
// Logger.With, to the logger of each client handler: its ClientContext.ID.
const clientIDKey = "clientId"

// commandLog is the slog.Handler of the ftpserverlib logger. The handler
// of a client's logger knows the client's ID, so that a QUIT can free the
// connection's WithMaxClients slot at once.
type commandLog struct {
	c     *commandCounter
	t     *tracker
	id    uint32
	hasID bool
}

var _ slog.Handler = commandLog{}

func (h commandLog) Enabled(_ context.Context, level slog.Level) bool {
	return level == slog.LevelDebug
}

func (h commandLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != receivedLineMsg {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key != receivedLineKey {
			return true
		}
		if verb := h.c.record(a.Value.String()); verb == "QUIT" && h.hasID {
			h.t.quit(h.id)
		}
		return false
	})
	return nil
}

func (h commandLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	for _, a := range attrs {
		if a.Key == clientIDKey && a.Value.Kind() == slog.KindUint64 {
			h.id, h.hasID = uint32(a.Value.Uint64()), true
		}
	}
	return h
}

func (h commandLog) WithGroup(string) slog.Handler { return h }

// commandCounter counts commands by verb and passes them to the hook.
type commandCounter struct {
	hook func(cmd, arg string)

	mu     sync.Mutex
	counts map[string]int
}

func newCommandCounter(hook func(cmd, arg string)) *commandCounter {
	return &commandCounter{hook: hook, counts: make(map[string]int)}
}

// record splits line as ftpserverlib does: the verb is everything before
// the first space, in upper case. Leading bytes that are not letters are
// dropped, so an ABOR sent after the Telnet "interrupt process" bytes
// counts as ABOR, which is also how ftpserverlib reads it. It returns the
// verb.
func (c *commandCounter) record(line string) string {
	verb, arg, _ := strings.Cut(line, " ")
	verb = strings.ToUpper(strings.TrimLeftFunc(verb, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z')
	}))
	c.mu.Lock()
	c.counts[verb]++
	c.mu.Unlock()
	if c.hook != nil {
		c.hook(verb, arg)
	}
	return verb
}

func (c *commandCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

func (c *commandCounter) reset() {
	c.mu.Lock()
	clear(c.counts)
	c.mu.Unlock()
}
