package sync_test

import (
	"fmt"
	"strings"
	"testing"

	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/spf13/afero"
)

// BenchmarkMirror uploads 1,000 files of 4 KiB (in 10 directories) to the
// in-process FTP server, into a new directory each iteration, with one
// and with four transfers at once.
func BenchmarkMirror(b *testing.B) {
	const nFiles, size = 1000, 4 << 10
	src := afero.NewMemMapFs()
	files := make(map[string]string, nFiles)
	content := strings.Repeat("x", size)
	for i := range nFiles {
		files[fmt.Sprintf("d%d/f%03d", i%10, i)] = content
	}
	makeTree(b, src, "/src", files, base)

	for _, parallel := range []int{1, 4} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			remote, _ := serve(b, afero.NewMemMapFs(), nil)
			b.SetBytes(nFiles * size)
			runs := 0
			for b.Loop() {
				runs++
				stats, err := ftpsync.Mirror(b.Context(), remote, fmt.Sprintf("run%d", runs), src, "/src", ftpsync.WithParallel(parallel))
				if err != nil || stats.Copied != nFiles {
					b.Fatalf("Mirror = %+v, %v, want %d copied", stats, err, nFiles)
				}
			}
			b.ReportMetric(float64(runs*nFiles)/b.Elapsed().Seconds(), "files/s")
		})
	}
}
