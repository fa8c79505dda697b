// Package ftpfstest runs a real FTP server inside a test, in the manner of
// net/http/httptest: [NewServer] serves any afero.Fs on 127.0.0.1 over the
// real protocol, and [Server.Close] takes it down again.
//
//	srv := ftpfstest.NewServer(afero.NewMemMapFs())
//	t.Cleanup(srv.Close)
//	// dial srv.Addr() and log in as srv.User() with srv.Password(),
//	// or hand srv.URL() to code that takes an FTP URL
//
// The server is github.com/fclairamb/ftpserverlib (v0.30.0), with the
// afero.Fs as its file system. Options add explicit TLS (AUTH TLS, URL
// scheme "ftpes") or implicit TLS ("ftps") with a throwaway self-signed
// certificate that [Server.ClientTLSConfig] trusts; anonymous logins; an
// idle timeout; a limit on clients; and servers without MLSD, MFMT or SITE,
// to test the fallbacks a client needs for older servers.
//
// [Server.Commands] counts the commands the server receives, by verb, so a
// test can check how many round trips an operation costs, and
// [WithCommandHook] shows each one as it arrives.
//
// # What the server does
//
// Listings: LIST sends "ls -l" style lines in directory order, with the
// mode as Go's fs.FileMode.String ("Lrwxrwxrwx" for a link, "dtrwxrwxrwx"
// for a sticky directory), owner and group "ftp", the year instead of the
// time for files more than 180 days older than the connection, and no
// "total" line; symbolic links of an OS-backed file system show as
// themselves, without their target. MLSD sends only Type ("dir" or
// "file", also for links), Size and Modify (UTC, whole seconds); MLST
// follows links. LIST accepts -a, -l, -la and -al and ignores them.
// parsers/testdata/listings/ftpserverlib.md has captured examples.
//
// Transfers run in passive mode (PASV, EPSV) or active mode; REST before
// RETR or STOR resumes at an offset in binary mode only, and APPE appends.
// The default transfer type is ASCII, as RFC 959 says: a client that wants
// the bytes as stored sends TYPE I. SIZE is refused in ASCII mode.
//
// SITE CHMOD and MFMT change the backing file system through Chmod and
// Chtimes. Most failures of the backing file system are answered with 550,
// whatever their cause; a failed LIST is answered with 450, a failed MLSD
// with 550.
//
// Passive data connections are accepted on all interfaces, on a port the
// system picks, but announced as 127.0.0.1.
package ftpfstest
