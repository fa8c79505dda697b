module github.com/ftpfs/ftpfs

go 1.26.0

require (
	github.com/fclairamb/ftpserverlib v0.30.0
	github.com/jlaffaye/ftp v0.2.4
	github.com/patrickmn/go-cache v2.1.0+incompatible
	github.com/spf13/afero v1.15.0
	golang.org/x/net v0.63.0
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.50.0 // indirect
