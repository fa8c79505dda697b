package cache_test

import (
	"fmt"
	"io/fs"
	"time"

	"github.com/ftpfs/ftpfs/cache"
	"github.com/ftpfs/ftpfs/parsers"
)

func Example() {
	c := cache.New(cache.Options{})

	// A filesystem lists /pub once...
	c.PutDir("/pub", []parsers.Entry{
		{Name: "README", Type: parsers.TypeFile, Size: 42, Mode: 0o644},
		{Name: "src", Type: parsers.TypeDir, Mode: fs.ModeDir | 0o755},
	})

	// ...and answers Stat and ReadDir from the listing.
	e, l := c.Get("/pub/README")
	fmt.Println(l, e.Name, e.Size)
	_, l = c.Get("/pub/missing")
	fmt.Println(l)
	_, l = c.Get("/etc/passwd")
	fmt.Println(l)
	ls, _ := c.Dir("/pub")
	fmt.Println(len(ls), ls[0].Name, ls[1].Name)

	// After writing /pub/README it invalidates the file and its listing.
	c.Invalidate("/pub/README")
	_, l = c.Get("/pub/README")
	fmt.Println(l)

	fmt.Printf("%+v\n", c.Stats())
	// Output:
	// hit README 42
	// not exist
	// miss
	// 2 README src
	// miss
	// {Hits:2 NegativeHits:1 Misses:2 Evictions:0}
}

func ExampleCache_SetMaxAge() {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c := cache.New(cache.Options{Now: func() time.Time { return now }})
	fmt.Println(c.MaxAge())

	c.Put("/f", parsers.Entry{Name: "f", Size: 1})
	now = now.Add(cache.DefaultMaxAge)
	_, l := c.Get("/f")
	fmt.Println(l)

	// ftputil's behaviour: keep entries until evicted or invalidated.
	c.SetMaxAge(0)
	c.Put("/f", parsers.Entry{Name: "f", Size: 1})
	now = now.Add(24 * time.Hour)
	_, l = c.Get("/f")
	fmt.Println(l)
	// Output:
	// 5s
	// miss
	// hit
}
