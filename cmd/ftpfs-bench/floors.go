package main

import (
	"errors"
	"fmt"

	"net"
	"os"
	"path/filepath"
)

// floorBuffer is the buffer of the floors' plain read/write loops.
const floorBuffer = 128 << 10

// loopbackCopy is the download floor: the file src, read from disk by a
// sender and written into a TCP connection on loopback, read by a receiver
// and written to dst, both plain read/write loops in this process (no
// sendfile or splice): what a download costs without FTP.
func loopbackCopy(src, dst string, size int64) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	sent := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			sent <- err
			return
		}
		defer c.Close()
		f, err := os.Open(src)
		if err != nil {
			sent <- err
			return
		}
		defer f.Close()
		_, err = plainCopy(c, f, make([]byte, floorBuffer))
		sent <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	n, err := plainCopy(out, c, make([]byte, floorBuffer))
	err = errors.Join(err, out.Close(), <-sent)
	if err == nil && n != size {
		err = fmt.Errorf("loopback floor: %d bytes, want %d", n, size)
	}
	return err
}

// copyTree is the small-file write floor: every file under src copied to
// the same place under dst (directories made as needed), one after
// another, with plain read/write loops.
func copyTree(dst, src string) error {
	buf := make([]byte, floorBuffer)
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p) // p is under src
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		_, err = copyFile(target, p, buf)
		return err
	})
}
