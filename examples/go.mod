module github.com/ftpfs/ftpfs/examples

go 1.26.0

// The examples build against the working tree, not a published version.
replace github.com/ftpfs/ftpfs => ../

require (
	github.com/ftpfs/ftpfs v0.0.0-00010101000000-000000000000
	github.com/schollz/progressbar/v3 v3.19.1
	github.com/spf13/afero v1.15.0
)

require (
	github.com/fclairamb/ftpserverlib v0.30.0 // indirect
	github.com/jlaffaye/ftp v0.2.4 // indirect
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/patrickmn/go-cache v2.1.0+incompatible // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	golang.org/x/net v0.63.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
