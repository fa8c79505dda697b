package sync

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	stdsync "sync"

	"github.com/spf13/afero"
)

// ErrTypeConflict is wrapped, in an *fs.PathError naming the destination
// path, by Mirror's error when the source has a directory where the
// destination has a file or the other way round, and WithDelete does not
// allow Mirror to remove what is in the way.
var ErrTypeConflict = errors.New("a file and a directory of the same name")

// Stats counts what Mirror did, or with WithDryRun would do.
type Stats struct {
	Copied   int   // files copied (and, where Mirror checks the sizes of uploads, found complete)
	Bytes    int64 // bytes in the files copied
	Deleted  int   // destination files and directories removed, stale temporary files included
	Skipped  int   // source files not copied: up to date, or not regular files (links to directories, dangling links, devices)
	DirsMade int   // destination directories created
	Errors   int   // listings, transfers and other operations that failed
}

// Progress is what WithProgress reports. For Copy and CopyIfNewer the
// totals are one file and its size.
type Progress struct {
	Path       string // the file that advanced, relative to the roots (Copy: the source name)
	FilesDone  int    // files finished, copied or failed
	FilesTotal int    // files to copy
	BytesDone  int64  // bytes written so far, failed transfers included
	BytesTotal int64  // the listed sizes of the files to copy
}

// Mirror makes the tree dstDir of dst match the tree srcDir of src for
// files that are new or changed: it creates missing directories, copies
// each file that is missing, whose source is newer, or whose size differs
// whichever side is newer (see the package documentation), and with
// WithDelete removes what src lacks. dstDir is created if missing. The
// bytes stream, never held whole in memory. A file missing from dst is
// written straight under its name (a failed transfer removes it); one
// that exists is replaced as Copy does, through a temporary name, so it
// keeps its old content if the transfer fails. Then the copy gets the
// source's modification time where dst can set it, unless WithoutTimes.
//
// It works in two steps. First it walks both trees, listing every
// directory once on each side (afero.ReadDir; none for directories it is
// about to create) and deciding from the listed FileInfos alone, with no
// Stat per file: a second run with nothing changed costs one listing per
// directory per side and transfers nothing. Then it creates directories
// in order, transfers files in parallel (WithParallel, DefaultParallel by
// default), and last removes extraneous entries. Symbolic links in the
// source are followed (one Stat each) to files; links to directories are
// not followed. Directory times and permissions are not mirrored (new
// directories and files get the source's permission bits, where dst
// honours them).
//
// A destination with a method OpenFileUnchecked(name string, flag int,
// perm os.FileMode) (afero.File, error), as *ftpfs.Fs has, is spared
// checking each new file as it is closed (over FTP: a SIZE per file):
// Mirror opens new files with it and, once the transfers are over (even
// when ctx has ended), checks their sizes with one listing of each
// directory that received one. A new file listed with a size other than
// the bytes written is an error and is removed; it is not counted in
// Stats.Copied, nor are the new files of a directory whose listing fails.
// Replaced files are opened with OpenFile, so the destination's own check
// runs before the rename.
//
// Temporary files of the form ".name.ftpfs-tmp-<12 hex digits>" found in
// a destination directory are left over from interrupted transfers and
// are removed (counted in Stats.Deleted), even without WithDelete; in the
// source they are ignored. Two Mirrors must not write the same tree at
// once.
//
// Options: WithDelete, WithDryRun, WithInclude, WithExclude,
// WithParallel, WithProgress, WithoutTimes.
//
// Mirror goes on after a failure and returns, with the Stats, all the
// errors it met joined by errors.Join (each an *fs.PathError or
// *os.LinkError of src or dst, an *fs.PathError wrapping
// [ErrTypeConflict], or an *fs.PathError with Op "mirror" wrapping
// [io.ErrUnexpectedEOF] for a new file listed with the wrong size); files
// under a directory it failed to create are not attempted. It fails at
// once when srcDir cannot be listed. When ctx ends it stops starting
// work, interrupts the transfers under way (a replaced target keeps its
// old content, a new one is removed) and adds ctx.Err() to the errors;
// run it again to finish the job.
func Mirror(ctx context.Context, dst afero.Fs, dstDir string, src afero.Fs, srcDir string, opts ...Option) (Stats, error) {
	o, err := newOptions(opts)
	if err != nil {
		return Stats{}, err
	}
	m := &mirror{
		ctx: ctx, o: o,
		dst: dst, dstRoot: cleanRoot(dstDir),
		src: src, srcRoot: cleanRoot(srcDir),
		broken: make(map[string]bool),
	}
	m.unchecked, _ = dst.(uncheckedOpener)
	if err := m.walkRoot(); err != nil {
		m.stats.Errors++
		return m.stats, err
	}
	m.execute()
	if err := ctx.Err(); err != nil {
		m.errs = append(m.errs, err)
	}
	return m.stats, errors.Join(m.errs...)
}

func cleanRoot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// actionKind is a change to the destination other than a transfer.
type actionKind int

const (
	makeRoot   actionKind = iota // MkdirAll the destination root
	makeDir                      // Mkdir
	removeFile                   // Remove a file
	removeTree                   // RemoveAll a directory
)

type action struct {
	kind actionKind
	path string // on the destination
	perm fs.FileMode
}

// copyJob is one planned transfer.
type copyJob struct {
	rel              string
	srcPath, dstPath string
	info             fs.FileInfo // the source's, from its listing
	direct           bool        // the destination has no counterpart: write dstPath itself
}

// mirror is one run of Mirror.
type mirror struct {
	ctx              context.Context
	o                *options
	dst, src         afero.Fs
	dstRoot, srcRoot string
	unchecked        uncheckedOpener // dst, if it can skip its own check of new files' sizes

	// The plan.
	prep    []action // removals in the way, directories to make: in order
	copies  []copyJob
	deletes []action

	// Set while executing; mu guards them once transfers run.
	mu       stdsync.Mutex
	stats    Stats
	errs     []error
	progress Progress
	broken   map[string]bool // destination directories that could not be made
	uploads  []upload        // new files written through unchecked, to verify
}

func (m *mirror) srcPath(rel string) string { return path.Join(m.srcRoot, rel) }
func (m *mirror) dstPath(rel string) string { return path.Join(m.dstRoot, rel) }

// fail records an error; safe while transfers run.
func (m *mirror) fail(err error) {
	m.mu.Lock()
	m.stats.Errors++
	m.errs = append(m.errs, err)
	m.mu.Unlock()
}

// walkRoot plans the whole mirror. It fails only when the source root
// cannot be listed.
func (m *mirror) walkRoot() error {
	srcList, err := afero.ReadDir(m.src, m.srcRoot)
	if err != nil {
		return err
	}
	dstList, err := afero.ReadDir(m.dst, m.dstRoot)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		m.prep = append(m.prep, action{kind: makeRoot, path: m.dstRoot, perm: 0o755})
		m.plan("", srcList, nil, false)
	case err != nil:
		m.fail(err)
	default:
		m.plan("", srcList, dstList, true)
	}
	return nil
}

// walk plans the directory rel, which exists on the destination when
// dstExists.
func (m *mirror) walk(rel string, dstExists bool) {
	if m.ctx.Err() != nil {
		return
	}
	srcList, err := afero.ReadDir(m.src, m.srcPath(rel))
	if err != nil {
		m.fail(err)
		return
	}
	var dstList []fs.FileInfo
	if dstExists {
		if dstList, err = afero.ReadDir(m.dst, m.dstPath(rel)); err != nil {
			m.fail(err)
			return
		}
	}
	m.plan(rel, srcList, dstList, dstExists)
}

// plan decides what to do with the entries of directory rel.
func (m *mirror) plan(rel string, srcList, dstList []fs.FileInfo, dstExists bool) {
	dstByName := make(map[string]fs.FileInfo, len(dstList))
	parts := map[string]bool{} // partial files (WithResume): kept if a copy continues them
	for _, di := range dstList {
		if isTempName(di.Name()) {
			m.prep = append(m.prep, action{kind: removeFile, path: m.dstPath(path.Join(rel, di.Name()))})
			continue
		}
		if isPartName(di.Name()) && di.Mode().IsRegular() {
			parts[di.Name()] = false
			continue
		}
		dstByName[di.Name()] = di
	}
	defer m.dropParts(rel, parts)
	inSource := make(map[string]bool, len(srcList))
	for _, si := range srcList {
		name := si.Name()
		if isTempName(name) || isPartName(name) {
			continue
		}
		inSource[name] = true
		childRel := path.Join(rel, name)
		if m.o.excluded(childRel) {
			continue
		}
		if si.Mode()&fs.ModeSymlink != 0 {
			followed, err := m.src.Stat(m.srcPath(childRel))
			if err != nil || followed.IsDir() {
				m.stats.Skipped++ // dangling, or a link to a directory
				continue
			}
			si = followed
		}
		di, hasDst := dstByName[name]
		if hasDst && di.Mode()&fs.ModeSymlink != 0 {
			if followed, err := m.dst.Stat(m.dstPath(childRel)); err == nil {
				di = followed
			}
		}
		switch {
		case si.IsDir():
			m.planDir(childRel, si, di, hasDst)
		case !si.Mode().IsRegular():
			m.stats.Skipped++
		case m.o.included(childRel):
			m.planFile(childRel, si, di, hasDst, parts)
		}
	}
	if !dstExists || !m.o.delete {
		return
	}
	for _, di := range dstList {
		name := di.Name()
		childRel := path.Join(rel, name)
		switch {
		case inSource[name], isTempName(name), isPartName(name), m.o.excluded(childRel):
		case di.IsDir():
			m.deletes = append(m.deletes, action{kind: removeTree, path: m.dstPath(childRel)})
		case m.o.included(childRel):
			m.deletes = append(m.deletes, action{kind: removeFile, path: m.dstPath(childRel)})
		}
	}
}

// planDir plans the source directory rel, whose destination counterpart
// is di when hasDst.
func (m *mirror) planDir(rel string, si, di fs.FileInfo, hasDst bool) {
	dstPath := m.dstPath(rel)
	if hasDst && di.IsDir() {
		m.walk(rel, true)
		return
	}
	if hasDst {
		if !m.o.delete {
			m.fail(&fs.PathError{Op: "mirror", Path: dstPath, Err: ErrTypeConflict})
			return
		}
		m.prep = append(m.prep, action{kind: removeFile, path: dstPath})
	}
	m.prep = append(m.prep, action{kind: makeDir, path: dstPath, perm: dirPerm(si)})
	m.walk(rel, false)
}

// planFile plans the source file rel, whose destination counterpart is
// di when hasDst.
func (m *mirror) planFile(rel string, si, di fs.FileInfo, hasDst bool, parts map[string]bool) {
	job := copyJob{rel: rel, srcPath: m.srcPath(rel), dstPath: m.dstPath(rel), info: si, direct: !hasDst && !m.o.resume}
	switch {
	case !hasDst:
	case di.IsDir():
		if !m.o.delete {
			m.fail(&fs.PathError{Op: "mirror", Path: job.dstPath, Err: ErrTypeConflict})
			return
		}
		m.prep = append(m.prep, action{kind: removeTree, path: job.dstPath})
	case !di.Mode().IsRegular():
		// A link or special file: the rename replaces it.
	case !needsMirror(si, di):
		m.stats.Skipped++
		return
	}
	if m.o.resume {
		if p := path.Base(partName(job.dstPath, si)); !si.ModTime().IsZero() {
			if _, ok := parts[p]; ok {
				parts[p] = true // continued by this copy
			}
		}
	}
	m.copies = append(m.copies, job)
	m.progress.FilesTotal++
	m.progress.BytesTotal += si.Size()
}

// dirPerm is the permission a new directory gets: the source's bits plus
// the owner's rwx (so Mirror can fill it), or 0755 if it shows none.
func dirPerm(info fs.FileInfo) fs.FileMode {
	if p := info.Mode().Perm(); p != 0 {
		return p | 0o700
	}
	return 0o755
}

// execute carries out the plan.
func (m *mirror) execute() {
	if m.o.dryRun {
		for _, a := range append(m.prep, m.deletes...) {
			m.count(a)
		}
		m.stats.Copied += len(m.copies)
		m.stats.Bytes += m.progress.BytesTotal
		return
	}
	for _, a := range m.prep {
		if m.ctx.Err() != nil {
			return
		}
		m.do(a)
	}
	m.transferAll()
	m.verifyUploads()
	for _, a := range m.deletes {
		if m.ctx.Err() != nil {
			return
		}
		m.do(a)
	}
}

// count counts a as done.
func (m *mirror) count(a action) {
	switch a.kind {
	case makeRoot, makeDir:
		m.stats.DirsMade++
	default:
		m.stats.Deleted++
	}
}

// do carries out one action, before or after the transfers.
func (m *mirror) do(a action) {
	if m.underBroken(a.path) {
		return
	}
	var err error
	switch a.kind {
	case makeRoot:
		err = m.dst.MkdirAll(a.path, a.perm)
	case makeDir:
		err = m.dst.Mkdir(a.path, a.perm)
		if errors.Is(err, fs.ErrExist) {
			return // made meanwhile by someone else
		}
	case removeFile:
		err = m.dst.Remove(a.path)
	case removeTree:
		err = m.dst.RemoveAll(a.path)
	}
	if err != nil {
		if a.kind == makeRoot || a.kind == makeDir {
			m.broken[a.path] = true
		}
		m.fail(err)
		return
	}
	m.count(a)
}

// underBroken reports whether p lies in a directory that could not be
// made.
func (m *mirror) underBroken(p string) bool {
	for d := path.Dir(p); len(m.broken) > 0; d = path.Dir(d) {
		if m.broken[d] {
			return true
		}
		if d == "/" || d == "." {
			return false
		}
	}
	return false
}

// transferAll runs the planned transfers, o.parallel at a time.
func (m *mirror) transferAll() {
	jobs := make(chan copyJob)
	var wg stdsync.WaitGroup
	for range min(m.o.parallel, len(m.copies)) {
		wg.Go(func() {
			for j := range jobs {
				m.transfer(j)
			}
		})
	}
feed:
	for _, j := range m.copies {
		if m.underBroken(j.dstPath) {
			continue
		}
		select {
		case jobs <- j:
		case <-m.ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

// transfer copies one file and records the outcome.
func (m *mirror) transfer(j copyJob) {
	if m.ctx.Err() != nil {
		return
	}
	var onWrite func(int64)
	if m.o.progress != nil {
		onWrite = func(n int64) {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.progress.Path = j.rel
			m.progress.BytesDone += n
			m.o.progress(m.progress)
		}
	}
	c := &copyFile{
		dst: m.dst, dstName: j.dstPath, src: m.src, srcName: j.srcPath, info: j.info,
		direct: j.direct, times: !m.o.noTimes, stop: m.ctx.Err, onWrite: onWrite,
		resume: m.o.resume, hash: m.o.hash,
	}
	unchecked := j.direct && m.unchecked != nil && !m.o.hash
	if unchecked {
		c.open = m.unchecked.OpenFileUnchecked
	}
	n, written, err := c.run()
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case written && unchecked:
		m.uploads = append(m.uploads, upload{path: j.dstPath, written: n})
	case written:
		m.stats.Copied++
		m.stats.Bytes += n
	}
	if err != nil {
		m.stats.Errors++
		m.errs = append(m.errs, err)
	}
	m.progress.FilesDone++
	if m.o.progress != nil {
		m.progress.Path = j.rel
		m.o.progress(m.progress)
	}
}

// dropParts plans the removal of the partial files of directory rel that
// no planned copy continues: their sources changed, went away, or need no
// copy; without WithResume, all of them.
func (m *mirror) dropParts(rel string, parts map[string]bool) {
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		if !parts[name] {
			m.prep = append(m.prep, action{kind: removeFile, path: m.dstPath(path.Join(rel, name))})
		}
	}
}
