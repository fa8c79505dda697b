package ftpfs

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/ftpfs/ftpfs/internal/ftpconn"
)

// The hash algorithms Checksum knows, by their names in the HASH
// extension (draft-bryan-ftpext-hash), strongest first; the X commands
// that compute the same, where a server has those instead; and the length
// of a sum in bytes.
var hashAlgos = []struct {
	name  string
	xcmd  string
	bytes int
}{
	{"SHA-512", "XSHA512", 64},
	{"SHA-256", "XSHA256", 32},
	{"SHA-1", "XSHA1", 20},
	{"MD5", "XMD5", 16},
	{"CRC32", "XCRC", 4},
}

// HashAlgorithms returns the names of the hash algorithms the server can
// compute for Checksum, strongest first: "SHA-512", "SHA-256", "SHA-1",
// "MD5", "CRC32", those it lists in FEAT under HASH, or as the commands
// XSHA512, XSHA256, XSHA1, XMD5 and XCRC. None: the server computes no
// hashes.
func (f *Fs) HashAlgorithms() []string {
	var out []string
	for _, a := range hashAlgos {
		if f.hashCommand(a.name) != "" {
			out = append(out, a.name)
		}
	}
	return out
}

// hashCommand returns how the server computes algo: "HASH" (after OPTS
// HASH), its X command, or "" when it cannot.
func (f *Fs) hashCommand(algo string) string {
	if params, ok := f.server.Feature("HASH"); ok {
		for _, p := range strings.Split(params, ";") {
			if strings.EqualFold(strings.TrimSuffix(strings.TrimSpace(p), "*"), algo) {
				return "HASH"
			}
		}
	}
	for _, a := range hashAlgos {
		if a.name == algo {
			if _, ok := f.server.Feature(a.xcmd); ok {
				return a.xcmd
			}
		}
	}
	return ""
}

// Checksum asks the server for the hash of the named file, computed with
// algo (one of HashAlgorithms; "" picks the strongest the server has), and
// returns the algorithm and the sum. The server reads the whole file, so
// for a large one this takes a while; it is one round trip (two with
// HASH, which needs OPTS HASH first). A server that computes no such hash
// gives an error matching errors.ErrUnsupported.
func (f *Fs) Checksum(name, algo string) (string, []byte, error) {
	p, err := f.resolve(name)
	if err != nil {
		return "", nil, pathErr("checksum", name, err)
	}
	if algo == "" {
		if algos := f.HashAlgorithms(); len(algos) > 0 {
			algo = algos[0]
		}
	}
	size := 0
	for _, a := range hashAlgos {
		if strings.EqualFold(a.name, algo) {
			algo, size = a.name, a.bytes
		}
	}
	command := ""
	if size > 0 {
		command = f.hashCommand(algo)
	}
	if command == "" {
		return "", nil, pathErr("checksum", name, fmt.Errorf("the server computes no %s hash: %w", algo, errors.ErrUnsupported))
	}
	var reply ftpconn.Reply
	err = f.withSession(query, func(ctx context.Context, s *ftpconn.Session) error {
		if command == "HASH" {
			if _, err := s.Command(ctx, "OPTS HASH "+algo); err != nil {
				return err
			}
			reply, err = s.Command(ctx, "HASH "+p)
			return err
		}
		reply, err = s.Command(ctx, command+" "+p)
		return err
	})
	if err != nil {
		return "", nil, pathErr("checksum", name, f.classify(p, err))
	}
	sum, err := parseHashReply(reply.Message, algo, size)
	if err != nil {
		return "", nil, pathErr("checksum", name, err)
	}
	return algo, sum, nil
}

// parseHashReply finds the sum in the reply to HASH ("SHA-256 0-49 <hex>
// <path>") or to an X command ("<hex>", or "<hex> <path>"): the last
// line's first field of the right length in hex.
func parseHashReply(msg, algo string, size int) ([]byte, error) {
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	for _, field := range strings.Fields(lines[len(lines)-1]) {
		if len(field) != 2*size {
			continue
		}
		if sum, err := hex.DecodeString(field); err == nil {
			return sum, nil
		}
	}
	return nil, fmt.Errorf("ftp: no %s sum in the reply %q", algo, msg)
}
