package ftpconn

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/ftpfs/ftpfs/parsers"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// Name encodings. The protocol carries names as bytes; a Config's
// Encoding says which encoding they are in. Every name a session puts on
// the wire (a command's argument, a raw command) is encoded before it
// leaves, and every name the server sends (a listing, PWD's reply) is
// decoded before the parsers see it, so that the rest of ftpfs sees only
// UTF-8. A nil Encoding sends and takes the bytes as they are (UTF-8 by
// convention, OPTS UTF8 ON where the server offers it).
//
// Names never round-trip wrongly:
//
//   - a name the encoding cannot represent fails with an *EncodingError
//     (matching fs.ErrInvalid) before any byte reaches the server;
//   - a listing line whose bytes are not valid in the encoding (one that
//     does not decode and encode back to the same bytes) is not parsed:
//     it is reported as a *parsers.ParseError, like a line no parser
//     understands, and never becomes an entry with a wrong name.

// EncodingError reports a name that the Fs's encoding cannot carry: a
// name to send with a character the encoding lacks, or a name the server
// sent in bytes that are not valid in the encoding. It matches
// fs.ErrInvalid.
type EncodingError struct {
	Name     string // the name, as given (to send) or as received (quoted)
	Encoding string // the encoding's name, such as "Shift JIS"
	Received bool   // the server sent the name; else it was to be sent
}

func (e *EncodingError) Error() string {
	if e.Received {
		return fmt.Sprintf("the server sent %s, which is not valid %s", e.Name, e.Encoding)
	}
	return fmt.Sprintf("%q cannot be written in %s", e.Name, e.Encoding)
}

// Is reports whether target is fs.ErrInvalid.
func (e *EncodingError) Is(target error) bool { return target == fs.ErrInvalid }

// codec encodes and decodes names with an Encoding; its zero value (and
// a nil Encoding) passes bytes through.
type codec struct {
	enc  encoding.Encoding
	name string
}

func newCodec(enc encoding.Encoding) codec {
	if enc == nil || enc == encoding.Nop {
		return codec{}
	}
	return codec{enc: enc, name: EncodingName(enc)}
}

// EncodingName returns the name of enc for messages: its String, or its
// Go type.
func EncodingName(enc encoding.Encoding) string {
	if s, ok := enc.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", enc)
}

// utf8 reports whether names travel as UTF-8: no encoding, or UTF-8
// chosen explicitly (which still rejects invalid bytes).
func (c codec) utf8() bool { return c.enc == nil || c.enc == unicode.UTF8 }

// CheckName returns an *EncodingError if enc cannot represent name (nil:
// UTF-8, which represents every name).
func CheckName(enc encoding.Encoding, name string) error {
	_, err := newCodec(enc).encode(name)
	return err
}

// encode returns name in the encoding, as a Go string of those bytes.
func (c codec) encode(name string) (string, error) {
	if c.enc == nil {
		return name, nil
	}
	b, err := c.enc.NewEncoder().String(name)
	if err != nil {
		return "", &EncodingError{Name: name, Encoding: c.name}
	}
	return b, nil
}

// decode returns the bytes b, which the server sent in the encoding, as
// UTF-8, and fails unless they encode back to the same bytes (decoders
// replace what they cannot read with U+FFFD, which would be a wrong
// name).
func (c codec) decode(b []byte) (string, error) {
	if c.enc == nil {
		return string(b), nil
	}
	s, err := c.enc.NewDecoder().String(string(b))
	if err == nil {
		var back string
		back, err = c.enc.NewEncoder().String(s)
		if err == nil && back != string(b) {
			err = errors.New("does not round-trip")
		}
	}
	if err != nil {
		return "", &EncodingError{Name: strconv.Quote(string(b)), Encoding: c.name, Received: true}
	}
	return s, nil
}

// decodeListing decodes a listing line by line. Lines that are not valid
// in the encoding are left out and returned as one error joining a
// *parsers.ParseError for each.
func (c codec) decodeListing(data []byte) ([]byte, error) {
	if c.enc == nil {
		return data, nil
	}
	out := make([]byte, 0, len(data)+len(data)/4)
	var errs []error
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line = data[:i+1]
		}
		data = data[len(line):]
		s, err := c.decode(line)
		if err != nil {
			text := string(bytes.TrimRight(line, "\r\n"))
			errs = append(errs, &parsers.ParseError{Parser: "encoding", Line: text, Err: errors.New("not valid " + c.name)})
			continue
		}
		out = append(out, s...)
	}
	return out, errors.Join(errs...)
}
