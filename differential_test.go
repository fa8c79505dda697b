package ftpfs_test

// The differential test: a seeded, reproducible random sequence of afero
// operations is applied both to an ftpfs.Fs (over every server of the
// shared suite: its Differential case; and over the in-process server
// with LIST listings and without the cache: TestDifferential) and to a
// reference afero.Fs, and every result is compared.
//
// The reference is afero.NewBasePathFs(afero.NewOsFs(), t.TempDir()), not
// afero.NewMemMapFs(): MemMapFs's quirks (Mkdir("a/b") creates "a",
// Remove deletes a non-empty directory; STYLE.md §2) would each need an
// exception, and the server under ftpfs serves an OS directory too, so
// both sides run the same kernel semantics and every difference left is
// FTP's or ftpfs's.
//
// Compared after each operation: success or failure; on failure the error
// class by errors.Is (dfClass); Stat's type, size (files) and permission
// bits (where known, below); ReadDir's names, types and sizes; ReadFile's
// bytes. Every 100 operations and at the end: the whole tree (names,
// types, sizes, bytes), through the same Fs, and at the end also through
// a new Fs (cold cache), through the io/fs view, and on the server's disk
// (when it is on this machine).
//
// Documented differences, each marked where it is applied:
//   - FTP: MKD and STOR carry no mode, so Mkdir's and OpenFile's perm
//     are ignored and a new file or directory gets the server's mode
//     (ftpserverlib: 0777 for files, 0755 for directories, less the
//     umask). Only modes set by Chmod are compared (dfModel).
//   - FTP: ftpserverlib's MLSD has no Perm or UNIX.mode fact, so modes
//     are compared only with LIST listings (dfConfig.perms).
//   - FTP: whether RNTO may replace an existing name, and what a refusal
//     means, is the server's choice (a bare 550): Rename onto an existing
//     name compares only that both failed (dfExpect).
//   - Not compared: directory sizes (the server's business) and ModTime
//     (listing precision; see ModTimePrecision).
//   - Reference quirks: os.RemoveAll("file/x") returns ENOTDIR although
//     the name is missing, which is not an error for RemoveAll; os.Rename
//     of a directory to its own name fails with EEXIST, where rename(2)
//     succeeds (dfExpect).
//
// Reproduce one sequence with
//
//	go test -run 'TestDifferential/list/seed=3' -v .
//	go test -run 'TestSuite/ftpserverlib/Differential/seed=3' -v .
//	go test -run 'TestDifferential|TestSuite/ftpserverlib/Differential' -diff.seed=12345 -diff.ops=1000 -v .

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

var (
	dfSeedFlag = flag.Uint64("diff.seed", 0, "run TestDifferential with this seed only")
	dfOpsFlag  = flag.Int("diff.ops", 300, "operations per TestDifferential sequence")
)

// dfSeeds are the seeds every run tries. Each sequence opens some 500 to
// 900 data connections (one per listing and transfer), and every closed
// one holds a port in TIME_WAIT for a minute, so the hermetic run stays
// small; use -diff.seed and -diff.ops for more.
var dfSeeds = []uint64{1, 2, 3}

// dfNames is the pool that path elements are drawn from: plain, inner,
// leading and trailing spaces, non-ASCII, a leading dash.
var dfNames = []string{"a", "b c", " lead", "trail ", "日本語", "é🎉", "-x"}

// dfConfig is one way of mounting the server.
type dfConfig struct {
	name    string
	srvOpts []ftpfstest.Option
	opts    []ftpfs.Option
	// perms: the listings carry permission bits (LIST); MLSD from
	// ftpserverlib has no Perm or UNIX.mode fact, so with MLSD every
	// Mode().Perm() is 0 and is not compared.
	perms   bool
	oneSeed bool // run only the first seed
	// noAppend: the server refuses APPE to an existing file with
	// errors.ErrUnsupported (quirks.noAppend): such an append is not
	// made on the reference, and only the refusal is checked.
	noAppend bool
	// siteTrimsBlanks: the server drops trailing blanks from SITE's
	// arguments (quirks.siteTrimsBlanks), so Chmod of a name that ends
	// with one is not made there and not checked.
	siteTrimsBlanks bool
}

// dfConfigs are the in-process configurations of TestDifferential and
// TestDifferentialCases; with MLSD and the cache (the defaults), the
// sequences are the suite's Differential and DifferentialCases cases.
var dfConfigs = []dfConfig{
	{name: "list", srvOpts: []ftpfstest.Option{ftpfstest.WithoutMLSD()}, perms: true},
	// Without the cache every Stat lists the parent again: one seed is
	// enough to show that the cache changes no result.
	{name: "nocache", opts: []ftpfs.Option{ftpfs.WithoutCache()}, oneSeed: true},
}

func TestDifferential(t *testing.T) {
	seeds := dfSeeds
	if *dfSeedFlag != 0 {
		seeds = []uint64{*dfSeedFlag}
	}
	for _, cfg := range dfConfigs {
		t.Run(cfg.name, func(t *testing.T) {
			t.Parallel()
			seeds := seeds
			if cfg.oneSeed {
				seeds = seeds[:1]
			}
			for _, seed := range seeds {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					t.Parallel()
					backing := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
					fsys, srv := serve(t, backing, cfg.srvOpts, cfg.opts...)
					again := func() *ftpfs.Fs {
						fresh, err := ftpfs.Dial(context.Background(), srv.URL(), cfg.opts...)
						if err != nil {
							t.Fatalf("Dial(%s) = %v", srv.URL(), err)
						}
						t.Cleanup(func() { _ = fresh.Close() })
						return fresh
					}
					runDifferential(t, cfg, dfNames, seed, *dfOpsFlag, fsys, backing, again)
				})
			}
		})
	}
}

// dfServerConfig is how the suite's cases compare on s: modes where the
// listings are LIST (MLSD from ftpserverlib has no modes).
func dfServerConfig(s server) dfConfig {
	return dfConfig{name: s.name, perms: !s.quirks.mlsd, noAppend: s.quirks.noAppend, siteTrimsBlanks: s.quirks.siteTrimsBlanks}
}

// dfServerNames is dfNames less what s does not store as given.
func dfServerNames(s server) []string {
	var names []string
	for _, name := range dfNames {
		if s.quirks.renamesNames && strings.HasSuffix(name, " ") {
			continue // stored as "trail_": see the README's server notes
		}
		names = append(names, name)
	}
	return names
}

// suiteDifferential runs the sequences on a fresh directory of s, whose
// disk, when it is on this machine, is compared at the end too. Over TLS,
// one seed: the encryption changes no result, and every sequence costs
// hundreds of data connections.
func suiteDifferential(t *testing.T, s server) {
	seeds := dfSeeds
	if *dfSeedFlag != 0 {
		seeds = []uint64{*dfSeedFlag}
	} else if s.tls != nil {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			fsys, disk := s.freshDir(t)
			var backing afero.Fs
			if disk != "" {
				backing = afero.NewBasePathFs(afero.NewOsFs(), disk)
			}
			again := func() *ftpfs.Fs { return s.redial(t, fsys) }
			runDifferential(t, dfServerConfig(s), dfServerNames(s), seed, *dfOpsFlag, fsys, backing, again)
		})
	}
}

// dfOp is one operation of a sequence.
type dfOp struct {
	kind string // create, append, mkdir, mkdirall, rename, remove, removeall, stat, readdir, readfile, chmod
	a, b string // paths, absolute ("/x/y")
	data []byte
	perm os.FileMode
	flag int
}

func (o dfOp) String() string {
	switch o.kind {
	case "create":
		return fmt.Sprintf("Create(%q)+Write(%d bytes)+Close", o.a, len(o.data))
	case "append":
		return fmt.Sprintf("OpenFile(%q, %s)+Write(%d bytes)+Close", o.a, dfFlagString(o.flag), len(o.data))
	case "rename":
		return fmt.Sprintf("Rename(%q, %q)", o.a, o.b)
	case "chmod":
		return fmt.Sprintf("Chmod(%q, %#o)", o.a, o.perm)
	case "mkdir", "mkdirall":
		return fmt.Sprintf("%s(%q, %#o)", map[string]string{"mkdir": "Mkdir", "mkdirall": "MkdirAll"}[o.kind], o.a, o.perm)
	}
	return fmt.Sprintf("%s(%q)", map[string]string{
		"remove": "Remove", "removeall": "RemoveAll", "stat": "Stat",
		"readdir": "afero.ReadDir", "readfile": "afero.ReadFile",
	}[o.kind], o.a)
}

func dfFlagString(flag int) string {
	s := "O_WRONLY|O_APPEND"
	if flag&os.O_CREATE != 0 {
		s += "|O_CREATE"
	}
	return s
}

// dfResult is what an operation returned, in comparable form.
type dfResult struct {
	err     error
	info    *dfEntry  // stat
	entries []dfEntry // readdir
	data    []byte    // readfile
}

// dfEntry is the comparable part of a FileInfo.
type dfEntry struct {
	name string
	dir  bool
	size int64 // files only: directory sizes are the server's business
	perm os.FileMode
}

func dfEntryOf(fi fs.FileInfo) dfEntry {
	e := dfEntry{name: fi.Name(), dir: fi.IsDir(), perm: fi.Mode().Perm()}
	if !e.dir {
		e.size = fi.Size()
	}
	return e
}

// dfApply runs op on fsys.
func dfApply(fsys afero.Fs, op dfOp) dfResult {
	switch op.kind {
	case "create":
		return dfResult{err: dfWrite(fsys, op.a, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, op.data)}
	case "append":
		return dfResult{err: dfWrite(fsys, op.a, op.flag, op.data)}
	case "mkdir":
		return dfResult{err: fsys.Mkdir(op.a, op.perm)}
	case "mkdirall":
		return dfResult{err: fsys.MkdirAll(op.a, op.perm)}
	case "rename":
		return dfResult{err: fsys.Rename(op.a, op.b)}
	case "remove":
		return dfResult{err: fsys.Remove(op.a)}
	case "removeall":
		return dfResult{err: fsys.RemoveAll(op.a)}
	case "chmod":
		return dfResult{err: fsys.Chmod(op.a, op.perm)}
	case "stat":
		fi, err := fsys.Stat(op.a)
		if err != nil {
			return dfResult{err: err}
		}
		e := dfEntryOf(fi)
		return dfResult{info: &e}
	case "readdir":
		infos, err := afero.ReadDir(fsys, op.a)
		if err != nil {
			return dfResult{err: err}
		}
		r := dfResult{entries: []dfEntry{}}
		for _, fi := range infos {
			r.entries = append(r.entries, dfEntryOf(fi))
		}
		return r
	case "readfile":
		data, err := afero.ReadFile(fsys, op.a)
		return dfResult{err: err, data: data}
	}
	panic("unknown op " + op.kind)
}

// dfWrite is OpenFile+Write+Close, returning the first error: FTP reports
// a refused upload at the first Write or at Close, not at OpenFile.
func dfWrite(fsys afero.Fs, name string, flag int, data []byte) error {
	f, err := fsys.OpenFile(name, flag, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil {
		return werr
	}
	return cerr
}

// dfClass names the class of an error, by errors.Is, most specific first
// (syscall.ENOTEMPTY also matches fs.ErrExist).
func dfClass(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, syscall.ENOTDIR):
		return "ENOTDIR"
	case errors.Is(err, syscall.ENOTEMPTY):
		return "ENOTEMPTY"
	case errors.Is(err, syscall.EISDIR):
		return "EISDIR"
	case errors.Is(err, fs.ErrNotExist):
		return "ErrNotExist"
	case errors.Is(err, fs.ErrExist):
		return "ErrExist"
	case errors.Is(err, fs.ErrPermission):
		return "ErrPermission"
	case errors.Is(err, fs.ErrInvalid):
		return "ErrInvalid"
	case errors.Is(err, errors.ErrUnsupported):
		return "ErrUnsupported"
	}
	return "other"
}

// dfModel is what the test knows about the reference tree besides its
// contents: which paths have a permission both sides agree on.
type dfModel struct {
	// permKnown holds the paths whose mode was set by Chmod. New files and
	// directories get a mode of the server's choosing (FTP exception:
	// MKD and STOR carry no mode; ftpserverlib creates files with 0777 and
	// directories with 0755, less the umask), so only Chmod'ed modes are
	// compared.
	permKnown map[string]bool
}

func (m *dfModel) forgetTree(p string) {
	for k := range m.permKnown {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(m.permKnown, k)
		}
	}
}

func (m *dfModel) moveTree(from, to string) {
	m.forgetTree(to)
	for k := range m.permKnown {
		if k == from || strings.HasPrefix(k, from+"/") {
			delete(m.permKnown, k)
			m.permKnown[to+strings.TrimPrefix(k, from)] = true
		}
	}
}

// dfGen draws operations, half of the time on names that exist.
type dfGen struct {
	r     *rand.Rand
	ref   afero.Fs
	names []string // path elements: dfNames, or those the server keeps
}

// existing lists the paths of the reference tree, sorted.
func (g *dfGen) existing() []string {
	var out []string
	_ = afero.Walk(g.ref, "/", func(p string, _ fs.FileInfo, err error) error {
		if err == nil && p != "/" {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func (g *dfGen) newPath() string {
	depth := 1 + g.r.IntN(3)
	elems := make([]string, depth)
	for i := range elems {
		elems[i] = g.names[g.r.IntN(len(g.names))]
	}
	return "/" + strings.Join(elems, "/")
}

func (g *dfGen) path() string {
	ex := g.existing()
	if len(ex) > 0 && g.r.IntN(100) < 60 {
		p := ex[g.r.IntN(len(ex))]
		if g.r.IntN(100) < 25 {
			p += "/" + g.names[g.r.IntN(len(g.names))]
		}
		return p
	}
	return g.newPath()
}

func (g *dfGen) data() []byte {
	if g.r.IntN(8) == 0 {
		return nil // empty files too
	}
	b := make([]byte, 1+g.r.IntN(200))
	for i := range b {
		b[i] = byte(g.r.UintN(256)) // CR, LF and NUL included: transfers must be binary
	}
	return b
}

func (g *dfGen) next() dfOp {
	filePerms := []os.FileMode{0o600, 0o640, 0o644, 0o666}
	dirPerms := []os.FileMode{0o700, 0o711, 0o750, 0o755}
	n := g.r.IntN(100)
	switch {
	case n < 16:
		return dfOp{kind: "create", a: g.path(), data: g.data()}
	case n < 24:
		flag := os.O_WRONLY | os.O_APPEND
		if g.r.IntN(3) > 0 {
			flag |= os.O_CREATE
		}
		return dfOp{kind: "append", a: g.path(), data: g.data(), flag: flag}
	case n < 32:
		return dfOp{kind: "mkdir", a: g.path(), perm: dirPerms[g.r.IntN(len(dirPerms))]}
	case n < 37:
		return dfOp{kind: "mkdirall", a: g.path(), perm: dirPerms[g.r.IntN(len(dirPerms))]}
	case n < 47:
		return dfOp{kind: "rename", a: g.path(), b: g.path()}
	case n < 53:
		return dfOp{kind: "remove", a: g.path()}
	case n < 57:
		return dfOp{kind: "removeall", a: g.path()}
	case n < 70:
		return dfOp{kind: "stat", a: g.path()}
	case n < 80:
		p := g.path()
		if g.r.IntN(5) == 0 {
			p = "/"
		}
		return dfOp{kind: "readdir", a: p}
	case n < 92:
		return dfOp{kind: "readfile", a: g.path()}
	default:
		p := g.path()
		perms := filePerms
		if fi, err := g.ref.Stat(p); err == nil && fi.IsDir() {
			perms = dirPerms // keep the owner's rwx, so that the test also runs as non-root
		}
		return dfOp{kind: "chmod", a: p, perm: perms[g.r.IntN(len(perms))]}
	}
}

// runDifferential runs one sequence on fsys, whose base is empty, and
// compares at the end the tree through fsys, through again() (a new Fs
// on the same base) and, when it is not nil, on backing (the server's
// disk).
func runDifferential(t *testing.T, cfg dfConfig, names []string, seed uint64, nops int, fsys *ftpfs.Fs, backing afero.Fs, again func() *ftpfs.Fs) {
	ref := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
	g := &dfGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), ref: ref, names: names}
	m := &dfModel{permKnown: map[string]bool{}}
	seen := map[string]bool{}
	var history []string

	fail := func(format string, args ...any) {
		t.Helper()
		start := max(0, len(history)-12)
		t.Fatalf("seed %d (%s), op %d: %s\nlast operations:\n  %s", seed, cfg.name, len(history),
			fmt.Sprintf(format, args...), strings.Join(history[start:], "\n  "))
	}

	for i := range nops {
		op := g.next()
		history = append(history, fmt.Sprintf("%3d %v", i+1, op))
		if cfg.siteTrimsBlanks && op.kind == "chmod" && strings.HasSuffix(op.a, " ") {
			continue
		}
		refBefore := dfRefStat(ref, op.a)
		if cfg.noAppend && op.kind == "append" && refBefore != nil && !refBefore.dir {
			if got := dfApply(fsys, op); !errors.Is(got.err, errors.ErrUnsupported) {
				fail("%v on a server that refuses appends = %s (%s), want ErrUnsupported", op, dfClass(got.err), dfErrString(got.err))
			}
			continue
		}
		var dstBefore *dfEntry
		if op.kind == "rename" {
			dstBefore = dfRefStat(ref, op.b)
		}
		want := dfApply(ref, op)
		got := dfApply(fsys, op)
		want = dfRenameOverDir(ref, op, want, got, dstBefore)

		wantClass, gotClass := dfClass(want.err), dfClass(got.err)
		if wantClass != gotClass {
			if ok, _ := dfExpect(op, want, got, refBefore, dstBefore); !ok {
				// Each kind of difference is reported once per sequence, so
				// that one bug does not bury the others.
				key := dfMismatchKey(op, wantClass, gotClass)
				if !seen[key] {
					seen[key] = true
					t.Errorf("seed %d (%s), op %d: %v: error %s, want %s\n  ftpfs:     %s\n  reference: %s",
						seed, cfg.name, i+1, op, gotClass, wantClass, dfErrString(got.err), dfErrString(want.err))
				}
				if (want.err == nil) != (got.err == nil) {
					// The results differ in success: go on only if the trees
					// still agree.
					dfCompareTrees(t, cfg, m, ref, fsys, fmt.Sprintf("seed %d (%s) after op %d", seed, cfg.name, i+1), fail)
				}
			}
		}
		if want.err == nil && got.err == nil {
			dfUpdateModel(m, op, refBefore)
			if msg := dfCompare(cfg, m, op, want, got); msg != "" {
				fail("%v: %s", op, msg)
			}
		}
		if (i+1)%100 == 0 {
			dfCompareTrees(t, cfg, m, ref, fsys, fmt.Sprintf("seed %d (%s) after op %d", seed, cfg.name, i+1), fail)
		}
	}

	// The end: the tree through the same Fs (warm cache), through a new
	// Fs (cold cache), through the io/fs view, and on the server's disk.
	dfCompareTrees(t, cfg, m, ref, fsys, fmt.Sprintf("seed %d (%s) at the end", seed, cfg.name), fail)
	dfCompareTrees(t, cfg, m, ref, again(), fmt.Sprintf("seed %d (%s) at the end, new Fs", seed, cfg.name), fail)
	if backing != nil {
		dfCompareTrees(t, dfConfig{name: cfg.name, perms: true}, m, ref, backing, fmt.Sprintf("seed %d (%s) at the end, server's disk", seed, cfg.name), fail)
	}
	dfCompareIOFS(t, fsys, ref, fail)
}

// dfMismatchKey groups differences: all the ENOTDIR and EISDIR ones
// together, whatever the operation, the others by operation.
func dfMismatchKey(op dfOp, wantClass, gotClass string) string {
	if wantClass == "ENOTDIR" || wantClass == "EISDIR" {
		return wantClass + "|" + gotClass
	}
	return op.kind + "|" + wantClass + "|" + gotClass
}

// dfErrString formats err even when its Error method panics.
func dfErrString(err error) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("%T with an Error method that panics: %v", err, r)
		}
	}()
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// dfRefStat describes p in the reference before an operation, or nil.
func dfRefStat(ref afero.Fs, p string) *dfEntry {
	fi, err := ref.Stat(p)
	if err != nil {
		return nil
	}
	e := dfEntryOf(fi)
	return &e
}

// dfExpect reports whether a difference between the reference's result
// (want) and ftpfs's (got) is a documented FTP exception, and if not, a
// hint for the failure message.
func dfExpect(op dfOp, want, got dfResult, before, dstBefore *dfEntry) (bool, string) {
	switch {
	case op.kind == "rename" && dstBefore != nil && want.err != nil && got.err != nil:
		// FTP exception: whether RNTO may replace an existing name, and
		// what a refusal means, is the server's choice; the reply is a
		// bare 550. (Go's os.Rename, which ftpserverlib calls, refuses any
		// existing directory with EEXIST; rename(2) would give EISDIR,
		// ENOTDIR or ENOTEMPTY.) Only that both refused is compared.
		return true, ""
	case op.kind == "rename" && op.a == op.b && before != nil && before.dir && got.err == nil && errors.Is(want.err, fs.ErrExist):
		// Reference quirk, not FTP: Go's os.Rename refuses any existing
		// directory as the new name with EEXIST, even the old name
		// itself; rename(2) succeeds and changes nothing, as ftpfs does.
		return true, ""
	case op.kind == "removeall" && want.err != nil && got.err == nil && errors.Is(want.err, syscall.ENOTDIR):
		// Reference quirk, not FTP: os.RemoveAll returns nil for a missing
		// name but ENOTDIR for a name below a file, which does not exist
		// either. ftpfs's RemoveAll says a missing name is not an error.
		return true, ""
	}
	return false, ""
}

// dfRenameOverDir redoes on the reference, with rename(2), a Rename onto
// an existing directory that the server made and os.Rename refused.
// Reference quirk, not FTP: Go's os.Rename refuses any existing directory
// as the new name with EEXIST; rename(2), which the daemons call, replaces
// an empty directory with a directory (vsftpd, pure-ftpd). ftpserverlib
// calls os.Rename and refuses, and both refusals compare as they are.
func dfRenameOverDir(ref afero.Fs, op dfOp, want, got dfResult, dstBefore *dfEntry) dfResult {
	base, ok := ref.(*afero.BasePathFs)
	if op.kind != "rename" || op.a == op.b || dstBefore == nil || !dstBefore.dir || got.err != nil || !errors.Is(want.err, fs.ErrExist) || !ok {
		return want
	}
	from, err1 := base.RealPath(op.a)
	to, err2 := base.RealPath(op.b)
	if err := errors.Join(err1, err2); err != nil {
		return dfResult{err: err}
	}
	if err := syscall.Rename(from, to); err != nil {
		return dfResult{err: &os.LinkError{Op: "rename", Old: from, New: to, Err: err}}
	}
	return dfResult{}
}

// dfUpdateModel records what a successful operation did to modes.
func dfUpdateModel(m *dfModel, op dfOp, before *dfEntry) {
	switch op.kind {
	case "chmod":
		m.permKnown[op.a] = true
	case "create", "append":
		if before == nil {
			delete(m.permKnown, op.a) // a new file: the server's mode
		}
	case "remove", "removeall":
		m.forgetTree(op.a)
	case "rename":
		if op.a != op.b {
			m.moveTree(op.a, op.b)
		}
	}
}

// dfCompare compares the results of a successful operation.
func dfCompare(cfg dfConfig, m *dfModel, op dfOp, want, got dfResult) string {
	switch op.kind {
	case "stat":
		w, g := *want.info, *got.info
		if !cfg.perms || !m.permKnown[op.a] {
			w.perm, g.perm = 0, 0
		}
		if w != g {
			return fmt.Sprintf("Stat = %+v, want %+v", g, w)
		}
	case "readdir":
		w := dfMaskPerms(cfg, m, op.a, want.entries)
		g := dfMaskPerms(cfg, m, op.a, got.entries)
		if !slices.Equal(w, g) {
			return fmt.Sprintf("ReadDir = %+v, want %+v", g, w)
		}
	case "readfile":
		if !bytes.Equal(want.data, got.data) {
			return fmt.Sprintf("ReadFile = %d bytes %q, want %d bytes %q", len(got.data), dfShort(got.data), len(want.data), dfShort(want.data))
		}
	}
	return ""
}

func dfMaskPerms(cfg dfConfig, m *dfModel, dir string, entries []dfEntry) []dfEntry {
	out := slices.Clone(entries)
	for i := range out {
		if !cfg.perms || !m.permKnown[path.Join(dir, out[i].name)] {
			out[i].perm = 0
		}
	}
	return out
}

func dfShort(b []byte) []byte {
	if len(b) > 24 {
		return b[:24]
	}
	return b
}

// dfNode is one entry of a walked tree.
type dfNode struct {
	dir  bool
	size int64
	perm os.FileMode
	data string
}

// dfTree walks fsys from "/" with afero.Walk and reads every file.
func dfTree(fsys afero.Fs) (map[string]dfNode, error) {
	tree := map[string]dfNode{}
	err := afero.Walk(fsys, "/", func(p string, fi fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if p == "/" {
			return nil
		}
		n := dfNode{dir: fi.IsDir(), perm: fi.Mode().Perm()}
		if !n.dir {
			n.size = fi.Size()
			data, err := afero.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			n.data = string(data)
		}
		tree[p] = n
		return nil
	})
	return tree, err
}

func dfCompareTrees(t *testing.T, cfg dfConfig, m *dfModel, ref, other afero.Fs, when string, fail func(string, ...any)) {
	t.Helper()
	want, err := dfTree(ref)
	if err != nil {
		t.Fatalf("%s: walking the reference: %v", when, err)
	}
	got, err := dfTree(other)
	if err != nil {
		fail("%s: walking %s: %v", when, other.Name(), err)
	}
	var diffs []string
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range want {
			if !yield(p) {
				return
			}
		}
		for p := range got {
			if _, ok := want[p]; !ok && !yield(p) {
				return
			}
		}
	}) {
		w, wok := want[p]
		g, gok := got[p]
		if !cfg.perms || !m.permKnown[p] {
			w.perm, g.perm = 0, 0
		}
		switch {
		case !wok:
			diffs = append(diffs, fmt.Sprintf("%q: present (dir=%v), want missing", p, g.dir))
		case !gok:
			diffs = append(diffs, fmt.Sprintf("%q: missing, want dir=%v size=%d", p, w.dir, w.size))
		case w != g:
			diffs = append(diffs, fmt.Sprintf("%q: dir=%v size=%d perm=%v, want dir=%v size=%d perm=%v (same bytes: %v)",
				p, g.dir, g.size, g.perm, w.dir, w.size, w.perm, g.data == w.data))
		}
	}
	if len(diffs) > 0 {
		fail("%s: tree differs from the reference:\n  %s", when, strings.Join(diffs, "\n  "))
	}
}

// dfCompareIOFS walks the io/fs view and compares names, types and bytes
// with the reference.
func dfCompareIOFS(t *testing.T, fsys *ftpfs.Fs, ref afero.Fs, fail func(string, ...any)) {
	t.Helper()
	want := map[string]string{}
	_ = afero.Walk(ref, "/", func(p string, fi fs.FileInfo, err error) error {
		if err != nil || p == "/" {
			return err
		}
		name := strings.TrimPrefix(p, "/")
		if fi.IsDir() {
			want[name+"/"] = ""
			return nil
		}
		data, err := afero.ReadFile(ref, p)
		want[name] = string(data)
		return err
	})
	got := map[string]string{}
	iofs := fsys.IOFS()
	err := fs.WalkDir(iofs, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if d.IsDir() {
			got[p+"/"] = ""
			return nil
		}
		f, err := iofs.Open(p)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(f)
		_ = f.Close() // a read-only close loses nothing
		got[p] = string(data)
		return err
	})
	if err != nil {
		fail("fs.WalkDir(IOFS()) = %v", err)
	}
	for p, w := range want {
		if g, ok := got[p]; !ok || g != w {
			fail("IOFS: %q = %d bytes (present %v), want %d bytes", p, len(g), ok, len(w))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			fail("IOFS: %q present, want missing", p)
		}
	}
}

// dfCaseTree is the small fixed tree of the differential cases.
var dfCaseTree = map[string]string{
	"file":        "data",
	"dir/child":   "x",
	"empty/":      "",
	"other/f":     "y",
	"b c/ lead":   "spaces",
	"日本語/é🎉":      "unicode",
	"-x/trail ":   "dash",
	"dir/nested/": "",
}

// dfCase is one operation of the differential cases.
type dfCase struct {
	name string
	op   dfOp
}

// TestDifferentialCases runs the differential cases with LIST listings
// (dfConfigs' first); with MLSD they are the suite's DifferentialCases.
func TestDifferentialCases(t *testing.T) {
	cfg := dfConfigs[0]
	t.Run(cfg.name, func(t *testing.T) {
		t.Parallel()
		for _, tc := range dfCases() {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				ref := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
				backing := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
				writeFiles(t, ref, dfCaseTree)
				writeFiles(t, backing, dfCaseTree)
				fsys, _ := serve(t, backing, cfg.srvOpts, cfg.opts...)
				dfRunCase(t, cfg, tc, ref, fsys)
			})
		}
	})
}

// suiteDifferentialCases runs single operations on a small fixed tree, on
// a fresh directory of s and on the reference alike, from a fresh tree
// each time: the edge cases the random sequences hit, each on its own.
// They use the same comparison and the same documented exceptions as
// the Differential case.
func suiteDifferentialCases(t *testing.T, s server) {
	tree := map[string]string{}
	for name, content := range dfCaseTree {
		if s.quirks.renamesNames && strings.HasSuffix(name, " ") {
			continue // stored as "trail_": see the README's server notes
		}
		tree[name] = content
	}
	top := s.fresh(t)
	slots := make(chan struct{}, 4) // cases at once: each is an Fs of up to 4 connections
	for i, tc := range dfCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			slots <- struct{}{}
			defer func() { <-slots }()
			ref := afero.NewBasePathFs(afero.NewOsFs(), t.TempDir())
			writeFiles(t, ref, tree)
			dir := fmt.Sprintf("case%02d", i)
			below := map[string]string{dir + "/": ""}
			for name, content := range tree {
				below[dir+"/"+name] = content
			}
			put(t, top, below)
			// A new Fs on the tree, with nothing cached, as if the tree
			// had been there before.
			dfRunCase(t, dfServerConfig(s), tc, ref, s.redial(t, top, dir))
		})
	}
}

func dfRunCase(t *testing.T, cfg dfConfig, tc dfCase, ref afero.Fs, fsys afero.Fs) {
	t.Helper()
	refBefore := dfRefStat(ref, tc.op.a)
	var dstBefore *dfEntry
	if tc.op.kind == "rename" {
		dstBefore = dfRefStat(ref, tc.op.b)
	}
	want := dfApply(ref, tc.op)
	got := dfApply(fsys, tc.op)
	want = dfRenameOverDir(ref, tc.op, want, got, dstBefore)
	wantClass, gotClass := dfClass(want.err), dfClass(got.err)
	if ok, _ := dfExpect(tc.op, want, got, refBefore, dstBefore); wantClass != gotClass && !ok {
		t.Errorf("%v = %s (%s), want %s (%s)", tc.op, gotClass, dfErrString(got.err), wantClass, dfErrString(want.err))
	}
	m := &dfModel{permKnown: map[string]bool{}}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf(format, args...)
	}
	if want.err == nil && got.err == nil {
		dfUpdateModel(m, tc.op, refBefore)
		if msg := dfCompare(cfg, m, tc.op, want, got); msg != "" {
			t.Errorf("%v: %s", tc.op, msg)
		}
	}
	dfCompareTrees(t, cfg, m, ref, fsys, "after "+tc.op.String(), fail)
}

func dfCases() []dfCase {
	appendCreate := os.O_WRONLY | os.O_APPEND | os.O_CREATE
	return []dfCase{ // The ordinary cases, which agree.
		{"stat a file", dfOp{kind: "stat", a: "/file"}},
		{"stat below a missing dir", dfOp{kind: "stat", a: "/nodir/x"}},
		{"readdir with odd names", dfOp{kind: "readdir", a: "/"}},
		{"readfile unicode", dfOp{kind: "readfile", a: "/日本語/é🎉"}},
		{"remove a non-empty dir", dfOp{kind: "remove", a: "/dir"}},
		{"rename a dir", dfOp{kind: "rename", a: "/dir", b: "/moved"}},
		{"rename a file over a file", dfOp{kind: "rename", a: "/file", b: "/other/f"}},
		{"mkdir over a file", dfOp{kind: "mkdir", a: "/file", perm: 0o755}},
		{"mkdirall through a file", dfOp{kind: "mkdirall", a: "/file/x/y", perm: 0o755}},
		{"readdir of a file", dfOp{kind: "readdir", a: "/file"}},
		{"readfile of a dir", dfOp{kind: "readfile", a: "/dir"}},
		{"append without O_CREATE to a missing file", dfOp{kind: "append", a: "/nope", flag: os.O_WRONLY | os.O_APPEND, data: []byte("z")}},
		{"stat below a file", dfOp{kind: "stat", a: "/file/x"}},
		{"readfile below a file", dfOp{kind: "readfile", a: "/file/x"}},
		{"readdir below a file", dfOp{kind: "readdir", a: "/file/x"}},
		{"remove below a file", dfOp{kind: "remove", a: "/file/x"}},

		// Regression (found at 212c4f8): Rename(x, x) of an existing name
		// returned a non-nil *os.LinkError whose Err was nil (its Error
		// method panics); os.Rename returns nil for a file.
		{"rename a file to itself", dfOp{kind: "rename", a: "/file", b: "/file"}},
		{"rename a dir to itself", dfOp{kind: "rename", a: "/dir", b: "/dir"}},

		// Regression (found at 212c4f8): writing over a directory failed
		// (at Write or Close) with an unclassified 550, not syscall.EISDIR
		// as OpenFile's documentation says: the lookup-free Create and
		// O_APPEND|O_CREATE paths.
		{"create over a dir", dfOp{kind: "create", a: "/dir", data: []byte("x")}},
		{"append over a dir", dfOp{kind: "append", a: "/dir", flag: appendCreate, data: []byte("x")}},

		// Regression (found at 212c4f8): a refused RNTO was classified by
		// the old name only, so a missing directory of the new name gave
		// no fs.ErrNotExist.
		{"rename into a missing dir", dfOp{kind: "rename", a: "/file", b: "/nodir/x"}},

		// A path through a regular file is syscall.ENOTDIR on the
		// reference. Found at 212c4f8: ftpfs gave an unclassified 550 or
		// fs.ErrNotExist, depending on the operation, on MLSD or LIST and
		// on how deep the file is. Still open: a Rename whose new name is
		// two or more levels below a file (classifyRename looks up the new
		// name's directory and ignores a lookup failing with ENOTDIR).
		{"create below a file", dfOp{kind: "create", a: "/file/x", data: []byte("x")}},
		{"append below a file", dfOp{kind: "append", a: "/file/x", flag: appendCreate, data: []byte("x")}},
		{"mkdir below a file", dfOp{kind: "mkdir", a: "/file/x", perm: 0o755}},
		{"chmod below a file", dfOp{kind: "chmod", a: "/file/x", perm: 0o600}},
		{"rename below a file", dfOp{kind: "rename", a: "/empty", b: "/file/x"}},
		{"rename from below a file", dfOp{kind: "rename", a: "/file/x", b: "/y"}},
		{"rename two levels below a file", dfOp{kind: "rename", a: "/empty", b: "/file/x/y"}},
		{"stat two levels below a file", dfOp{kind: "stat", a: "/file/x/y"}},
		{"removeall two levels below a file", dfOp{kind: "removeall", a: "/file/x/y"}},

		// Regression (found at 212c4f8, LIST only): "LIST /file" lists the
		// file itself, as Unix servers do, and ftpfs took that line for a
		// child of its own name: Stat("file/file") succeeded and
		// Mkdir("file/file") said fs.ErrExist.
		{"stat a file's namesake below it", dfOp{kind: "stat", a: "/file/file"}},
		{"mkdir a file's namesake below it", dfOp{kind: "mkdir", a: "/file/file", perm: 0o755}},
		{"readfile a file's namesake below it", dfOp{kind: "readfile", a: "/file/file"}},
	}
}
