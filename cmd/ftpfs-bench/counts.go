package main

import (
	"fmt"
	"sort"
	"strings"
)

// commandCounts is what a counting proxy saw during one run.
type commandCounts struct {
	Verbs      map[string]int // commands by verb
	Conns      int            // control connections
	DataOpened int            // data connections used (125 and 150 replies)
}

// sessionVerbs are the commands of logging in, negotiating and leaving:
// they are paid per connection, not per file or directory.
var sessionVerbs = map[string]bool{
	"USER": true, "PASS": true, "ACCT": true, "FEAT": true, "SYST": true,
	"TYPE": true, "OPTS": true, "PWD": true, "XPWD": true, "QUIT": true,
	"NOOP": true, "AUTH": true, "PBSZ": true, "PROT": true, "CLNT": true,
	"HOST": true, "MODE": true, "STRU": true, "LANG": true,
}

// listingVerbs are the directory listings.
var listingVerbs = map[string]bool{"LIST": true, "MLSD": true, "NLST": true}

// passiveVerbs each announce one data connection.
var passiveVerbs = map[string]bool{"PASV": true, "EPSV": true, "PORT": true, "EPRT": true}

// total sums the verbs for which keep is true.
func (c *commandCounts) total(keep func(verb string) bool) int {
	n := 0
	for v, k := range c.Verbs {
		if keep(v) {
			n += k
		}
	}
	return n
}

// Listings is the number of directory listings.
func (c *commandCounts) Listings() int {
	return c.total(func(v string) bool { return listingVerbs[v] })
}

// Passive is the number of passive-mode commands (PASV, EPSV; PORT and
// EPRT for active mode).
func (c *commandCounts) Passive() int {
	return c.total(func(v string) bool { return passiveVerbs[v] })
}

// perDirVerbs are paid per directory visited or made, not per file:
// listings, changing into a directory, making one, and pure-ftpd's PRET
// (announced before each passive transfer, listings included).
var perDirVerbs = map[string]bool{"CWD": true, "CDUP": true, "XCWD": true, "MKD": true, "XMKD": true}

// PerFile is the commands per file that are neither session setup, nor
// listings, nor paid per directory, nor passive-mode or PRET commands
// (those are counted as data connections): what each file costs on top
// of its data connection.
func (c *commandCounts) PerFile(files int) float64 {
	if files == 0 {
		return 0
	}
	n := c.total(func(v string) bool {
		return !sessionVerbs[v] && !listingVerbs[v] && !perDirVerbs[v] && !passiveVerbs[v] && v != "PRET"
	})
	return float64(n) / float64(files)
}

// DataPerFile is the data connections per file that were not listings.
func (c *commandCounts) DataPerFile(files int) float64 {
	if files == 0 {
		return 0
	}
	return float64(c.DataOpened-c.Listings()) / float64(files)
}

// Summary is the cell of the table's commands column for a workload of
// files files in dirs directories.
func (c *commandCounts) Summary(files, dirs int) string {
	var parts []string
	if dirs > 0 {
		parts = append(parts, fmt.Sprintf("%d listings/%d dirs", c.Listings(), dirs))
	} else {
		parts = append(parts, fmt.Sprintf("%d listings", c.Listings()))
	}
	parts = append(parts,
		fmt.Sprintf("%.2f cmd/file", c.PerFile(files)),
		fmt.Sprintf("%.2f data/file", c.DataPerFile(files)),
		fmt.Sprintf("%d conn", c.Conns))
	return strings.Join(parts, ", ")
}

// Breakdown lists every verb with its count, most frequent first.
func (c *commandCounts) Breakdown() string {
	type vc struct {
		v string
		n int
	}
	var list []vc
	for v, n := range c.Verbs {
		list = append(list, vc{v, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].v < list[j].v
	})
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = fmt.Sprintf("%s %d", x.v, x.n)
	}
	return strings.Join(parts, ", ")
}
