module github.com/ftpfs/ftpfs

go 1.26.0

require (
	github.com/fclairamb/ftpserverlib v0.30.0
	github.com/jlaffaye/ftp v0.2.4
	github.com/patrickmn/go-cache v2.1.0+incompatible
	github.com/schollz/progressbar/v3 v3.19.1
	github.com/spf13/afero v1.15.0
	golang.org/x/net v0.63.0
	golang.org/x/text v0.44.0
)

require (
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
)
