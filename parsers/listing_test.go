package parsers

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestParseListing(t *testing.T) {
	listing := "total 8\r\n" +
		"drwxr-xr-x    2 0 0 4096 Nov 23 02:33 .\r\n" +
		"-rw-r--r--    1 0 0    5 Nov 23 02:33 first\r\n" +
		"this line is garbage\r\n" +
		"\r\n" +
		"-rw-r--r--    1 0 0    6 Nov 23 02:33 second\n" +
		"-rw-r--r--    1 0 0    7 Nov 23 02:33 no newline at the end"
	entries, err := ParseListing([]byte(listing), Unix{}, fixedNow)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name)
	}
	if got, want := strings.Join(names, "|"), "first|second|no newline at the end"; got != want {
		t.Errorf("names = %q, want %q", got, want)
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != "this line is garbage" {
		t.Fatalf("error = %v; want a *ParseError for the garbage line", err)
	}
}

func TestParseListingWrapsCustomErrors(t *testing.T) {
	boom := errors.New("boom")
	p := ParserFunc(func(line string, _ Clock) (Entry, error) {
		if line == "bad" {
			return Entry{}, boom
		}
		return Entry{Name: line}, nil
	})
	entries, err := ParseListing([]byte("good\nbad\n"), p, Clock{})
	var pe *ParseError
	if len(entries) != 1 || !errors.As(err, &pe) || pe.Line != "bad" || !errors.Is(err, boom) {
		t.Errorf("ParseListing = %v, %v; want one entry and a ParseError wrapping boom", entries, err)
	}
}

func TestAutoDetects(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  Parser
	}{
		{"unix", []string{"total 4", "-rw-r--r--    1 0 0    5 Nov 23 02:33 a", "drwxr-xr-x    1 0 0    5 Nov 23 02:33 b"}, Unix{}},
		{"msdos", []string{"11-24-26  09:05PM       <DIR>          a", "11-24-26  09:05PM   12 b"}, MSDOS{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAuto()
			if a.Detected() != nil {
				t.Fatalf("Detected() before any line = %v, want nil", a.Detected())
			}
			for _, line := range tt.lines {
				if _, err := a.Parse(line, fixedNow); err != nil && !errors.Is(err, ErrSkip) {
					t.Errorf("Parse(%q): %v", line, err)
				}
			}
			if a.Detected() != tt.want {
				t.Errorf("Detected() = %T, want %T", a.Detected(), tt.want)
			}
		})
	}
}

func TestAutoKeepsItsChoice(t *testing.T) {
	a := NewAuto()
	if _, err := a.Parse("-rw-r--r--    1 0 0    5 Nov 23 02:33 a", fixedNow); err != nil {
		t.Fatal(err)
	}
	// Once Unix is chosen, an MS-DOS line is an error of the Unix parser.
	_, err := a.Parse("11-24-26  09:05PM   12 b", fixedNow)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Parser != "unix" {
		t.Errorf("error after detection = %v; want a ParseError from unix", err)
	}
}

func TestAutoUnknownLine(t *testing.T) {
	a := NewAuto()
	_, err := a.Parse("garbage", fixedNow)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Parser != "auto" || pe.Line != "garbage" {
		t.Errorf("error = %v; want a ParseError from auto", err)
	}
	if a.Detected() != nil {
		t.Errorf("Detected() after a bad line = %v, want nil", a.Detected())
	}
}

func TestAutoConcurrent(t *testing.T) {
	a := NewAuto()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if _, err := a.Parse("-rw-r--r--    1 0 0    5 Nov 23 02:33 a", fixedNow); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if a.Detected() != (Unix{}) {
		t.Errorf("Detected() = %T, want Unix", a.Detected())
	}
}

func TestParseListingResolvesUniqueLinks(t *testing.T) {
	listing := "type=OS.unix=symlink;unique=7f01; current\r\n" +
		"type=OS.unix=symlink;unique=7f02; latest\r\n" +
		"type=OS.unix=symlink;unique=7f03;size=4; sized\r\n" +
		"type=OS.unix=symlink;unique=7f04; twice\r\n" +
		"type=file;unique=7f01;size=10; release-2.txt\r\n" +
		"type=file;unique=7f02; /pub/archive/release-3.txt\r\n" +
		"type=file;unique=7f03; five5\r\n" +
		"type=file;unique=7f04; one\r\n" +
		"type=file;unique=7f04; other\r\n"
	entries, err := ParseListing([]byte(listing), MLSD{}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"current": "release-2.txt", "latest": "/pub/archive/release-3.txt", "sized": "", "twice": ""}
	if len(entries) != 8 {
		t.Errorf("%d entries, want 8 (the pathname line is skipped)", len(entries))
	}
	for _, e := range entries {
		if target, ok := want[e.Name]; ok && e.LinkTarget != target {
			t.Errorf("%s: LinkTarget = %q, want %q", e.Name, e.LinkTarget, target)
		}
	}
}
