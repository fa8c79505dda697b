package main

import "strings"

// ourDisputes lists where ftpfs deliberately reads a line otherwise than
// the corpus source does, as the issue asks ("where two peers disagree,
// pick what the server meant and say why"). Each rule names the source,
// the format, the field and the reason; the parser's doc comment says the
// same. A record that differs only in such fields is counted as "ours",
// not in the score, and -v lists it.
var ourDisputes = []struct {
	source, format, field string // source: id prefix; format: exact; field: as in the record, or "skipped", "rejected", "accepted"
	match                 func(r record) bool
	why                   string
}{
	{source: "fluentftp-", format: "other:vms", field: "size",
		why: "VMS sizes are 512-byte blocks (DIRECTORY/SIZE; commons-net, Chromium); FluentFTP reads a lone number as bytes (a 95-block PDF would be 95 bytes) and used/allocated as used×512 KiB"},
	{source: "fluentftp-", format: "other:vms", field: "mtime",
		match: func(r record) bool { return !strings.Contains(r.Line, ":") },
		why:   "a date without a time of day is still the date (day precision); FluentFTP drops it"},
	{source: "commons-net-", format: "other:vms", field: "name",
		match: func(r record) bool { return strings.Contains(strings.ToUpper(r.Line), ".DIR;") },
		why:   "X.DIR;1 is the directory X, the name one changes into (FluentFTP and Chromium drop .DIR too)"},
	{source: "fluentftp-", format: "other:os400", field: "skipped",
		why: "a *MEM line FILE/MEMBER names a member inside the *FILE listed above it, not an entry of this directory (and an entry name cannot hold a slash)"},
	{source: "fluentftp-", format: "other:mvs", field: "size",
		match: func(r record) bool { return strings.Contains(r.Line, "+++") },
		why:   "a Used column of '+' overflowed; the size is unknown, not 2^24 tracks"},
	{source: "jlaffaye-", format: "unix", field: "size",
		match: func(r record) bool { return strings.Contains(r.Line, "18446744073709551615") },
		why:   "2^64-1 is an unsigned -1 (no real size) and no int64: the size is unknown"},
	{source: "commons-net-", format: "mlsd", field: "skipped",
		match: func(r record) bool { return strings.Contains(r.Line, " /") },
		why:   "an absolute pathname names no entry of the listed directory (an entry name cannot hold a slash); basic-ftp skips such lines too"},
	{source: "commons-net-", format: "mlsd", field: "rejected",
		match: func(r record) bool { return strings.Contains(r.Line, "/") },
		why:   "the name would hold a slash, which no entry name can"},
	{source: "basic-ftp-", format: "mlsd", field: "owner",
		why: "numbers win over UNIX.ownername/groupname: proftpd's names are wrong for other owners (parsers/testdata/listings/README.md)"},
	{source: "basic-ftp-", format: "mlsd", field: "group",
		why: "numbers win over UNIX.ownername/groupname: proftpd's names are wrong for other owners (parsers/testdata/listings/README.md)"},
	{source: "ftputil-", format: "unix", field: "accepted",
		match: func(r record) bool { m, _, _ := strings.Cut(r.Line, " "); return len(m) == 9 },
		why:   "a nine-character mode is the ten-character one without its last (other-execute) character, as basic-ftp's issue 193 shows a server print it"},
	{source: "ftputil-", format: "unix", field: "accepted",
		match: func(r record) bool { return strings.HasPrefix(r.Line, "d") && strings.Count(r.Line, " -> ") > 1 },
		why:   "a directory line has no link target, so ' -> ' is part of the name and nothing is ambiguous"},
}

// ourDispute returns why we read field of r otherwise than its source.
func ourDispute(r record, field string) (string, bool) {
	for _, d := range ourDisputes {
		if strings.HasPrefix(r.ID, d.source) && r.Format == d.format && d.field == field && (d.match == nil || d.match(r)) {
			return d.why, true
		}
	}
	return "", false
}
