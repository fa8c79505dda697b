package ftpconn

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/ftpfs/ftpfs/parsers"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func TestCodec(t *testing.T) {
	latin := newCodec(charmap.ISO8859_1)
	if got, err := latin.encode("/dir/café"); err != nil || got != "/dir/caf\xe9" {
		t.Errorf("encode = %q, %v", got, err)
	}
	_, err := latin.encode("/日本")
	var encErr *EncodingError
	if !errors.As(err, &encErr) || !errors.Is(err, fs.ErrInvalid) || !strings.Contains(err.Error(), "ISO 8859-1") {
		t.Errorf("encode of a name latin-1 lacks: %v", err)
	}
	if Broken(err) {
		t.Error("an encoding error breaks the session, yet nothing was sent")
	}
	if got, err := latin.decode([]byte("/caf\xe9")); err != nil || got != "/café" {
		t.Errorf("decode = %q, %v", got, err)
	}

	sjis := newCodec(japanese.ShiftJIS)
	if _, err := sjis.decode([]byte("\"/bad\xa0\"")); !errors.As(err, &encErr) || !encErr.Received {
		t.Errorf("decode of bytes not valid Shift-JIS: %v", err)
	}
	data, err := sjis.decodeListing([]byte("type=file; \x93\xfa\x96\x7b\r\ntype=file; bad\xa0\r\ntype=file; ascii\r\n"))
	if string(data) != "type=file; 日本\r\ntype=file; ascii\r\n" {
		t.Errorf("decodeListing = %q", data)
	}
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Line != "type=file; bad\xa0" {
		t.Errorf("decodeListing error = %v", err)
	}

	// No encoding: bytes pass as they are, invalid UTF-8 included.
	var none codec
	if got, err := none.encode("caf\xe9"); err != nil || got != "caf\xe9" || !none.utf8() {
		t.Errorf("no encoding: %q, %v", got, err)
	}
	if data, err := none.decodeListing([]byte("x\xff\n")); err != nil || string(data) != "x\xff\n" {
		t.Errorf("no encoding: %q, %v", data, err)
	}
	// UTF-8 chosen: OPTS UTF8 ON still, invalid bytes refused.
	strict := newCodec(unicode.UTF8)
	if !strict.utf8() || newCodec(charmap.ISO8859_1).utf8() {
		t.Error("utf8()")
	}
	if _, err := strict.decode([]byte("x\xff")); err == nil {
		t.Error("UTF-8 chosen: invalid bytes accepted")
	}
}
