package ftpfs_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// The tests of File.ReadFrom and File.WriteTo: io.Copy's fast paths
// between a local file (or any reader or writer) and the server.

// onlyReader hides a reader's WriteTo and any file descriptor, so that
// io.Copy takes the generic path.
type onlyReader struct{ io.Reader }

// localFile writes data to a file in a temporary directory and opens it.
func localFile(t *testing.T, data []byte) *os.File {
	t.Helper()
	name := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// TestReadFromUploads: io.Copy into a file opened for writing sends the
// source in one transfer, from an *os.File (which has a WriteTo of its own)
// and from a plain reader, over plain FTP and TLS, and the upload is
// checked with SIZE unless opened with OpenFileUnchecked.
func TestReadFromUploads(t *testing.T) {
	content := rlBytes(7, 3<<20+17)
	security := []struct {
		name string
		opt  []ftpfstest.Option
	}{{"plain", nil}, {"explicit-tls", []ftpfstest.Option{ftpfstest.WithExplicitTLS()}}}
	for _, sec := range security {
		for _, source := range []string{"os.File", "reader", "empty"} {
			for _, checked := range []bool{true, false} {
				name := sec.name + "/" + source
				if !checked {
					name += "/unchecked"
				}
				t.Run(name, func(t *testing.T) {
					backing := afero.NewMemMapFs()
					srv := ftpfstest.NewServer(backing, sec.opt...)
					t.Cleanup(srv.Close)
					var opts []ftpfs.Option
					if sec.opt != nil {
						opts = append(opts, ftpfs.WithTLSConfig(srv.ClientTLSConfig()))
					}
					fsys, err := ftpfs.Dial(t.Context(), srv.URL(), opts...)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { _ = fsys.Close() })
					want := content
					var src io.Reader
					switch source {
					case "os.File":
						src = localFile(t, content)
					case "reader":
						src = onlyReader{bytes.NewReader(content)}
					case "empty":
						want, src = nil, localFile(t, nil)
					}
					open := fsys.OpenFile
					if !checked {
						open = fsys.OpenFileUnchecked
					}
					srv.ResetCommands()
					dst, err := open("up.bin", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
					if err != nil {
						t.Fatal(err)
					}
					n, err := io.Copy(dst, src)
					if err != nil || n != int64(len(want)) {
						t.Fatalf("io.Copy = %d, %v; want %d, nil", n, err, len(want))
					}
					if info, err := dst.Stat(); err != nil || info.Size() != n {
						t.Errorf("Stat of the open file = %v, %v; want size %d", info, err, n)
					}
					if err := dst.Close(); err != nil {
						t.Fatalf("Close = %v", err)
					}
					got, err := afero.ReadFile(backing, "/up.bin")
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("the server holds %d bytes (%v), want the %d sent", len(got), err, len(want))
					}
					cmds := srv.Commands()
					wantSize := 0
					if checked {
						wantSize = 1
					}
					if cmds["STOR"] != 1 || cmds["APPE"] != 0 || cmds["SIZE"] != wantSize {
						t.Errorf("commands %v; want one STOR, no APPE, %d SIZE", cmds, wantSize)
					}
				})
			}
		}
	}
}

// TestReadFromAndWriteMix: Write and ReadFrom may follow each other on
// one file. ReadFrom after Write joins the running transfer; Write after
// a ReadFrom's transfer has ended continues it with APPE. Either way the
// server holds every byte in order, and the size check covers them all.
func TestReadFromAndWriteMix(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []string // "write" or "readfrom", each sending the next piece
	}{
		{"write-then-readfrom", []string{"write", "readfrom"}},
		{"readfrom-then-write", []string{"readfrom", "write"}},
		{"readfrom-twice", []string{"readfrom", "readfrom"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			backing := afero.NewMemMapFs()
			fsys, srv := serve(t, backing, nil)
			dst, err := fsys.Create("mix.bin")
			if err != nil {
				t.Fatal(err)
			}
			var want []byte
			for i, step := range tc.steps {
				piece := rlBytes(uint64(10+i), 100_000+i)
				want = append(want, piece...)
				var err error
				if step == "write" {
					_, err = dst.Write(piece)
				} else {
					_, err = dst.(io.ReaderFrom).ReadFrom(localFile(t, piece))
				}
				if err != nil {
					t.Fatalf("step %d (%s) = %v", i, step, err)
				}
			}
			if err := dst.Close(); err != nil {
				t.Fatalf("Close = %v", err)
			}
			got, _ := afero.ReadFile(backing, "/mix.bin") // compared below
			if !bytes.Equal(got, want) {
				t.Errorf("the server holds %d bytes, want the %d sent, in order", len(got), len(want))
			}
			cmds := srv.Commands()
			if cmds["STOR"] != 1 || cmds["APPE"] != 0 || cmds["SIZE"] != 1 {
				t.Errorf("commands %v; want one transfer (1 STOR, no APPE) and 1 SIZE", cmds)
			}
		})
	}
}

// TestReadFromCutShort: an upload by io.Copy from a local file whose data
// connection the proxy closes politely halfway fails at Close (the size
// check), as one by Write does, and the Fs goes on working.
func TestReadFromCutShort(t *testing.T) {
	content := rlBytes(8, 1<<20)
	e := rlSetup(t, rlTree, nil)
	e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 5000, Action: ftpfstest.Drop})
	dst, err := e.fsys.Create("up")
	if err != nil {
		t.Fatal(err)
	}
	_, copyErr := io.Copy(dst, localFile(t, content))
	closeErr := dst.Close()
	stored, _ := afero.ReadFile(e.backing, "/up") // compared below
	if copyErr == nil && closeErr == nil && !bytes.Equal(stored, content) {
		t.Errorf("io.Copy and Close of an upload cut after 5000 bytes = nil, nil; the server holds %d of %d bytes", len(stored), len(content))
	}
	e.proxy.ClearFault()

	if err := rlUpload(e.fsys, "after", content[:1000]); err != nil {
		t.Errorf("an upload after the fault = %v", err)
	}
}

// TestCreateRefused: an upload the server refuses fails Create itself,
// as os.Create does, with the server's reply (a missing directory:
// fs.ErrNotExist); a Create that succeeds leaves the file on the server
// before anything is written, as os.Create does.
func suiteCreateRefused(t *testing.T, s server) {
	fsys, disk := s.freshDir(t)
	put(t, fsys, map[string]string{"dir/": ""})
	dst, err := fsys.Create("nodir/up")
	var reply *ftpfs.ReplyError
	if dst != nil || !errors.As(err, &reply) || reply.Code/100 != 5 || reply.Command != "STOR" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Create in a missing directory = %v, %v; want a 5xx *ftpfs.ReplyError for STOR matching fs.ErrNotExist", dst, err)
	}
	f, err := fsys.Create("dir/new")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if disk != "" {
		if _, err := os.Stat(filepath.Join(disk, "dir", "new")); err != nil {
			t.Errorf("the file on the server's disk after Create, before any Write: %v", err)
		}
	} else if _, err := s.redial(t, fsys).Stat("dir/new"); err != nil {
		t.Errorf("the file on the server after Create, before any Write: %v", err)
	}
}

// failingWriter takes limit bytes, then fails.
type failingWriter struct{ limit int }

var errSinkFull = errors.New("sink full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errSinkFull
	}
	w.limit -= len(p)
	return len(p), nil
}

// TestWriteToDownloads: io.Copy from a file open for reading goes through
// WriteTo: the bytes are exact, from an offset after Seek too; a transfer
// reset midway is resumed; a transfer that ends short of the listed size
// is an error; the writer's own error comes back as it is and the Fs goes
// on working.
func TestWriteToDownloads(t *testing.T) {
	content := rlBytes(9, 2<<20+5)
	files := map[string][]byte{"/big": content}

	t.Run("whole-and-after-seek", func(t *testing.T) {
		e := rlSetup(t, files, nil)
		for _, off := range []int64{0, 1 << 20} {
			src, err := e.fsys.Open("big")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := src.Seek(off, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			var sink bytes.Buffer
			n, err := io.Copy(&sink, src)
			if err != nil || !bytes.Equal(sink.Bytes(), content[off:]) {
				t.Errorf("io.Copy from offset %d = %d, %v; want the %d bytes from there", off, n, err, len(content)-int(off))
			}
			if err := src.Close(); err != nil {
				t.Error(err)
			}
		}
	})

	t.Run("resumed", func(t *testing.T) {
		e := rlSetup(t, files, nil)
		e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToClient, Command: "RETR", After: 300_000, Action: ftpfstest.Reset})
		src, err := e.fsys.Open("big")
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		var sink bytes.Buffer
		if _, err := io.Copy(&sink, src); err != nil || !bytes.Equal(sink.Bytes(), content) {
			t.Errorf("io.Copy of a transfer reset after 300 KB = %d bytes, %v; want all %d", sink.Len(), err, len(content))
		}
		if n := e.srv.Commands()["REST"]; n < 1 {
			t.Errorf("REST sent %d times, want the transfer resumed", n)
		}
	})

	t.Run("short", func(t *testing.T) {
		backing := afero.NewMemMapFs()
		writeFiles(t, backing, map[string]string{"short.bin": strings.Repeat("s", 5000)})
		fsys, _ := serve(t, lyingFs{backing}, nil)
		src, err := fsys.Open("short.bin")
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		if n, err := io.Copy(io.Discard, src); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("io.Copy of a file shorter than listed = %d, %v; want io.ErrUnexpectedEOF", n, err)
		}
	})

	t.Run("writer-fails", func(t *testing.T) {
		e := rlSetup(t, files, nil)
		src, err := e.fsys.Open("big")
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(&failingWriter{limit: 100_000}, src)
		if !errors.Is(err, errSinkFull) || n != 100_000 {
			t.Errorf("io.Copy into a writer that fails after 100,000 bytes = %d, %v; want 100000, %v", n, err, errSinkFull)
		}
		if err := src.Close(); err != nil {
			t.Errorf("Close after the writer failed = %v", err)
		}
		if data, err := afero.ReadFile(e.fsys, "big"); err != nil || !bytes.Equal(data, content) {
			t.Errorf("ReadFile afterwards = %d bytes, %v", len(data), err)
		}
	})

	t.Run("closed-and-wrong-kind", func(t *testing.T) {
		e := rlSetup(t, files, nil)
		src, err := e.fsys.Open("big")
		if err != nil {
			t.Fatal(err)
		}
		_ = src.Close() // closed on purpose
		if _, err := io.Copy(io.Discard, src); !errors.Is(err, os.ErrClosed) {
			t.Errorf("io.Copy from a closed file = %v, want fs.ErrClosed", err)
		}
		dst, err := e.fsys.Create("w")
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		if _, err := dst.(io.WriterTo).WriteTo(io.Discard); err == nil {
			t.Errorf("WriteTo of a file open for writing = nil error")
		}
		if _, err := src.(io.ReaderFrom).ReadFrom(strings.NewReader("x")); err == nil {
			t.Errorf("ReadFrom into a file open for reading = nil error")
		}
	})
}

// TestUploadStallTimesOut: an upload whose data connection stops taking
// bytes fails with a timeout (WithTimeout) instead of hanging, whether it
// is fed by Write or by io.Copy from a file.
func TestUploadStallTimesOut(t *testing.T) {
	content := rlBytes(11, 16<<20) // more than the sockets between client and proxy buffer
	for _, via := range []string{"Write", "io.Copy"} {
		t.Run(via, func(t *testing.T) {
			e := rlSetup(t, rlTree, nil, ftpfs.WithTimeout(300*time.Millisecond))
			e.proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: ftpfstest.ToServer, Command: "STOR", After: 1 << 20, Action: ftpfstest.Stall, Stall: 5 * time.Second, Times: 1000})
			var err error
			if via == "Write" {
				err = rlUpload(e.fsys, "up", content)
			} else {
				var dst afero.File
				if dst, err = e.fsys.Create("up"); err != nil {
					t.Fatal(err)
				}
				_, copyErr := io.Copy(dst, localFile(t, content))
				err = errors.Join(copyErr, dst.Close())
			}
			if !rlIsTimeout(err) {
				t.Errorf("an upload whose data connection stalls = %v; want a timeout error", err)
			}
		})
	}
}

// TestUploadRetries425: a STOR the server refuses with 425 (its passive
// ports ran out) has sent nothing, so it is tried again and the upload
// succeeds; a server that keeps refusing gets a bounded number of tries
// and the upload fails with the 425.
func TestUploadRetries425(t *testing.T) {
	content := rlBytes(12, 200_000)
	for _, tc := range []struct {
		name     string
		refusals int
		wantErr  bool
	}{{"once", 1, false}, {"always", 1000, true}} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			stors := 0
			var stored []byte
			f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
				mu.Lock()
				defer mu.Unlock()
				switch verb {
				case "STOR":
					stors++
					if stors <= tc.refusals {
						return true, s.send("425 Unable to build data connection: Address already in use\r\n")
					}
					if err := s.send("150 Send it\r\n"); err != nil {
						return true, err
					}
					dc, err := s.data.Accept()
					if err != nil {
						return true, err
					}
					stored, err = io.ReadAll(dc)
					_ = dc.Close() // read to its end
					if err != nil {
						return true, err
					}
					return true, s.send("226 Stored\r\n")
				case "SIZE":
					return true, s.send(fmt.Sprintf("213 %d\r\n", len(stored)))
				}
				return false, nil
			})
			fsys, err := ftpfs.Dial(t.Context(), f.URL(), ftpfs.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			dst, err := fsys.Create("up")
			if err == nil { // else the refusal came at open
				_, copyErr := io.Copy(dst, bytes.NewReader(content))
				err = errors.Join(copyErr, dst.Close())
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case tc.wantErr && !strings.Contains(fmt.Sprint(err), "425"):
				t.Errorf("upload to a server that always answers 425 = %v; want the 425", err)
			case tc.wantErr && stors > 10:
				t.Errorf("STOR sent %d times to a server that always answers 425, want a small bound", stors)
			case !tc.wantErr && (err != nil || !bytes.Equal(stored, content)):
				t.Errorf("upload after one 425 = %v, the server holds %d of %d bytes", err, len(stored), len(content))
			}
		})
	}
}

// TestDownloadAndListingRetry425: a listing and a download refused once
// with 425 are tried again, as uploads are, and succeed.
func TestDownloadAndListingRetry425(t *testing.T) {
	var mu sync.Mutex
	refused := map[string]bool{}
	f := rlFakeServer(t, rlListing, func(s *rlFakeSession, verb, _ string) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		if (verb == "MLSD" || verb == "RETR") && !refused[verb] {
			refused[verb] = true
			return true, s.send("425 Unable to build data connection: Address already in use\r\n")
		}
		if verb == "RETR" {
			return true, s.transfer([]byte("abc"))
		}
		return false, nil
	})
	fsys, err := ftpfs.Dial(t.Context(), f.URL(), ftpfs.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	infos, err := afero.ReadDir(fsys, "/")
	if err != nil || len(infos) != 1 || infos[0].Name() != "a.txt" {
		t.Errorf("ReadDir after a 425 = %v, %v; want [a.txt]", rlNames(infos), err)
	}
	data, err := afero.ReadFile(fsys, "a.txt")
	if err != nil || string(data) != "abc" {
		t.Errorf("ReadFile after a 425 = %q, %v; want \"abc\"", data, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !refused["MLSD"] || !refused["RETR"] {
		t.Errorf("the server refused %v, want both MLSD and RETR once", refused)
	}
}
