package ftpfs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
)

// levelProtocol is the level at which commands and replies are logged.
const levelProtocol = slog.LevelDebug

// protocolLog receives the raw control-channel traffic (and listings)
// from the client library and logs it line by line at debug level, with
// the argument of PASS replaced.
type protocolLog struct {
	logger *slog.Logger
	server string
	mu     sync.Mutex
	buf    bytes.Buffer
}

func newProtocolLog(l *slog.Logger, server string) *protocolLog {
	return &protocolLog{logger: l, server: server}
}

func (w *protocolLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil { // no full line yet: keep it for the next write
			w.buf.Reset()
			w.buf.WriteString(line)
			return len(p), nil
		}
		w.logger.Log(context.Background(), levelProtocol, "ftp", "server", w.server, "line", redactLine(strings.TrimRight(line, "\r\n")))
	}
}

// redactLine hides the password of a PASS command.
func redactLine(line string) string {
	if len(line) >= 4 && strings.EqualFold(line[:4], "PASS") {
		return "PASS ****"
	}
	return line
}
