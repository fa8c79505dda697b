package ftpdialect

// Dialect says how a Server departs from a well-behaved FTP server. The
// zero Dialect is well-behaved: FEAT, MLSD with links shown as links, LIST
// that takes "-a" before one path and answers 550 for a missing one,
// every command of Server's list, no limit on clients. Each field turns
// on one way of a real daemon, as docs/dialects-found.md records it.
type Dialect struct {
	// Refuse lists the commands answered "500 'VERB': command not
	// understood." (upper case; "SITE CHMOD" for one SITE command).
	// FEAT leaves the refused ones out. "FEAT" itself: in.ftpd; "MLSD"
	// and "MLST": inetutils and in.ftpd; "MFMT": inetutils.
	Refuse []string

	// ListArgs is how LIST reads its argument.
	ListArgs ListArgs
	// ListMissing is how LIST answers for a path that does not exist.
	ListMissing ListMissing
	// ListNamesOperand makes LIST of a file or of a symbolic link (to a
	// directory too) describe that one name, named by the operand as the
	// client sent it, whole path included, as "ls -l name" does
	// (inetutils, in.ftpd). Otherwise LIST of a link to a directory lists
	// the target's entries, and LIST of a file names it by its base name.
	ListNamesOperand bool

	// MLSDLinks is how MLSD and MLST show symbolic links.
	MLSDLinks MLSDLinks
	// FactsOnRequest makes unix.mode, unix.uid and unix.gid optional
	// facts, listed in FEAT without "*" and sent only once OPTS MLST
	// selected them, with the mode in Python's notation: "0o755"
	// (pyftpdlib).
	FactsOnRequest bool
	// MLSDMissingCode is the reply to MLSD of a missing directory: 550
	// when zero; pyftpdlib answers 501 "No such directory.".
	MLSDMissingCode int
	// MLSDEndCode is the final reply of a successful MLSD: 226 when
	// zero.
	MLSDEndCode int

	// StoreMissingDirCode is the reply to STOR into a missing directory:
	// 550 when zero; inetutils and in.ftpd answer 553.
	StoreMissingDirCode int
	// TerseErrors makes every failure of a command the server knows
	// "550 Error.", whatever went wrong.
	TerseErrors bool
	// MkdirParents makes MKD create missing parent directories.
	MkdirParents bool
	// AppendRefused answers every APPE with "451 Append/Restart not
	// permitted" (proftpd without AllowStoreRestart).
	AppendRefused bool
	// DeleFollowsLinks makes DELE stat its argument, following links,
	// before it unlinks it: a dangling link, a loop or a link to a
	// directory cannot be removed (inetutils, in.ftpd).
	DeleFollowsLinks bool

	// Busy turns logins away while too many sessions are logged in.
	Busy Busy
}

// ListArgs is how LIST reads its argument.
type ListArgs uint8

// The ways of reading LIST's argument.
const (
	// ListOptionsThenPath: words that start with "-" before the path are
	// options; the rest of the argument, blanks included, is one path.
	ListOptionsThenPath ListArgs = iota
	// ListDashAsPath: options are read only when they are the whole
	// argument ("LIST -a"); with a path after them ("LIST -a dir") the
	// whole argument is the path, which does not exist (pyftpdlib).
	ListDashAsPath
	// ListWords: the argument is split at blanks, as a shell would for
	// ls; each word that does not start with "-" is listed on its own,
	// and a word with *, ? or [ is replaced by the names it matches
	// (inetutils, in.ftpd).
	ListWords
)

// ListMissing is how LIST answers for a path that does not exist.
type ListMissing uint8

// The answers to LIST of a missing path.
const (
	// ListMissing550 answers "550 <path>: No such file or directory.".
	ListMissing550 ListMissing = iota
	// ListMissingLsText sends GNU ls's complaint as the listing,
	// "/bin/ls: cannot access '<path>': No such file or directory", and
	// ends with 226 (in.ftpd).
	ListMissingLsText
	// ListMissingPathText sends "<path>: No such file or directory" as
	// the listing and ends with 226 (inetutils).
	ListMissingPathText
	// ListMissingEmpty sends an empty listing and 226 (vsftpd).
	ListMissingEmpty
)

// MLSDLinks is how MLSD and MLST show symbolic links.
type MLSDLinks uint8

// The ways MLSD shows links.
const (
	// MLSDLinksShown shows every link as type=OS.unix=slink:<target>.
	MLSDLinksShown MLSDLinks = iota
	// MLSDLinksFollowed shows a link as its target (the target's type,
	// size and unique fact) and leaves dangling links and loops out
	// (pyftpdlib); MLST follows links too.
	MLSDLinksFollowed
	// MLSDLinksLiveOnly shows live links as type=OS.unix=slink, without
	// a target, and leaves dangling links and loops out (proftpd).
	MLSDLinksLiveOnly
)

// Busy turns logins away while MaxClients sessions are logged in.
type Busy struct {
	MaxClients int // 0: no limit
	// Reply is the whole reply to PASS then, code first, such as "530
	// Sorry, the maximum number of clients (2) from your host are already
	// connected." (proftpd) or "421 Too many users" (which also closes
	// the connection).
	Reply string
}

// Pyftpdlib is the dialect of pyftpdlib 1.5.7: MLSD follows links and
// answers 501 for a missing directory, unix facts only on request, and
// "LIST -a <path>" taken as a path.
func Pyftpdlib() Dialect {
	return Dialect{
		ListArgs:        ListDashAsPath,
		MLSDLinks:       MLSDLinksFollowed,
		FactsOnRequest:  true,
		MLSDMissingCode: 501,
	}
}

// Inetutils is the dialect of GNU inetutils ftpd 2.4: no MLSD nor MFMT,
// LIST runs ls on the words of its argument, 553 for STOR into a missing
// directory, and DELE that follows links.
func Inetutils() Dialect {
	return Dialect{
		Refuse:              []string{"MLSD", "MLST", "MFMT"},
		ListArgs:            ListWords,
		ListMissing:         ListMissingPathText,
		ListNamesOperand:    true,
		StoreMissingDirCode: 553,
		DeleFollowsLinks:    true,
	}
}

// BSDFtpd is the dialect of ftpd-ssl's in.ftpd (Linux-ftpd 0.17): as
// Inetutils, without FEAT, and with GNU ls's wording for a missing path.
func BSDFtpd() Dialect {
	d := Inetutils()
	d.Refuse = append(d.Refuse, "FEAT")
	d.ListMissing = ListMissingLsText
	return d
}
