package parsers_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ftpfs/ftpfs/parsers"
)

// update rewrites the golden files from what the parsers say:
//
//	go test ./parsers -run Golden -update
//
// Read the diff before committing it: TestGoldenListings also checks every
// entry against the servers' tree.tsv, which -update does not touch.
var update = flag.Bool("update", false, "rewrite testdata/listings/*.golden from the parsers' output")

// listingsDir holds the real captures; see its README.md and
// ftpserverlib.md for how they were made and what each server does.
const listingsDir = "testdata/listings"

// Listing kinds, from the capture's file name.
const (
	kindList  = "list"   // LIST
	kindListA = "list-a" // LIST -a
	kindMLSD  = "mlsd"   // MLSD
)

// Owner rules: how a capture's owner and group columns relate to the
// tree's uid and gid.
const (
	// ownersIDs: owner and group are the numeric ids, or names that
	// stand for them (see idNames).
	ownersIDs = "ids"
	// ownersFTP: always "ftp ftp", whoever owns the file
	// (ftpserverlib.md: "Owner and group are always `ftp ftp`").
	ownersFTP = "ftp"
	// ownersNone: the listing gives no owner or group
	// (ftpserverlib.md: MLSD has "no `Perm`, `UNIX.mode`, `Unique`,
	// owner or group").
	ownersNone = "none"
)

// goldenCaptures lists every LIST and MLSD capture. TestGoldenListings
// fails if a capture file is missing from this table.
var goldenCaptures = []struct {
	file   string
	server string
	kind   string
	// targets: the listing shows symlink targets ("name -> target"), so
	// every link must come with its tree target. Where it is false the
	// target must be empty: pure-ftpd MLSD sends "OS.unix=slink:" with
	// nothing after the colon, proftpd MLSD "OS.unix=symlink", and
	// ftpserverlib LIST prints links "**without** ` -> target`".
	targets bool
	// mode: the listing carries permission and special bits (every
	// LIST; MLSD with UNIX.mode). ftpserverlib's MLSD has no UNIX.mode.
	mode   bool
	owners string
}{
	{file: "vsftpd-list.txt", server: "vsftpd", kind: kindList, targets: true, mode: true, owners: ownersIDs},
	{file: "vsftpd-list-a.txt", server: "vsftpd", kind: kindListA, targets: true, mode: true, owners: ownersIDs},
	{file: "pureftpd-list.txt", server: "pureftpd", kind: kindList, targets: true, mode: true, owners: ownersIDs},
	{file: "pureftpd-list-a.txt", server: "pureftpd", kind: kindListA, targets: true, mode: true, owners: ownersIDs},
	{file: "pureftpd-mlsd.txt", server: "pureftpd", kind: kindMLSD, targets: false, mode: true, owners: ownersIDs},
	{file: "proftpd-list.txt", server: "proftpd", kind: kindList, targets: true, mode: true, owners: ownersIDs},
	{file: "proftpd-list-a.txt", server: "proftpd", kind: kindListA, targets: true, mode: true, owners: ownersIDs},
	// proftpd MLSD: README.md says UNIX.ownername/UNIX.groupname are
	// "wrong for other owners" ("`ftpfs` even for `owned-root`"): "trust
	// the numbers, not the names". So Owner/Group must give the uid/gid,
	// and proftpd-mlsd.txt.golden holds the numbers (UNIX.owner,
	// UNIX.group), not what a parser that prefers the names prints.
	{file: "proftpd-mlsd.txt", server: "proftpd", kind: kindMLSD, targets: false, mode: true, owners: ownersIDs},
	{file: "ftpserverlib-list.txt", server: "ftpserverlib", kind: kindList, targets: false, mode: true, owners: ownersFTP},
	{file: "ftpserverlib-mlsd.txt", server: "ftpserverlib", kind: kindMLSD, targets: false, mode: false, owners: ownersNone},
}

// idNames are the user and group names the servers print for ids, from
// README.md: "The uid of `ftpfs` is whatever the capture machine gave it
// (1001 for the stored fixtures)", and the table of owner/group columns
// ("`1001 ftpfs`", "`ftpfs ftpfs`").
var idNames = map[string]string{"ftpfs": "1001"}

// dialectException records where a server's listing documentedly departs
// from the tree on disk. Every rule cites the document that states it.
type dialectException struct {
	capture string // capture file
	name    string // entry name, as in the tree
	absent  bool   // the listing leaves the entry out
	typ     string // else: the type the listing gives it instead of the tree's ("file", "dir", "link", "other")
}

var dialectExceptions = []dialectException{
	// README.md, "All three": "`LIST` hides dot files; `LIST -a` adds
	// `.`, `..` and `.hidden`." (ftpserverlib's LIST does list it.)
	{capture: "vsftpd-list.txt", name: ".hidden", absent: true},
	{capture: "pureftpd-list.txt", name: ".hidden", absent: true},
	{capture: "proftpd-list.txt", name: ".hidden", absent: true},

	// README.md, pure-ftpd: "LIST omits the fifo altogether (also with
	// `-a`)".
	{capture: "pureftpd-list.txt", name: "fifo", absent: true},
	{capture: "pureftpd-list-a.txt", name: "fifo", absent: true},

	// README.md, proftpd: "MLSD omits the dangling link and both loop
	// links (`dangling`, `loop-a`, `loop-b`); LIST shows them."
	{capture: "proftpd-mlsd.txt", name: "dangling", absent: true},
	{capture: "proftpd-mlsd.txt", name: "loop-a", absent: true},
	{capture: "proftpd-mlsd.txt", name: "loop-b", absent: true},

	// README.md, proftpd: "The fifo is `type=file;size=0;UNIX.mode=0644`
	// in MLSD".
	{capture: "proftpd-mlsd.txt", name: "fifo", typ: "file"},

	// ftpserverlib.md, MLSD: "`Type` is `dir` for directories and
	// `file` for everything else: symlinks (even `link-to-dir`), the
	// FIFO and the dangling link are all `file`".
	{capture: "ftpserverlib-mlsd.txt", name: "fifo", typ: "file"},
	{capture: "ftpserverlib-mlsd.txt", name: "link-to-file", typ: "file"},
	{capture: "ftpserverlib-mlsd.txt", name: "link-to-dir", typ: "file"},
	{capture: "ftpserverlib-mlsd.txt", name: "link-spaces", typ: "file"},
	{capture: "ftpserverlib-mlsd.txt", name: "link-to-arrow", typ: "file"},
	{capture: "ftpserverlib-mlsd.txt", name: "dangling", typ: "file"},

	// Not an exception but worth saying: pure-ftpd MLSD gives the fifo
	// as `type=unknown` (README.md), which is TypeOther like the tree's
	// fifo, so no rule is needed.
}

// treeEntry is one row of <server>-tree.tsv.
type treeEntry struct {
	typ    string // "file", "dir", "link", "other"
	perm   fs.FileMode
	uid    string
	gid    string
	size   int64
	mtime  time.Time
	name   string
	target string
}

// treeTypes maps find's %y letters to parsers.Type names.
var treeTypes = map[string]string{"f": "file", "d": "dir", "l": "link", "p": "other"}

func readTree(t *testing.T, server string) map[string]treeEntry {
	t.Helper()
	path := filepath.Join(listingsDir, server+"-tree.tsv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tree := make(map[string]treeEntry)
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 9 {
			t.Fatalf("%s:%d: %d columns, want 9: %q", path, i+1, len(f), line)
		}
		typ, ok := treeTypes[f[0]]
		if !ok {
			t.Fatalf("%s:%d: unknown type %q", path, i+1, f[0])
		}
		mode, err1 := strconv.ParseUint(f[1], 8, 32)
		size, err2 := strconv.ParseInt(f[4], 10, 64)
		unix, err3 := strconv.ParseInt(f[5], 10, 64)
		utc, err4 := time.Parse(time.RFC3339, f[6])
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		mtime := time.Unix(unix, 0).UTC()
		if !mtime.Equal(utc) {
			t.Fatalf("%s:%d: mtime %d is %v, but the row says %v", path, i+1, unix, mtime, utc)
		}
		if _, dup := tree[f[7]]; dup {
			t.Fatalf("%s:%d: name %q twice", path, i+1, f[7])
		}
		tree[f[7]] = treeEntry{
			typ: typ, perm: octalPerm(mode), uid: f[2], gid: f[3], size: size,
			mtime: mtime, name: f[7], target: f[8],
		}
	}
	if len(tree) == 0 {
		t.Fatalf("%s: no entries", path)
	}
	return tree
}

// octalPerm turns a st_mode's low 12 bits into io/fs permission and
// special bits.
func octalPerm(m uint64) fs.FileMode {
	p := fs.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		p |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		p |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		p |= fs.ModeSticky
	}
	return p
}

const permBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

func readClock(t *testing.T, capture string) parsers.Clock {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(listingsDir, capture+".now"))
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339, strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("%s.now: %v", capture, err)
	}
	// README.md: every daemon runs in UTC, "server time shift 0".
	return parsers.Clock{Now: now}
}

// goldenHeader is the first line of every golden file.
const goldenHeader = "# name\ttype\tsize\tmode\tmtime\tprecision\ttarget\towner\tgroup\tlinks\n"

// formatGolden renders a parse result one entry per line, then the error.
func formatGolden(entries []parsers.Entry, err error) []byte {
	var b bytes.Buffer
	b.WriteString(goldenHeader)
	for _, e := range entries {
		fmt.Fprintf(&b, "%q\t%v\t%d\t%v\t%s\t%v\t%q\t%q\t%q\t%d\n",
			e.Name, e.Type, e.Size, e.Mode, e.ModTime.Format(time.RFC3339Nano),
			e.Precision, e.LinkTarget, e.Owner, e.Group, e.Links)
	}
	if err != nil {
		fmt.Fprintf(&b, "error: %q\n", err.Error())
	}
	return b.Bytes()
}

func TestGoldenListings(t *testing.T) {
	// Every LIST/MLSD capture on disk must be in the table, and the
	// reverse, so that a new capture cannot go untested.
	var onDisk []string
	for _, pattern := range []string{"*-list.txt", "*-list-a.txt", "*-mlsd.txt"} {
		m, err := filepath.Glob(filepath.Join(listingsDir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		onDisk = append(onDisk, m...)
	}
	known := make(map[string]bool)
	for _, c := range goldenCaptures {
		known[c.file] = true
	}
	for _, path := range onDisk {
		if !known[filepath.Base(path)] {
			t.Errorf("capture %s is not in goldenCaptures", path)
		}
	}
	if len(onDisk) != len(goldenCaptures) {
		t.Errorf("found %d LIST/MLSD captures on disk, goldenCaptures has %d", len(onDisk), len(goldenCaptures))
	}

	for _, c := range goldenCaptures {
		t.Run(strings.TrimSuffix(c.file, ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(listingsDir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			clock := readClock(t, c.file)
			var p parsers.Parser = parsers.Unix{}
			if c.kind == kindMLSD {
				p = parsers.MLSD{}
			}
			entries, perr := parsers.ParseListing(data, p, clock)

			checkGolden(t, c.file, formatGolden(entries, perr))
			if perr != nil {
				t.Errorf("ParseListing(%s) error = %v, want nil: every line of a real capture is valid", c.file, perr)
			}
			if c.kind != kindMLSD {
				checkAuto(t, c.file, data, clock, entries, perr)
			}
			checkTruth(t, c.file, c.server, c.kind, c.targets, c.mode, c.owners, data, entries)
		})
	}
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, capture string, got []byte) {
	t.Helper()
	path := filepath.Join(listingsDir, capture+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./parsers -run Golden -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gotLines := strings.Split(string(got), "\n")
	wantLines := strings.Split(string(want), "\n")
	reported := 0
	for i := 0; i < max(len(gotLines), len(wantLines)); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("ParseListing(%s) golden line %d =\n\t%s\nwant\n\t%s", capture, i+1, g, w)
			if reported++; reported == 10 {
				t.Errorf("... more differences; see %s", path)
				break
			}
		}
	}
}

// checkAuto checks that an Auto detects Unix for a LIST capture and then
// parses it exactly as Unix does.
func checkAuto(t *testing.T, capture string, data []byte, clock parsers.Clock, want []parsers.Entry, wantErr error) {
	t.Helper()
	auto := parsers.NewAuto()
	got, err := parsers.ParseListing(data, auto, clock)
	if d := auto.Detected(); d != (parsers.Unix{}) {
		t.Errorf("NewAuto().Detected() after ParseListing(%s) = %T(%v), want parsers.Unix", capture, d, d)
	}
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Errorf("ParseListing(%s, NewAuto()) error = %v, want %v", capture, err, wantErr)
	}
	if !bytes.Equal(formatGolden(got, nil), formatGolden(want, nil)) {
		t.Errorf("ParseListing(%s, NewAuto()) = %d entries that differ from Unix's %d", capture, len(got), len(want))
	}
}

// checkTruth checks every parsed entry against the server's tree.tsv and
// every tree entry for presence, allowing only the dialectExceptions.
func checkTruth(t *testing.T, capture, server, kind string, targets, hasMode bool, owners string, data []byte, entries []parsers.Entry) {
	t.Helper()
	tree := readTree(t, server)
	absent := make(map[string]bool)
	typeOverride := make(map[string]string)
	for _, x := range dialectExceptions {
		if x.capture != capture {
			continue
		}
		if _, ok := tree[x.name]; !ok {
			t.Errorf("dialectExceptions: %q is not in %s-tree.tsv", x.name, server)
		}
		if x.absent {
			absent[x.name] = true
		} else {
			typeOverride[x.name] = x.typ
		}
	}

	seen := make(map[string]bool)
	for _, e := range entries {
		if seen[e.Name] {
			t.Errorf("ParseListing(%s): name %q twice", capture, e.Name)
		}
		seen[e.Name] = true
		if !strings.Contains(string(data), e.Raw+"\r\n") {
			t.Errorf("ParseListing(%s): entry %q has Raw = %q, want a CRLF-terminated line of the capture", capture, e.Name, e.Raw)
		}
		want, ok := tree[e.Name]
		if !ok {
			t.Errorf("ParseListing(%s): entry %q (line %q) is not in %s-tree.tsv", capture, e.Name, e.Raw, server)
			continue
		}
		if absent[e.Name] {
			t.Errorf("ParseListing(%s): entry %q is listed, but dialectExceptions says %s leaves it out", capture, e.Name, capture)
		}
		f := func(field string) string { return fmt.Sprintf("%s(%s %q)", field, capture, e.Name) }

		// Type, and the io/fs type bits that go with it.
		wantType := want.typ
		if o, ok := typeOverride[e.Name]; ok {
			wantType = o
		}
		if got := e.Type.String(); got != wantType {
			t.Errorf("%s = %s, want %s", f("Type"), got, wantType)
		}
		if got := modeType(e.Mode); got != e.Type.String() {
			t.Errorf("%s = %v (a %s), want the bits of a %v", f("Mode"), e.Mode, got, e.Type)
		}
		if kind != kindMLSD && want.typ == "other" && e.Mode&fs.ModeNamedPipe == 0 {
			t.Errorf("%s = %v, want a named pipe (%q)", f("Mode"), e.Mode, e.Raw)
		}

		// Size: listings give the lstat size of files and links.
		if want.typ == "file" || want.typ == "link" {
			if e.Size != want.size {
				t.Errorf("%s = %d, want %d", f("Size"), e.Size, want.size)
			}
		}

		// Permission and set-id/sticky bits.
		got := e.Mode & permBits
		switch {
		case hasMode && got != want.perm:
			t.Errorf("%s&(perm|setuid|setgid|sticky) = %v, want %v", f("Mode"), got, want.perm)
		case !hasMode && got != 0:
			t.Errorf("%s&(perm|setuid|setgid|sticky) = %v, want 0: the listing gives no mode", f("Mode"), got)
		}

		// Link target. A listing that does not show targets may still
		// lead ParseListing to one (an MLSD unique fact shared with the
		// target's line): then it must be the true one.
		wantTarget := ""
		if targets && e.Type == parsers.TypeLink {
			wantTarget = want.target
		}
		if !targets && e.Type == parsers.TypeLink && e.LinkTarget == want.target {
			wantTarget = want.target
		}
		if e.LinkTarget != wantTarget {
			t.Errorf("%s = %q, want %q", f("LinkTarget"), e.LinkTarget, wantTarget)
		}

		checkTime(t, f, kind, e, want.mtime)
		checkOwners(t, f, kind, owners, e, want)
	}

	for name := range tree {
		if !seen[name] && !absent[name] {
			t.Errorf("ParseListing(%s) has no entry %q, which %s-tree.tsv has", capture, name, server)
		}
	}

	// Invalid UTF-8 must come through byte for byte (README.md: "No
	// server escapes, drops or transcodes bytes in names").
	const latin1 = "latin1-\xe9.txt"
	if utf8.ValidString(latin1) {
		t.Fatalf("utf8.ValidString(%q) = true, want false", latin1)
	}
	if !seen[latin1] {
		t.Errorf("ParseListing(%s) has entry %q = false, want true (raw byte 0xE9 kept)", capture, latin1)
	}
}

// modeType names the kind of entry Mode's type bits describe.
func modeType(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "file"
	case m.IsDir():
		return "dir"
	case m&fs.ModeSymlink != 0:
		return "link"
	}
	return "other"
}

// checkTime checks ModTime against the tree's mtime at the entry's
// precision.
func checkTime(t *testing.T, f func(string) string, kind string, e parsers.Entry, mtime time.Time) {
	t.Helper()
	if e.ModTime.Location() != time.UTC {
		t.Errorf("%s.Location() = %v, want UTC", f("ModTime"), e.ModTime.Location())
	}
	switch e.Precision {
	case parsers.MinutePrecision, parsers.DayPrecision:
		if kind == kindMLSD {
			t.Errorf("%s = %v, want %v", f("Precision"), e.Precision, time.Second)
			return
		}
	case time.Second:
		if kind != kindMLSD {
			t.Errorf("%s = %v, want %v or %v", f("Precision"), e.Precision, parsers.MinutePrecision, parsers.DayPrecision)
			return
		}
	default:
		t.Errorf("%s = %v, want a second, a minute or a day", f("Precision"), e.Precision)
		return
	}
	if e.Precision == parsers.DayPrecision {
		gy, gm, gd := e.ModTime.UTC().Date()
		wy, wm, wd := mtime.Date()
		if gy != wy || gm != wm || gd != wd {
			t.Errorf("%s = %v, want the date %04d-%02d-%02d (mtime %v)", f("ModTime"), e.ModTime, wy, wm, wd, mtime.Format(time.RFC3339))
		}
		return
	}
	if want := mtime.Truncate(e.Precision); !e.ModTime.Equal(want) {
		t.Errorf("%s = %v, want %v (mtime %v to the %v)", f("ModTime"), e.ModTime, want, mtime.Format(time.RFC3339), e.Precision)
	}
}

// checkOwners checks Owner, Group and Links.
func checkOwners(t *testing.T, f func(string) string, kind, owners string, e parsers.Entry, want treeEntry) {
	t.Helper()
	if kind == kindMLSD {
		if e.Links != 0 {
			t.Errorf("%s = %d, want 0: MLSD gives no link count", f("Links"), e.Links)
		}
	} else if e.Links < 1 {
		t.Errorf("%s = %d, want at least 1", f("Links"), e.Links)
	}
	switch owners {
	case ownersNone:
		if e.Owner != "" || e.Group != "" {
			t.Errorf("%s, %s = %q, %q, want empty", f("Owner"), f("Group"), e.Owner, e.Group)
		}
	case ownersFTP:
		if e.Owner != "ftp" || e.Group != "ftp" {
			t.Errorf("%s, %s = %q, %q, want \"ftp\", \"ftp\"", f("Owner"), f("Group"), e.Owner, e.Group)
		}
	case ownersIDs:
		id := func(s string) string {
			if n, ok := idNames[s]; ok {
				return n
			}
			return s
		}
		if got := id(e.Owner); got != want.uid {
			t.Errorf("%s = %q (uid %s), want uid %s", f("Owner"), e.Owner, got, want.uid)
		}
		if got := id(e.Group); got != want.gid {
			t.Errorf("%s = %q (gid %s), want gid %s", f("Group"), e.Group, got, want.gid)
		}
	}
}
