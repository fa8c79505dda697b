package ftpfs_test

import (
	"testing"
	"testing/fstest"

	"github.com/spf13/afero"
)

var testTree = map[string]string{
	"hello.txt":               "hello, world\n",
	"empty":                   "",
	"dir/nested/deep.txt":     "deep",
	"dir/a b c.txt":           "spaces",
	"dir/ leading":            "lead",
	"dir/trailing ":           "trail",
	"unicode/日本語.txt":         "ニホンゴ",
	"unicode/émoji 🎉":         "party",
	"emptydir/":               "",
	"dir/nested/another/x.md": "# x",
}

func TestIOFS(t *testing.T) {
	backing := afero.NewMemMapFs()
	writeFiles(t, backing, testTree)
	fsys, _ := serve(t, backing, nil)
	var expected []string
	for name := range testTree {
		if name[len(name)-1] != '/' {
			expected = append(expected, name)
		}
	}
	if err := fstest.TestFS(fsys.IOFS(), expected...); err != nil {
		t.Fatal(err)
	}
}
