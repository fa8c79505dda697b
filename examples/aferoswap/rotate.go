package main

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/spf13/afero"
)

// This file knows nothing of FTP: it is written against afero.Fs, tested
// with afero.NewMemMapFs() (rotate_test.go), and run against an FTP server
// by main.go, which hands it an *ftpfs.Fs instead.

// Plan returns the names (joined to dir) of the log files Rotate would
// remove: every regular file in dir whose name ends in ".log", except the
// keep newest. Newest means the latest modification time; files with the
// same time (FTP listings may give them to the minute only) are ordered
// by name, so "app-2025-01-31.log" counts as newer than
// "app-2025-01-30.log". Subdirectories and other files are left alone.
//
// Errors are those of fsys: reading a missing dir fails with an error
// matching fs.ErrNotExist.
func Plan(fsys afero.Fs, dir string, keep int) ([]string, error) {
	if keep < 0 {
		return nil, fmt.Errorf("rotate: keep %d: must not be negative", keep)
	}
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var logs []fs.FileInfo
	for _, info := range infos {
		if info.Mode().IsRegular() && strings.HasSuffix(info.Name(), ".log") {
			logs = append(logs, info)
		}
	}
	// Newest first.
	slices.SortFunc(logs, func(a, b fs.FileInfo) int {
		return cmp.Or(b.ModTime().Compare(a.ModTime()), strings.Compare(b.Name(), a.Name()))
	})
	var old []string
	for _, info := range logs[min(keep, len(logs)):] {
		old = append(old, path.Join(dir, info.Name()))
	}
	return old, nil
}

// Rotate keeps the keep newest log files in dir (see Plan) and removes the
// others. It returns the names it removed. It goes on after a file it
// cannot remove and returns all the errors, joined.
func Rotate(fsys afero.Fs, dir string, keep int) ([]string, error) {
	old, err := Plan(fsys, dir, keep)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, name := range old {
		if err := fsys.Remove(name); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	return removed, errors.Join(errs...)
}
