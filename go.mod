module github.com/ftpfs/ftpfs

go 1.26
