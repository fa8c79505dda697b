package ftpfs_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// A server that allows fewer connections than the pool's bound: the pool
// learns the limit and callers queue instead of failing.
func TestPoolLearnsTheServersLimit(t *testing.T) {
	backing := afero.NewMemMapFs()
	files := map[string]string{}
	for i := 0; i < 8; i++ {
		files[fmt.Sprintf("f%d", i)] = fmt.Sprintf("content %d", i)
	}
	writeFiles(t, backing, files)
	fsys, _ := serve(t, backing, []ftpfstest.Option{ftpfstest.WithMaxClients(2)}) // default WithMaxConns is 4
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 8; i++ {
				name := fmt.Sprintf("f%d", (g+i)%8)
				got, err := afero.ReadFile(fsys, name)
				if err != nil || string(got) != files[name] {
					errs <- fmt.Errorf("goroutine %d: ReadFile(%s) = %q, %v", g, name, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
