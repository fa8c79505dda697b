package ftpfs_test

// The survival campaign (issue "transfers that survive", items 2 and 5):
// seeded random faults on every data path (listings, Stat and Walk,
// downloads, uploads), plain through ftpfstest.Proxy and over TLS in the
// client's dialer, against the in-process server (TestSurviveCampaign)
// and the real daemons of scripts/ftpd.sh (TestSurviveCampaignDaemons).
// Every call must end within a bound, with the right result or an error;
// the server's tree is checked with a clean connection; nothing may leak.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftpfs/ftpfs"
	"github.com/ftpfs/ftpfs/ftpfstest"
	"github.com/spf13/afero"
)

// cpTiming is the timing of a campaign. A long stall outlasts the
// timeout; a lost reply comes from a control connection forgotten by the
// proxy after idle without traffic, during a data stall of lostStall.
type cpTiming struct {
	timeout, idle, lostStall time.Duration
}

// bound is the longest a call may take: its timeout, one reconnect and
// the verification of a lost reply (within the timeout too), with a
// margin for a loaded machine and a slow login.
func (c cpTiming) bound() time.Duration { return 2*c.timeout + 5*time.Second }

var (
	cpHermetic = cpTiming{timeout: time.Second, idle: 400 * time.Millisecond, lostStall: 700 * time.Millisecond}
	cpDaemons  = cpTiming{timeout: 2 * time.Second, idle: 700 * time.Millisecond, lostStall: 1400 * time.Millisecond}
)

// The fault kinds of the campaign.
const (
	cpNone         = "none"
	cpStallLong    = "stall-data-long"  // data stalls past the timeout
	cpStallShort   = "stall-data-short" // data stalls 5–40 ms
	cpDropData     = "drop-data"        // data connection closed (FIN)
	cpResetData    = "reset-data"       // data connection reset (RST)
	cpDropControl  = "drop-control"
	cpResetControl = "reset-control"
	cpDelayReply   = "delay-reply" // control stalls toward the client, up to 40 % of the timeout
	cpLostReply    = "lost-reply"  // control forgotten by a NAT during a transfer
	cpStallTLS     = "stall-data-long-tls"
	cpCutTLS       = "cut-data-tls"     // data connection closed under TLS after some bytes
	cpStallTLSUp   = "stall-writes-tls" // how the dialer stalls an upload's data
)

// The operations.
var cpOps = []string{"download", "upload", "readdir", "stat", "walk"}

// cpTrial is one call under one fault.
type cpTrial struct {
	server, op, fault string
	struck            bool // the fault struck (some do not: the call moved fewer bytes than it waited for)
	err               error
	took              time.Duration
	verdict           string // "right", "error", or a wrong outcome: "corrupt", "truncated", "partial", "hang"
	detail            string
	// Uploads, checked at the end.
	name     string
	old, new []byte
}

// cpFigures sums the trials.
type cpFigures struct {
	trials   int
	byFault  map[string]int
	struck   map[string]int
	right    map[string]int // right results, by fault kind
	verdicts map[string]int
	maxTook  map[string]time.Duration
	leaks    int
}

func (f cpFigures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trials=%d right=%d errors=%d corrupt=%d truncated=%d partial=%d hang=%d leak=%d panic=0\n",
		f.trials, f.verdicts["right"], f.verdicts["error"], f.verdicts["corrupt"], f.verdicts["truncated"], f.verdicts["partial"], f.verdicts["hang"], f.leaks)
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range f.byFault {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-20s %4d trials, %4d struck, %4d right, longest call %v\n", k, f.byFault[k], f.struck[k], f.right[k], f.maxTook[k].Round(10*time.Millisecond))
	}
	return b.String()
}

// cpBytes returns n reproducible bytes, quickly (8 at a time).
func cpBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, ^seed))
	b := make([]byte, n+8)
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], r.Uint64())
	}
	return b[:n:n]
}

func newFigures() cpFigures {
	return cpFigures{byFault: map[string]int{}, struck: map[string]int{}, right: map[string]int{}, verdicts: map[string]int{}, maxTook: map[string]time.Duration{}}
}

// cpEnvInt reads an integer from the environment.
func cpEnvInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

// TestSurviveCampaign runs the campaign against the in-process server,
// plain and TLS: 10 trials each (6 with -short), or
// FTPFS_SURVIVE_TRIALS.
func TestSurviveCampaign(t *testing.T) {
	trials := 10
	if testing.Short() {
		trials = 6
	}
	trials = cpEnvInt(t, "FTPFS_SURVIVE_TRIALS", trials)
	runCampaign(t, hermeticServers(t), cpHermetic, trials, uint64(cpEnvInt(t, "FTPFS_SURVIVE_SEED", 1)))
}

// TestSurviveCampaignDaemons runs the campaign against the real daemons
// of scripts/ftpd.sh (plain, and explicit TLS where FTPFS_TEST_CA is
// set): FTPFS_SURVIVE_TRIALS per server (default 100), seeded by
// FTPFS_SURVIVE_SEED (default 1).
func TestSurviveCampaignDaemons(t *testing.T) {
	var servers []server
	for _, s := range integrationServers(t) {
		if !strings.HasPrefix(s.url, "ftps:") { // implicit TLS: the same paths as explicit
			servers = append(servers, s)
		}
	}
	if len(servers) == 0 {
		t.Skip("no real FTP daemons: run `eval \"$(scripts/ftpd.sh start)\"` to set FTPFS_*_URL")
	}
	runCampaign(t, servers, cpDaemons, cpEnvInt(t, "FTPFS_SURVIVE_TRIALS", 100), uint64(cpEnvInt(t, "FTPFS_SURVIVE_SEED", 1)))
}

func runCampaign(t *testing.T, servers []server, tm cpTiming, trials int, seed uint64) {
	before := runtime.NumGoroutine()
	total := newFigures()
	for _, s := range servers {
		var figures cpFigures
		t.Run(s.name, func(t *testing.T) {
			figures = campaignOn(t, s, tm, trials, seed)
		})
		total.trials += figures.trials
		total.leaks += figures.leaks
		for k, v := range figures.byFault {
			total.byFault[k] += v
		}
		for k, v := range figures.struck {
			total.struck[k] += v
		}
		for k, v := range figures.right {
			total.right[k] += v
		}
		for k, v := range figures.verdicts {
			total.verdicts[k] += v
		}
		for k, v := range figures.maxTook {
			total.maxTook[k] = max(total.maxTook[k], v)
		}
	}
	if !rlEventually(func() bool { return runtime.NumGoroutine() <= before }) {
		total.leaks += runtime.NumGoroutine() - before
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left after the campaign:\n%s", runtime.NumGoroutine()-before, buf[:runtime.Stack(buf, true)])
	}
	t.Logf("survival campaign, seed %d, %d servers, all:\n%s", seed, len(servers), total)
}

// cpFiles are the files each server starts with, under dl/ (downloads)
// and ls/ (listed).
func cpFiles(seed uint64) map[string][]byte {
	files := map[string][]byte{}
	for i, size := range []int{10, 70_000, 400_000, 2 << 20} {
		files[fmt.Sprintf("dl/%d", i)] = cpBytes(seed+uint64(100+i), size)
	}
	for i := range 12 {
		files[fmt.Sprintf("ls/entry-%02d", i)] = cpBytes(seed+uint64(200+i), i*37)
	}
	return files
}

// campaignOn runs the trials on one server, in a fresh directory.
func campaignOn(t *testing.T, s server, tm cpTiming, trials int, seed uint64) cpFigures {
	clean, dirURL := cpFreshDir(t, s)
	files := cpFiles(seed)
	for _, d := range []string{"dl", "ls", "up"} {
		if err := clean.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		if err := afero.WriteFile(clean, name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tls := s.tls != nil
	r := rand.New(rand.NewPCG(seed, uint64(trials)))
	var (
		proxy   *ftpfstest.Proxy
		shared  *ftpfs.Fs
		dfault  = &cpDialFault{}
		control string
	)
	u, err := url.Parse(dirURL)
	if err != nil {
		t.Fatal(err)
	}
	control = u.Host
	if !tls {
		proxy = ftpfstest.NewProxy(u.Host)
		defer proxy.Close()
	}
	// dial makes an Fs through the proxy (plain) or the faulty dialer
	// (TLS).
	dial := func(p *ftpfstest.Proxy) (*ftpfs.Fs, error) {
		opts := []ftpfs.Option{ftpfs.WithTimeout(tm.timeout), ftpfs.WithDialTimeout(5 * time.Second), ftpfs.WithAtomicWrites(), ftpfs.WithMaxConns(2), ftpfs.WithoutPrefetch()}
		target := dirURL
		if tls {
			opts = append(opts, ftpfs.WithTLSConfig(s.tls), ftpfs.WithDialer(dfault.dialer(control)))
		} else {
			target = p.URL(dirURL)
		}
		return ftpfs.Dial(context.Background(), target, opts...)
	}
	if shared, err = dial(proxy); err != nil {
		t.Fatalf("Dial(%s) = %v", s.name, err)
	}
	defer func() { _ = shared.Close() }()

	figures := newFigures()
	var record []*cpTrial
	for i := range trials {
		tr := &cpTrial{server: s.name, op: cpOps[r.IntN(len(cpOps))]}
		tr.fault = cpPickFault(r, tls, tr.op)
		if tr.op == "upload" {
			tr.name = fmt.Sprintf("up/%d", i)
			if r.IntN(2) == 0 {
				tr.old = cpBytes(seed+uint64(1000+i), r.IntN(50_000))
				if err := afero.WriteFile(clean, tr.name, tr.old, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			size := 1 + r.IntN(400_000)
			if tr.fault == cpStallLong && r.IntN(3) == 0 {
				size = stallUploadSize // big enough to block the client's writes through the proxy
			}
			tr.new = cpBytes(seed+uint64(2000+i), size)
		}
		dl := fmt.Sprintf("dl/%d", r.IntN(4))
		// The fault strikes after a random share of the bytes the call
		// moves on its data connection (a listing: about 1 KB).
		moves := int64(1000)
		switch tr.op {
		case "download":
			moves = int64(len(files[dl]))
		case "upload":
			moves = int64(len(tr.new))
		}
		after := r.Int64N(moves)

		fsys := shared
		var lostProxy *ftpfstest.Proxy
		if tr.fault == cpLostReply {
			// A control connection forgotten while idle must be one
			// that the transfer itself leaves idle: a fresh Fs behind
			// a proxy that forgets idle control connections.
			lostProxy = ftpfstest.NewProxy(u.Host)
			lostProxy.SetIdleLimit(ftpfstest.ControlConn, tm.idle, ftpfstest.Stall)
			if fsys, err = dial(lostProxy); err != nil {
				// The login itself idled past the limit (a loaded
				// machine): an honest error, and no trial.
				lostProxy.Close()
				tr.err, tr.verdict, tr.fault = err, "error", cpLostReply+"-login"
				record = append(record, tr)
				continue
			}
		}
		fsys.Cache().Clear()
		cpArm(r, tm, tr, proxy, lostProxy, dfault, after)
		strikes := 0
		if proxy != nil {
			strikes = proxy.Stats().Strikes
		}
		start := time.Now()
		done := make(chan struct{})
		go func() {
			defer close(done)
			cpRun(tr, fsys, files, dl)
		}()
		select {
		case <-done:
		case <-time.After(tm.bound()):
			tr.verdict, tr.detail = "hang", fmt.Sprintf("still running after %v", tm.bound())
			if dump := os.Getenv("FTPFS_SURVIVE_DUMP"); dump != "" {
				buf := make([]byte, 4<<20)
				_ = os.WriteFile(dump, buf[:runtime.Stack(buf, true)], 0o644)
			}
			<-done // it must end some time: the server gives up
		}
		tr.took = time.Since(start)
		if tr.took > tm.bound() && tr.verdict != "hang" {
			tr.verdict, tr.detail = "hang", fmt.Sprintf("took %v", tr.took)
		}
		// Disarm, and release what a stall still holds.
		switch {
		case tls:
			tr.struck = dfault.reached(after)
		case lostProxy != nil:
			tr.struck = lostProxy.Stats().Strikes >= 2 // the data stall and the forgotten control connection
		default:
			tr.struck = proxy.Stats().Strikes > strikes
		}
		dfault.set(cpNone, 0)
		if proxy != nil {
			proxy.ClearFault()
			proxy.ResetAll(ftpfstest.DataConn)
		}
		if lostProxy != nil {
			_ = fsys.Close()
			lostProxy.Close()
		}
		record = append(record, tr)
	}
	_ = shared.Close()
	if proxy != nil {
		if !rlEventually(func() bool { st := proxy.Stats(); return st.OpenControl+st.OpenData == 0 }) {
			figures.leaks++
			t.Errorf("connections still open after the Fs closed: %+v", proxy.Stats())
		}
	}

	// Judge uploads on the server's final tree, through a clean
	// connection.
	for _, tr := range record {
		if tr.op == "upload" && tr.verdict == "" {
			cpCheckUpload(clean, tr)
		}
		if tr.verdict == "" {
			tr.verdict = "error"
			if tr.err == nil {
				tr.verdict = "right"
			}
		}
		figures.trials++
		figures.byFault[tr.fault]++
		if tr.struck {
			figures.struck[tr.fault]++
		}
		figures.verdicts[tr.verdict]++
		if tr.verdict == "right" {
			figures.right[tr.fault]++
		}
		figures.maxTook[tr.fault] = max(figures.maxTook[tr.fault], tr.took)
		switch tr.verdict {
		case "right", "error":
		default:
			t.Errorf("%s %s under %s: %s: %s (error: %v)", tr.server, tr.op, tr.fault, tr.verdict, tr.detail, tr.err)
		}
	}
	t.Logf("%s:\n%s", s.name, figures)
	return figures
}

// cpFreshDir makes a fresh directory on the server and returns a clean
// Fs on it (no proxy, no faults) and its URL.
func cpFreshDir(t *testing.T, s server) (*ftpfs.Fs, string) {
	t.Helper()
	var opts []ftpfs.Option
	if s.tls != nil {
		opts = append(opts, ftpfs.WithTLSConfig(s.tls))
	}
	root, err := ftpfs.Dial(context.Background(), s.url, opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", s.name, err)
	}
	defer root.Close()
	dir := fmt.Sprintf("survive%d-%d", os.Getpid(), dirCounter.Add(1))
	if err := root.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	dirURL := u.JoinPath(dir).String()
	clean, err := ftpfs.Dial(context.Background(), dirURL, append(opts, ftpfs.WithoutCache())...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = clean.Close()
		again, err := ftpfs.Dial(context.Background(), s.url, opts...)
		if err != nil {
			t.Logf("cleanup on %s: %v", s.name, err)
			return
		}
		defer again.Close()
		if err := again.RemoveAll(dir); err != nil {
			t.Logf("cleanup of %s on %s: %v", dir, s.name, err)
		}
	})
	return clean, dirURL
}

// cpPickFault picks a fault kind for op.
func cpPickFault(r *rand.Rand, tls bool, op string) string {
	if tls {
		return []string{cpNone, cpStallTLS, cpStallTLS, cpCutTLS}[r.IntN(4)]
	}
	kinds := []string{cpNone, cpStallLong, cpStallLong, cpStallShort, cpDropData, cpResetData, cpDropControl, cpResetControl, cpDelayReply}
	if op == "download" || op == "upload" {
		kinds = append(kinds, cpLostReply, cpLostReply, cpLostReply)
	}
	return kinds[r.IntN(len(kinds))]
}

// cpArm sets the trial's fault.
func cpArm(r *rand.Rand, tm cpTiming, tr *cpTrial, proxy, lostProxy *ftpfstest.Proxy, dfault *cpDialFault, after int64) {
	dataDir := ftpfstest.ToClient
	if tr.op == "upload" {
		dataDir = ftpfstest.ToServer
	}
	data := func(a ftpfstest.Action, stall time.Duration) ftpfstest.Fault {
		return ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: dataDir, After: after, Action: a, Stall: stall}
	}
	control := func(a ftpfstest.Action) ftpfstest.Fault {
		return ftpfstest.Fault{Conns: ftpfstest.ControlConn, After: r.Int64N(400), Action: a}
	}
	switch tr.fault {
	case cpStallLong:
		proxy.SetFault(data(ftpfstest.Stall, 4*tm.timeout))
	case cpStallShort:
		proxy.SetFault(data(ftpfstest.Stall, time.Duration(5+r.IntN(36))*time.Millisecond))
	case cpDropData:
		proxy.SetFault(data(ftpfstest.Drop, 0))
	case cpResetData:
		proxy.SetFault(data(ftpfstest.Reset, 0))
	case cpDropControl:
		proxy.SetFault(control(ftpfstest.Drop))
	case cpResetControl:
		proxy.SetFault(control(ftpfstest.Reset))
	case cpDelayReply:
		f := control(ftpfstest.Stall)
		f.Dir, f.Stall = ftpfstest.ToClient, time.Duration(r.Int64N(int64(tm.timeout*2/5)))
		proxy.SetFault(f)
	case cpLostReply:
		// The data stalls longer than the idle limit, within the
		// timeout, after a few bytes: the control connection is
		// forgotten meanwhile.
		f := data(ftpfstest.Stall, tm.lostStall)
		f.After = min(after, 1000)
		lostProxy.SetFault(f)
	case cpStallTLS:
		if tr.op == "upload" {
			dfault.set(cpStallTLSUp, after)
		} else {
			dfault.set(cpStallTLS, after)
		}
	case cpCutTLS:
		dfault.set(cpCutTLS, after)
	}
}

// cpRun runs the trial's call and judges what it can judge at once.
func cpRun(tr *cpTrial, fsys *ftpfs.Fs, files map[string][]byte, dl string) {
	switch tr.op {
	case "download":
		data, err := afero.ReadFile(fsys, dl)
		tr.err = err
		want := files[dl]
		switch {
		case !bytes.HasPrefix(want, data):
			tr.verdict, tr.detail = "corrupt", fmt.Sprintf("%s: %d bytes that are not the file's first", dl, len(data))
		case err == nil && len(data) != len(want):
			tr.verdict, tr.detail = "truncated", fmt.Sprintf("%s: %d of %d bytes and no error", dl, len(data), len(want))
		}
	case "upload":
		tr.err = afero.WriteFile(fsys, tr.name, tr.new, 0o644)
	case "readdir":
		infos, err := afero.ReadDir(fsys, "ls")
		tr.err = err
		if err == nil {
			cpCheckListing(tr, infos, files)
		}
	case "stat":
		name := fmt.Sprintf("ls/entry-%02d", len(tr.server)%12)
		info, err := fsys.Stat(name)
		tr.err = err
		if err == nil && info.Size() != int64(len(files[name])) {
			tr.verdict, tr.detail = "corrupt", fmt.Sprintf("Stat(%s).Size() = %d, want %d", name, info.Size(), len(files[name]))
		}
	case "walk":
		var seen []string
		tr.err = afero.Walk(fsys, "ls", func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if !info.IsDir() {
				seen = append(seen, p)
				if info.Size() != int64(len(files[p])) {
					return &rlWrong{fmt.Sprintf("%s: size %d, want %d", p, info.Size(), len(files[p]))}
				}
			}
			return nil
		})
		var wrong *rlWrong
		switch {
		case errors.As(tr.err, &wrong):
			tr.verdict, tr.detail = "corrupt", wrong.what
		case tr.err == nil && len(seen) != 12:
			tr.verdict, tr.detail = "truncated", fmt.Sprintf("walked %d of 12 files and no error", len(seen))
		}
	}
}

// cpCheckListing judges a listing of ls/.
func cpCheckListing(tr *cpTrial, infos []os.FileInfo, files map[string][]byte) {
	n := 0
	for _, info := range infos {
		want, ok := files["ls/"+info.Name()]
		switch {
		case !ok:
			tr.verdict, tr.detail = "corrupt", fmt.Sprintf("listed %q, which does not exist", info.Name())
			return
		case int64(len(want)) != info.Size():
			tr.verdict, tr.detail = "corrupt", fmt.Sprintf("%q listed with %d bytes, has %d", info.Name(), info.Size(), len(want))
			return
		}
		n++
	}
	if n != 12 {
		tr.verdict, tr.detail = "truncated", fmt.Sprintf("listed %d of 12 entries and no error", n)
	}
}

// cpCheckUpload judges an upload on the final tree: a success holds the
// new bytes; a failure left the old file, or none; no temporary file is
// left.
func cpCheckUpload(clean *ftpfs.Fs, tr *cpTrial) {
	stored, err := afero.ReadFile(clean, tr.name)
	exists := err == nil
	switch {
	case tr.err == nil && !exists:
		tr.verdict, tr.detail = "partial", fmt.Sprintf("the upload succeeded, but nothing is there (%v)", err)
	case tr.err == nil && len(stored) < len(tr.new) && bytes.HasPrefix(tr.new, stored):
		tr.verdict, tr.detail = "truncated", fmt.Sprintf("the upload succeeded, but the server holds %d of its %d bytes", len(stored), len(tr.new))
	case tr.err == nil && !bytes.Equal(stored, tr.new):
		tr.verdict, tr.detail = "corrupt", fmt.Sprintf("the upload succeeded, but the server holds %d other bytes", len(stored))
	case tr.err != nil && exists && !bytes.Equal(stored, tr.new) && (tr.old == nil || !bytes.Equal(stored, tr.old)):
		tr.verdict, tr.detail = "partial", fmt.Sprintf("a failed upload left %d bytes under the name (old %d, new %d)", len(stored), len(tr.old), len(tr.new))
	}
	if tr.verdict != "" {
		return
	}
	infos, err := afero.ReadDir(clean, path.Dir(tr.name))
	if err != nil {
		return
	}
	for _, info := range infos {
		// WithAtomicWrites names its temporary file
		// ".<name>.ftpfs-<n>.tmp". A shorter name is a STOR line that a
		// control fault cut, which some servers (ftpserverlib, proftpd)
		// carry out anyway: the client cannot know of that file.
		if strings.HasPrefix(info.Name(), "."+path.Base(tr.name)+".ftpfs-") && strings.HasSuffix(info.Name(), ".tmp") {
			tr.verdict, tr.detail = "partial", fmt.Sprintf("temporary file left: %s", info.Name())
			return
		}
	}
}

// cpDialFault is the fault of the TLS trials, in the client's dialer:
// data connections (any address but the control connection's) stall, or
// are cut, after some bytes.
type cpDialFault struct {
	mu    sync.Mutex
	kind  string
	after int64
	moved []*atomic.Int64 // the byte counts of the data connections since set
}

func (d *cpDialFault) set(kind string, after int64) {
	d.mu.Lock()
	d.kind, d.after, d.moved = kind, after, nil
	d.mu.Unlock()
}

// reached reports whether a data connection moved after bytes since set:
// the fault struck.
func (d *cpDialFault) reached(after int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.kind == cpNone || d.kind == "" {
		return false
	}
	for _, m := range d.moved {
		if m.Load() >= after {
			return true
		}
	}
	return false
}

func (d *cpDialFault) get() (string, int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.kind, d.after
}

func (d *cpDialFault) dialer(control string) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
		if err != nil || address == control {
			return conn, err
		}
		kind, after := d.get()
		moved := new(atomic.Int64)
		d.mu.Lock()
		d.moved = append(d.moved, moved)
		d.mu.Unlock()
		counting := &countingConn{Conn: conn, n: moved}
		switch kind {
		case cpStallTLS, cpStallTLSUp:
			// The direction the trial's data moves stalls. (A network
			// that stalls both ways blocks a write only once the send
			// buffer is full, which a few bytes of TLS alert never
			// fill.)
			stalled := func() bool { return moved.Load() >= after }
			return newStallingConn(counting, kind == cpStallTLS, stalled), nil
		case cpCutTLS:
			return &cuttingConn{Conn: counting, left: int(after)}, nil
		}
		return conn, nil
	}
}

// TestLostFinalReplyDaemons: against each real daemon (plain), an upload
// and a download outlast the idle limit of a proxy that silently forgets
// idle control connections, so their 226 never comes; each is verified on
// a new connection and succeeds, and the uploaded file is whole under its
// name (WithAtomicWrites renamed it after the verification).
func TestLostFinalReplyDaemons(t *testing.T) {
	var servers []server
	for _, s := range integrationServers(t) {
		if s.tls == nil {
			servers = append(servers, s)
		}
	}
	if len(servers) == 0 {
		t.Skip("no real FTP daemons: run `eval \"$(scripts/ftpd.sh start)\"` to set FTPFS_*_URL")
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			clean, dirURL := cpFreshDir(t, s)
			big := cpBytes(41, stallUploadSize) // larger than the socket buffers
			if err := afero.WriteFile(clean, "big", big, 0o644); err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(dirURL)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range []string{"upload", "download"} {
				proxy := ftpfstest.NewProxy(u.Host)
				defer proxy.Close()
				proxy.SetIdleLimit(ftpfstest.ControlConn, cpDaemons.idle, ftpfstest.Stall)
				fsys, err := ftpfs.Dial(context.Background(), proxy.URL(dirURL), ftpfs.WithTimeout(cpDaemons.timeout), ftpfs.WithAtomicWrites(), ftpfs.WithoutPrefetch())
				if err != nil {
					t.Fatal(err)
				}
				defer fsys.Close()
				if _, err := fsys.Stat("big"); err != nil {
					t.Fatal(err)
				}
				dir := ftpfstest.ToClient
				if op == "upload" {
					dir = ftpfstest.ToServer
				}
				proxy.SetFault(ftpfstest.Fault{Conns: ftpfstest.DataConn, Dir: dir, After: 100_000, Action: ftpfstest.Stall, Stall: cpDaemons.lostStall})
				var got []byte
				err = boundedCall(t, op, cpDaemons.bound(), func() (err error) {
					if op == "upload" {
						return afero.WriteFile(fsys, "up", big[:300_000], 0o644)
					}
					got, err = afero.ReadFile(fsys, "big")
					return err
				})
				if proxy.Stats().Strikes < 2 {
					t.Errorf("%s: the control connection was not forgotten during the transfer (strikes %d)", op, proxy.Stats().Strikes)
				}
				switch {
				case err != nil:
					t.Errorf("%s whose 226 was lost = %v; want success, verified", op, err)
				case op == "download" && !bytes.Equal(got, big):
					t.Errorf("download: %d bytes, not the file", len(got))
				case op == "upload":
					if stored, err := afero.ReadFile(clean, "up"); err != nil || !bytes.Equal(stored, big[:300_000]) {
						t.Errorf("upload: the server holds %d bytes (%v); want all 300000", len(stored), err)
					}
				}
			}
		})
	}
}

// cuttingConn ends a connection (as a network fault would) after left
// bytes have been read from it: below TLS, where the proxy cannot reach.
type cuttingConn struct {
	net.Conn
	left int
}

func (c *cuttingConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		_ = c.Conn.Close()
		return 0, net.ErrClosed
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Read(p)
	c.left -= n
	return n, err
}
