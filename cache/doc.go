// Package cache holds what an FTP filesystem has learnt about the server's
// files, so that repeated Stat, Lstat and ReadDir calls cost no round trip.
// It is pure: it does no I/O and stores [parsers.Entry] values handed to it.
//
// # Keys
//
// Paths are server paths in the slash-separated form of package path.
// Every method cleans its path argument with path.Clean after making it
// absolute, so "a/b", "/a/b/", "/a/./b" and "/x/../a/b" all name "/a/b".
//
// # What is stored
//
// [Cache.Put] stores one path's entry, as a Stat returns it.
// [Cache.PutDir] stores a directory's whole listing, as a LIST or MLSD
// returns it. A listing answers [Cache.Dir] for the directory and
// [Cache.Get] for every name in it. If the listing of a path's parent is
// cached, Put updates that listing rather than storing a second, possibly
// disagreeing copy; PutDir in turn supersedes the entries stored for the
// directory's children.
//
// # Lookups
//
// [Cache.Get] has three outcomes ([Lookup]):
//
//   - [Hit]: the entry is cached, its own or in its parent's listing.
//   - [NotExist]: the parent's listing is cached and has no such name, so
//     the path does not exist and no round trip is needed.
//   - [Miss]: the cache does not know; ask the server.
//
// # Invalidation
//
// A filesystem that changes the server tells the cache what it changed.
// [Cache.Invalidate] forgets a path and its parent's listing (which now
// lists it wrongly); [Cache.InvalidateTree] also forgets everything below
// the path, for directory renames and recursive removal. [Cache.Clear]
// forgets everything.
//
// # Bounds and defaults
//
// A cache holds at most [DefaultMaxEntries] (5,000, as in ftputil) entries
// unless told otherwise. A stored entry takes one slot; a listing takes one
// slot plus one per child, so the bound limits the number of entries held
// however they arrived. When a store would pass the bound, whole paths
// (entry and listing together) are evicted, least recently used first; a
// Get or Dir answered from a path counts as a use of it, and a Get
// answered from a parent's listing is a use of the parent. The most recent
// path stays even when it alone passes the bound: a listing larger than
// the bound is kept, alone, rather than dropped.
//
// Entries are served for [DefaultMaxAge] (5 seconds) after they were
// stored, so that a filesystem users treat as live does not hide other
// clients' changes for long. [Cache.SetMaxAge] with 0 (or a negative
// Options.MaxAge) keeps entries until they are evicted or invalidated, as
// ftputil does. The clock is
// Options.Now, so tests can move time without sleeping.
//
// # Turning it off
//
// [Cache.Disable] works as ftputil's does: nothing is served and nothing
// new is stored, but what is stored stays for [Cache.Enable] to bring
// back. Invalidation and ages keep running while the cache is disabled, so
// nothing comes back that the filesystem's own changes or the max age have
// ruled out. [Cache.Clear] empties the cache.
//
// # Implementation
//
// Entries live in a github.com/patrickmn/go-cache store created without
// expiry and without a janitor goroutine. go-cache has no size bound and
// reads time.Now itself, so this package keeps the fetch time from its own
// clock, enforces the max age on lookup and the entry bound with its own
// LRU list, all under one mutex. A Get hit does not allocate.
//
// A Cache is safe for concurrent use.
package cache
