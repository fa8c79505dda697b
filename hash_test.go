package ftpfs_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// TestChecksum: on a server with HASH, Checksum returns the sum of every
// algorithm the server lists, equal to the one computed here; on a server
// without, errors.ErrUnsupported.
func TestChecksum(t *testing.T) {
	data := cpBytes(7, 100_000)
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, map[string]string{"dir/f": string(data)})
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithHash()})
	crc := make([]byte, 4)
	binary.BigEndian.PutUint32(crc, crc32.ChecksumIEEE(data))
	s1, s256, s512, m5 := sha1.Sum(data), sha256.Sum256(data), sha512.Sum512(data), md5.Sum(data)
	want := map[string][]byte{"SHA-512": s512[:], "SHA-256": s256[:], "SHA-1": s1[:], "MD5": m5[:], "CRC32": crc}
	algos := fsys.HashAlgorithms()
	if !slices.Contains(algos, "SHA-256") || !slices.Contains(algos, "MD5") {
		t.Fatalf("HashAlgorithms() = %v; want SHA-256 and MD5 among them", algos)
	}
	for _, algo := range append(algos, "") {
		got, sum, err := fsys.Checksum("dir/f", algo)
		if err != nil {
			t.Errorf("Checksum(%q) = %v", algo, err)
			continue
		}
		if algo == "" && got != algos[0] {
			t.Errorf("Checksum(\"\") used %s; want the strongest, %s", got, algos[0])
		}
		if !bytes.Equal(sum, want[got]) {
			t.Errorf("Checksum(%q) = %s %x; want %x", algo, got, sum, want[got])
		}
	}
	plain, _ := serve(t, backing, nil)
	if _, _, err := plain.Checksum("dir/f", ""); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Checksum on a server without hashes = %v; want errors.ErrUnsupported", err)
	}
}
