package ftpfs

import (
	"errors"
	"fmt"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
)

// EncodingError reports a name that the Fs's encoding (WithEncoding)
// cannot carry: a name to send with a character the encoding lacks. It
// matches fs.ErrInvalid, and comes inside an *fs.PathError; nothing was
// sent to the server.
type EncodingError = ftpconn.EncodingError

// WithEncoding makes the Fs send names to the server, and read the names
// it lists, in enc (from golang.org/x/text: charmap.ISO8859_1,
// charmap.Windows1251, japanese.ShiftJIS, simplifiedchinese.GBK, …)
// instead of UTF-8, for servers that keep names in a legacy encoding.
// The Fs then does not send OPTS UTF8 ON. Names stay UTF-8 for the
// caller. The default is UTF-8, with OPTS UTF8 ON where the server
// offers it, and names passed through as they are.
//
// Names never round-trip wrongly: a name enc cannot represent fails with
// an *fs.PathError wrapping an *EncodingError (matching fs.ErrInvalid)
// before anything is sent, and a listed name whose bytes are not valid
// in enc is a listing line that cannot be parsed: ReadDir returns the
// other entries and an error naming the line (or, WithSkipBadLines,
// leaves it out and logs it). The encoding must be ASCII-compatible and
// stateless (every charmap, Shift-JIS, EUC-JP, EUC-KR, GBK, GB18030,
// Big5 are).
//
// The URL parameter ?encoding=NAME (an IANA name such as ISO-8859-1,
// windows-1251 or Shift_JIS) does the same.
func WithEncoding(enc encoding.Encoding) Option {
	return func(c *config) error {
		if enc == nil {
			return errors.New("ftpfs: WithEncoding: nil encoding")
		}
		// FTP's commands, replies and listing lines are ASCII.
		const ascii = "LIST -a /Az09._~\r\n"
		if b, err := enc.NewEncoder().String(ascii); err != nil || b != ascii {
			return fmt.Errorf("ftpfs: WithEncoding: %s does not keep ASCII as it is", ftpconn.EncodingName(enc))
		}
		c.encoding = enc
		return nil
	}
}

// encodingByName returns the encoding with an IANA name or alias.
func encodingByName(name string) (encoding.Encoding, error) {
	enc, err := ianaindex.IANA.Encoding(name)
	if err == nil && enc == nil {
		err = errors.New("not supported")
	}
	if err != nil {
		return nil, fmt.Errorf("ftpfs: URL encoding %q: %w", name, err)
	}
	return enc, nil
}

// withBadNames adds to a listing's parse errors its lines that were not
// valid in the Fs's encoding.
func withBadNames(badNames, parseErr error) error {
	if badNames == nil {
		return parseErr
	}
	return errors.Join(badNames, parseErr)
}
