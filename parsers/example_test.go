package parsers_test

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ftpfs/ftpfs/parsers"
)

func ExampleUnix() {
	clock := parsers.Clock{Now: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	e, err := parsers.Unix{}.Parse("lrwxrwxrwx 1 ftp ftp 7 Nov 23 02:33 bin -> usr/bin", clock)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Name, e.Type, e.LinkTarget, e.Mode, e.ModTime, e.Precision)
	// Output: bin link usr/bin Lrwxrwxrwx 2026-11-23 02:33:00 +0000 UTC 1m0s
}

func ExampleParseListing() {
	listing := []byte("total 2\r\n" +
		"-rw-r--r--   1 ftp ftp 1024 May 26  2005 report.pdf\r\n" +
		"?????????? what is this\r\n")
	entries, err := parsers.ParseListing(listing, parsers.NewAuto(), parsers.Clock{})
	for _, e := range entries {
		fmt.Println(e.Name, e.Size)
	}
	fmt.Println(err)
	// Output:
	// report.pdf 1024
	// parsers: unix: cannot parse "?????????? what is this": too few fields
}

// A server with a listing format of its own: "name|size|mode|YYYY-MM-DD".
// ParserFunc turns a function into a Parser; ParseUnixMode does the mode.
func Example_customParser() {
	pipes := parsers.ParserFunc(func(line string, clock parsers.Clock) (parsers.Entry, error) {
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return parsers.Entry{}, &parsers.ParseError{Parser: "pipes", Line: line, Err: fmt.Errorf("%d fields, want 4", len(f))}
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return parsers.Entry{}, &parsers.ParseError{Parser: "pipes", Line: line, Err: err}
		}
		mode, err := parsers.ParseUnixMode(f[2])
		if err != nil {
			return parsers.Entry{}, &parsers.ParseError{Parser: "pipes", Line: line, Err: err}
		}
		day, err := time.Parse(time.DateOnly, f[3])
		if err != nil {
			return parsers.Entry{}, &parsers.ParseError{Parser: "pipes", Line: line, Err: err}
		}
		return parsers.Entry{
			Name: f[0], Size: size, Mode: mode, Type: parsers.TypeFile,
			ModTime: day.Add(-clock.Shift), Precision: 24 * time.Hour, Raw: line,
		}, nil
	})

	entries, err := parsers.ParseListing([]byte("a.txt|12|-rw-r--r--|2026-01-02\nb.txt|oops|-rw-r--r--|2026-01-02\n"), pipes, parsers.Clock{})
	for _, e := range entries {
		fmt.Println(e.Name, e.Size, e.Mode, e.ModTime.Format(time.DateOnly))
	}
	fmt.Println(err != nil)
	// Output:
	// a.txt 12 -rw-r--r-- 2026-01-02
	// true
}

// Auto finds the format from the lines; a VMS entry whose name fills its
// line continues on the next, and ParseListing joins the two.
func ExampleNewAuto_vms() {
	listing := []byte("Directory DKA0:[PUB]\r\n\r\n" +
		"TOOLS.DIR;1            1/3         2-JAN-2024 08:00     [SYSTEM]       (RWE,RWE,RE,RE)\r\n" +
		"A_RATHER_LONG_FILE_NAME.DAT;12\r\n" +
		"                     220/222      03-OCT-2025 17:02:55  [STAFF,MIRA]   (RWED,RWED,,)\r\n" +
		"HUGE.BCK;1  ******  30-JUN-2026 12:00:00 [OPERATOR] (RWED,RWED,RE,)\r\n" +
		"\r\nTotal of 3 files, 221/225 blocks.\r\n")
	auto := parsers.NewAuto()
	entries, err := parsers.ParseListing(listing, auto, parsers.Clock{})
	fmt.Printf("%T %v\n", auto.Detected(), err)
	for _, e := range entries {
		size := strconv.FormatInt(e.Size, 10)
		if !e.Known(parsers.UnknownSize) {
			size = "?"
		}
		fmt.Println(e.Name, e.Type, size, e.Mode, e.Owner)
	}
	// Output:
	// parsers.VMS <nil>
	// TOOLS dir 512 drwxr-xr-x SYSTEM
	// A_RATHER_LONG_FILE_NAME.DAT file 112640 -rwx------ MIRA
	// HUGE.BCK file ? -rwxr-x--- OPERATOR
}
