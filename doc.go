// Package ftpfs makes an FTP or FTPS server look like a local
// filesystem: an [Fs] is a complete [afero.Fs], and [Fs.IOFS] gives the
// same server as an [io/fs.FS] (with StatFS, ReadDirFS, ReadFileFS,
// SubFS and ReadLinkFS), so fs.WalkDir, http.FS and fstest.TestFS work on
// it.
//
//	fsys, err := ftpfs.Dial(ctx, "ftpes://user:pass@ftp.example.com/pub")
//	if err != nil {
//		return err
//	}
//	defer fsys.Close()
//	data, err := afero.ReadFile(fsys, "docs/readme.txt")
//	err = fs.WalkDir(fsys.IOFS(), ".", walkFn)
//
// # What an Fs is
//
// An Fs is one server, one login and one base directory (the URL's
// path). Names are slash-separated and relative to the base; ".." never
// climbs above it. An Fs is safe for concurrent use: it keeps a bounded
// pool of connections ([WithMaxConns], default 4), since FTP runs one
// command at a time per connection. A call borrows a connection for its
// commands; an open file holds one for the life of its transfer. A call
// that finds every connection held by files left open waits at most the
// timeout ([WithTimeout]) and fails with an [ExhaustedError].
// [Fs.WithContext] binds calls and transfers to a context.
//
// # What each call costs
//
// A directory listing (MLSD where the server has it, else LIST) fills a
// cache of listings, and the file information of every entry in it comes
// from there, so:
//
//   - Stat, Lstat, Exists: nothing when the parent directory's listing is
//     cached (5 s by default), else one listing of the parent.
//   - ReadDir: one listing (it also queues its subdirectories for a
//     background listing, in the order fs.WalkDir visits them; see
//     [WithoutPrefetch]). fs.WalkDir costs one listing per directory;
//     [Fs.WalkDir] lists them in parallel.
//   - Open for reading: nothing when the cache knows the name, else one
//     command about that name alone, never a listing of a big directory:
//     MLST on servers that list with MLSD, else SIZE (then the first
//     File.Stat lists the parent, for the mode and time). A refusal, a
//     link, or a directory without MLST costs the parent's listing, as
//     Stat, and so does the fourth open in one directory within the
//     cache's max age (the listing then answers the siblings). No transfer: the first Read starts one (REST and RETR). Seek
//     is free; Seek to the end uses the known size. ReadAt runs its own
//     transfer; reads under 64 KiB go through a cache of four 64 KiB
//     blocks per open file, so small reads near each other cost one
//     transfer per block, not one each.
//   - Create, OpenFile for writing: one STOR (or APPE) started at open,
//     so the file exists once Create returns and a refusal fails the open;
//     Close adds one SIZE to check the upload ([Fs.OpenFileUnchecked]
//     skips it). [WithAtomicWrites] adds RNFR/RNTO.
//   - Read-write files (os.O_RDWR, afero.TempFile): a download into a
//     local spool file at open (unless new or truncated), an atomic upload
//     at Sync and Close when changed.
//   - Mkdir: MKD. MkdirAll: a lookup per level, MKD for each missing
//     one. Remove: DELE or RMD. Rename: RNFR and
//     RNTO. Chmod: SITE CHMOD. Chtimes: MFMT (or MDTM with a time). Each
//     on a pooled connection, one round trip (two for Rename).
//   - Command: one raw command on a pooled connection.
//   - A refusal whose meaning depends on the server (450, 550, and 501 or
//     553 from some servers) costs one listing of the parent, to tell a
//     missing name from a refused one.
//
// What a server can do is learned once per Fs (FEAT at the first login,
// and the first refusal of an option or command, remembered with the
// fallback that worked), never from its name.
//
// # Errors
//
// Every method returns an *fs.PathError (an *os.LinkError for Rename)
// whose Err matches, with errors.Is, fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission, fs.ErrInvalid or errors.ErrUnsupported wherever os
// would, and wraps the server's refusal as a [ReplyError] (errors.As). A
// transfer that ends short, or whose data connection stalls for the
// timeout ([StalledError]), is an error, never a short success. Dial
// fails with [ErrLogin] for a refused login and [ErrTLS] when TLS cannot
// be set up. Passwords appear in no error, log or String.
//
// # Limits
//
// FTP cannot make symbolic links or change owners (errors.ErrUnsupported),
// set permissions at create (use Chmod), or show another client an upload
// before it ends. Times from LIST are minutes or days and server-local
// ([WithTimeShift]); MLSD gives seconds in UTC; [FileInfo] says which.
// The README lists what each server does differently.
package ftpfs
