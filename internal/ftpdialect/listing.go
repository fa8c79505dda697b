package ftpdialect

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// list answers LIST as the dialect says: how it reads its argument
// (ListArgs), what it says of a missing path (ListMissing), and how it
// describes a file or a link (ListNamesOperand).
func (c *conn) list(arg string) {
	req := c.listArgs(arg)
	if req.optionsAsPath {
		c.fail(550, "No such file or directory.")
		return
	}
	lsLike := c.d.ListArgs == ListWords
	shows := dirShows{dotFiles: req.all || !lsLike, dots: lsLike && req.all}
	operands := req.operands
	if len(operands) == 0 {
		operands = []string{""}
	}
	var out bytes.Buffer
	for _, op := range operands {
		v := c.virtual(op)
		lfi, err := os.Lstat(c.disk(v))
		if err != nil {
			switch c.d.ListMissing {
			case ListMissingLsText:
				fmt.Fprintf(&out, "/bin/ls: cannot access '%s': %s\r\n", op, errText(err))
			case ListMissingPathText:
				fmt.Fprintf(&out, "%s: %s\r\n", op, errText(err))
			case ListMissingEmpty: // nothing: the listing is empty
			default:
				c.failPath(550, v, err)
				return
			}
			continue
		}
		// ls describes a link named as its operand; without an operand it
		// lists ".", the directory CWD went to, link or not.
		describeLink := c.d.ListNamesOperand && op != "" && !strings.HasSuffix(op, "/")
		if lfi.Mode()&fs.ModeSymlink != 0 && !describeLink {
			if fi, err := os.Stat(c.disk(v)); err == nil {
				lfi = fi // the link's target is listed
			}
		}
		if !lfi.IsDir() {
			name := lfi.Name()
			if c.d.ListNamesOperand {
				name = op // ls names a file by its operand
			}
			out.WriteString(c.lsLine(v, name, lfi))
			continue
		}
		if len(operands) > 1 {
			fmt.Fprintf(&out, "%s:\r\n", op)
		}
		c.listDir(&out, v, shows)
	}
	c.sendListing(0, out.Bytes())
}

// listRequest is LIST's argument as the dialect reads it.
type listRequest struct {
	all      bool     // "-a": dot files
	operands []string // the paths; none for the working directory
	// optionsAsPath: options and path were taken for one path, which
	// does not exist (ListDashAsPath).
	optionsAsPath bool
}

// listArgs reads LIST's argument.
func (c *conn) listArgs(arg string) listRequest {
	switch c.d.ListArgs {
	case ListDashAsPath:
		switch {
		case strings.HasPrefix(arg, "-") && strings.Contains(arg, " "):
			return listRequest{optionsAsPath: true}
		case strings.HasPrefix(arg, "-"), arg == "":
			return listRequest{all: true}
		}
		return listRequest{all: true, operands: []string{arg}}
	case ListWords:
		var req listRequest
		for _, w := range strings.Fields(arg) {
			if strings.HasPrefix(w, "-") {
				req.all = req.all || strings.Contains(w, "a")
				continue
			}
			req.operands = append(req.operands, c.glob(w)...)
		}
		return req
	}
	var req listRequest
	rest := arg
	for strings.HasPrefix(rest, "-") {
		opt, after, _ := strings.Cut(rest, " ")
		req.all = req.all || strings.Contains(opt, "a")
		rest = after
	}
	if rest != "" {
		req.operands = []string{rest}
	}
	return req
}

// glob expands a word with *, ? or [ as a shell would, to the virtual
// paths of the names it matches, sorted; a word that matches nothing
// stays as it is (in.ftpd globs LIST's argument).
func (c *conn) glob(word string) []string {
	if !strings.ContainsAny(word, "*?[") {
		return []string{word}
	}
	v := c.virtual(word)
	matches, err := filepath.Glob(c.disk(v))
	if err != nil || len(matches) == 0 {
		return []string{word}
	}
	root := filepath.Clean(c.srv.root)
	var out []string
	for _, m := range matches {
		if rel, err := filepath.Rel(root, m); err == nil {
			out = append(out, "/"+filepath.ToSlash(rel))
		}
	}
	return out
}

// dirShows is what a directory's listing shows besides its entries.
type dirShows struct {
	dotFiles bool // names that start with "."
	dots     bool // a "total" line and the entries "." and "..", as ls -la
}

// listDir writes the ls -l lines of the directory at virtual path v.
func (c *conn) listDir(out *bytes.Buffer, v string, shows dirShows) {
	entries, err := os.ReadDir(c.disk(v))
	if err != nil {
		return
	}
	if shows.dots {
		out.WriteString("total 8\r\n")
		for _, name := range []string{".", ".."} {
			if fi, err := os.Stat(c.disk(v) + "/" + name); err == nil {
				out.WriteString(c.lsLine(v, name, fi))
			}
		}
	}
	for _, e := range entries {
		if !shows.dotFiles && strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fi, err := os.Lstat(c.disk(v) + "/" + e.Name())
		if err != nil {
			continue
		}
		out.WriteString(c.lsLine(v+"/"+e.Name(), e.Name(), fi))
	}
}

// lsLine formats one "ls -l" line for the file at virtual path v.
func (c *conn) lsLine(v, name string, fi fs.FileInfo) string {
	if fi.Mode()&fs.ModeSymlink != 0 {
		if target, err := os.Readlink(c.disk(v)); err == nil {
			name += " -> " + target
		}
	}
	t := fi.ModTime().UTC()
	stamp := t.Format("Jan _2 15:04")
	if age := time.Since(t); age > 180*24*time.Hour || age < -time.Hour {
		stamp = t.Format("Jan _2  2006")
	}
	return fmt.Sprintf("%s %3d %-8s %-8s %8d %s %s\r\n", lsMode(fi.Mode()), 1, "tester", "tester", fi.Size(), stamp, name)
}

// lsMode writes a mode as ls does: "drwxr-sr-x".
func lsMode(m fs.FileMode) string {
	b := []byte("----------")
	switch {
	case m.IsDir():
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	}
	for i, c := range "rwxrwxrwx" {
		if m.Perm()&(1<<(8-i)) != 0 {
			b[i+1] = byte(c)
		}
	}
	special := func(i int, set bool, lower, upper byte) {
		if !set {
			return
		}
		if b[i] == 'x' {
			b[i] = lower
		} else {
			b[i] = upper
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
}

func (c *conn) nlst(arg string) {
	v := c.virtual(arg)
	entries, err := os.ReadDir(c.disk(v))
	if err != nil {
		c.failPath(550, v, err)
		return
	}
	var out bytes.Buffer
	for _, e := range entries {
		out.WriteString(e.Name() + "\r\n")
	}
	c.sendListing(0, out.Bytes())
}

// knownFacts are the MLSD facts the server can send.
var knownFacts = map[string]bool{
	"modify": true, "perm": true, "size": true, "type": true, "unique": true,
	"unix.mode": true, "unix.uid": true, "unix.gid": true,
}

func (c *conn) mlsd(arg string) {
	v := c.virtual(arg)
	fi, err := os.Stat(c.disk(v))
	if err != nil || !fi.IsDir() {
		code := c.d.MLSDMissingCode
		if code == 0 {
			code = 550
		}
		c.fail(code, "No such directory.")
		return
	}
	entries, err := os.ReadDir(c.disk(v))
	if err != nil {
		c.failPath(550, v, err)
		return
	}
	var out bytes.Buffer
	for _, e := range entries {
		if line, ok := c.factLine(v+"/"+e.Name(), e.Name()); ok {
			out.WriteString(line + "\r\n")
		}
	}
	c.sendListing(c.d.MLSDEndCode, out.Bytes())
}

func (c *conn) mlst(arg string) {
	v := c.virtual(arg)
	line, ok := c.factLine(v, v)
	if !ok {
		c.fail(550, "No such file or directory.")
		return
	}
	_ = c.c.SetWriteDeadline(time.Now().Add(dataTimeout))
	_, _ = fmt.Fprintf(c.c, "250-Listing %s\r\n %s\r\n250 End.\r\n", v, line) // a broken connection ends run's next read
}

// factLine returns the MLSD fact line of the file at virtual path v,
// named name, and false when the dialect leaves it out.
func (c *conn) factLine(v, name string) (string, bool) {
	fi, err := os.Lstat(c.disk(v))
	if err != nil {
		return "", false
	}
	kind := "file"
	switch {
	case fi.IsDir():
		kind = "dir"
	case fi.Mode()&fs.ModeSymlink != 0:
		target, terr := os.Stat(c.disk(v))
		switch c.d.MLSDLinks {
		case MLSDLinksFollowed:
			if terr != nil {
				return "", false
			}
			fi, kind = target, "file"
			if target.IsDir() {
				kind = "dir"
			}
		case MLSDLinksLiveOnly:
			if terr != nil {
				return "", false
			}
			kind = "OS.unix=slink"
		default:
			to, _ := os.Readlink(c.disk(v))
			kind = "OS.unix=slink:" + to
		}
	}
	perm := "radfwMT"
	if fi.IsDir() {
		perm = "elcdfmMT"
	}
	facts := map[string]string{
		"modify": fi.ModTime().UTC().Format(timeFormat),
		"perm":   perm,
		"size":   fmt.Sprint(fi.Size()),
		"type":   kind,
		"unique": unique(fi),
	}
	mode := fi.Mode().Perm() | fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	uid, gid := owner(fi)
	if c.d.FactsOnRequest {
		facts["unix.mode"] = fmt.Sprintf("0o%o", unixMode(mode))
		facts["unix.uid"], facts["unix.gid"] = uid, gid
	} else {
		facts["unix.mode"] = fmt.Sprintf("%04o", unixMode(mode))
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(facts)) {
		if facts[k] != "" && c.sends(k) {
			fmt.Fprintf(&b, "%s=%s;", k, facts[k])
		}
	}
	return b.String() + " " + name, true
}

// sends reports whether the session sends the fact: the ones OPTS MLST
// selected, or by default all but the optional unix facts.
func (c *conn) sends(fact string) bool {
	if c.selected != nil {
		return c.selected[fact]
	}
	return !c.d.FactsOnRequest || !strings.HasPrefix(fact, "unix.")
}

// unixMode turns Go's permission and special bits into a Unix mode.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}
