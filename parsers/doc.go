// Package parsers turns the lines of FTP directory listings into Entry
// values: Unix "ls -l" listings as LIST returns them (also z/OS HFS/USS),
// MS-DOS/IIS listings, RFC 3659 MLSD/MLST fact lines, and the listings of
// OpenVMS (VMS), z/OS data sets and PDS members (MVS, MVSMember), IBM i
// (OS400), OS/2 (OS2), NetWare, HPE NonStop (NonStop), "Enterprise Unix"
// mainframe servers (EnterpriseUnix) and EPLF. Auto (NewAuto) detects the
// format from the lines; NewAutoForSystem lets a SYST reply choose the
// order in which formats are tried.
//
// The package is pure: it does no I/O and knows nothing of connections or
// filesystems. A Parser parses one line at a time; ParseListing parses a
// whole listing and never drops a line silently: a line no parser
// understands comes back as a *ParseError that quotes it.
//
// # Times
//
// Unix and MS-DOS listings give the server's local wall-clock time. A Clock
// carries the instant the listing was received and the server's time shift
// (server local time minus UTC); the parsers turn listed times into UTC
// instants with it. MLSD times are UTC by definition and ignore the shift.
//
// A Unix time without a year ("Nov 23 02:33") is printed by ls only for
// dates within about six months of the server's "now". The parser picks,
// among last year, this year and next year (only years in which the date
// exists, for Feb 29), the year that puts the date nearest to the server's
// current wall-clock time (Clock.Now plus Clock.Shift). So "Dec 31 23:59"
// read on Jan 1 is last year, and a file a few minutes in the future
// through clock skew stays in this year.
//
// Every entry says how precise its time is (Entry.Precision): a second or
// finer for MLSD, a minute for "Nov 23 02:33" and "10-23-01 03:25PM", a
// day for "May 26  2005".
//
// # Unknown fields
//
// A listing gives what its format has: no owner in MS-DOS, no permission
// bits in VMS without a protection column, no byte size in a PDS member's
// ISPF statistics. Such fields stay at their zero value, and where zero
// could be a listed value (a size, permission bits) Entry.Unknown says
// that it was not listed.
//
// # Entries over several lines
//
// VMS prints a long name on a line of its own and the rest of its entry
// on the next. A parser whose entries may span lines implements
// MultiLineParser, and ParseListing joins the lines before parsing.
//
// # Custom parsers
//
// A server with a listing format of its own gets a parser of its own: any
// type with a Parse method, or a function wrapped in ParserFunc. The
// helpers ParseUnixMode, ParseUnixTime and ParseMSTime do the fiddly parts.
package parsers
