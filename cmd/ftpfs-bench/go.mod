module github.com/ftpfs/ftpfs/cmd/ftpfs-bench

go 1.26.0

// The benchmark builds against the working tree, not a published version.
replace github.com/ftpfs/ftpfs => ../../

require (
	github.com/ftpfs/ftpfs v0.0.0-00010101000000-000000000000
	github.com/spf13/afero v1.15.0
)

require (
	github.com/jlaffaye/ftp v0.2.4 // indirect
	github.com/patrickmn/go-cache v2.1.0+incompatible // indirect
	golang.org/x/net v0.63.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
