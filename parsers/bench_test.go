package parsers

import (
	"fmt"
	"strings"
	"testing"
)

// benchListing builds a listing of n lines in the given form.
func benchListing(n int, line func(i int) string) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(line(i))
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

func benchmarkListing(b *testing.B, p Parser, listing []byte, lines int) {
	b.ReportAllocs()
	b.SetBytes(int64(len(listing)))
	for b.Loop() {
		entries, err := ParseListing(listing, p, fixedNow)
		if err != nil || len(entries) != lines {
			b.Fatalf("ParseListing: %d entries, %v", len(entries), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}

func BenchmarkUnixListing10k(b *testing.B) {
	const n = 10000
	listing := benchListing(n, func(i int) string {
		if i%10 == 0 {
			return fmt.Sprintf("drwxr-xr-x    2 1000     1000         4096 May 26  2005 directory %d", i)
		}
		return fmt.Sprintf("-rw-r--r--    1 1000     1000     %8d Nov 23 02:33 file-%05d.dat", i*37, i)
	})
	benchmarkListing(b, Unix{}, listing, n)
}

func BenchmarkMLSDListing10k(b *testing.B) {
	const n = 10000
	listing := benchListing(n, func(i int) string {
		return fmt.Sprintf("type=file;size=%d;modify=20261123023304;UNIX.mode=0644;UNIX.uid=1000;UNIX.gid=1000;unique=803g%x; file-%05d.dat", i*37, i, i)
	})
	benchmarkListing(b, MLSD{}, listing, n)
}

func BenchmarkUnixLine(b *testing.B) {
	const line = "-rw-r--r--    1 1000     1000         4096 Nov 23 02:33 notes.txt"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Unix{}).Parse(line, fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAutoUnixListing10k is the Unix listing through NewAuto, as the
// Fs parses LIST output: detection on the first line, then Unix alone.
func BenchmarkAutoUnixListing10k(b *testing.B) {
	const n = 10000
	listing := benchListing(n, func(i int) string {
		return fmt.Sprintf("-rw-r--r--    1 1000     1000     %8d Nov 23 02:33 file-%05d.dat", i*37, i)
	})
	b.ReportAllocs()
	b.SetBytes(int64(len(listing)))
	for b.Loop() {
		entries, err := ParseListing(listing, NewAuto(), fixedNow)
		if err != nil || len(entries) != n {
			b.Fatalf("ParseListing: %d entries, %v", len(entries), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
}
