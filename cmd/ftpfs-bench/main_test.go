package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary act as the launcher, as the program does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == spawnCommand {
		os.Exit(spawnMain(os.Args[2:]))
	}
	os.Exit(m.Run())
}

func TestMedian(t *testing.T) {
	s := time.Second
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3 * s}, 3 * s},
		{[]time.Duration{3 * s, 1 * s, 2 * s}, 2 * s},
		{[]time.Duration{4 * s, 1 * s, 2 * s, 3 * s}, 2500 * time.Millisecond},
	} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1GiB": 1 << 30, "256MiB": 256 << 20, "64K": 64 << 10, "1000": 1000, " 2 G ": 2 << 30, "7B": 7} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1", "1.5GiB", "GiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) succeeded", bad)
		}
	}
}

func TestParseSettle(t *testing.T) {
	got, err := parseSettle("proftpd=1.1s, vsftpd=0s")
	if err != nil || got["proftpd"] != 1100*time.Millisecond || got["vsftpd"] != 0 || len(got) != 2 {
		t.Fatalf("parseSettle = %v, %v", got, err)
	}
	if _, err := parseSettle("proftpd"); err == nil {
		t.Error("parseSettle without duration succeeded")
	}
}

func TestParseFlags(t *testing.T) {
	fl := flag.NewFlagSet("t", flag.ContinueOnError)
	fl.SetOutput(new(bytes.Buffer))
	root := t.TempDir()
	c, err := parseFlags(fl, []string{"-rounds", "5", "-big-size", "64MiB", "-workloads", "walk,resync",
		"-server", "x=ftp://u:p@127.0.0.1:2121/,root=" + root, "-count", "all"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Rounds != 5 || c.BigSize != 64<<20 || strings.Join(c.Workloads, ",") != "walk,resync" || !c.CountPeers {
		t.Errorf("config = %+v", c)
	}
	if len(c.Servers) != 1 || c.Servers[0].port != "2121" || c.Servers[0].pass != "p" || c.Servers[0].Root != root || c.Servers[0].PIDFile != "" {
		t.Errorf("servers = %+v", c.Servers)
	}
	s, err := parseServerFlag("x=ftp://u:p@127.0.0.1:2121/,root=" + root + ",pidfile=/run/x.pid")
	if err != nil || s.Root != root || s.PIDFile != "/run/x.pid" || s.port != "2121" {
		t.Errorf("with pidfile: %+v, %v", s, err)
	}
	for _, bad := range [][]string{{"-workloads", "nope"}, {"-count", "some"}, {"-rounds", "0"}, {"-server", "x=ftp://h/"}, {"-server", "x=ftps://h/,root=" + root}} {
		fl := flag.NewFlagSet("t", flag.ContinueOnError)
		fl.SetOutput(new(bytes.Buffer))
		if _, err := parseFlags(fl, bad); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
}

func TestServersFromEnv(t *testing.T) {
	root := t.TempDir()
	env := map[string]string{
		"FTPFS_PROFTPD_URL": "ftp://a:b@127.0.0.1:2123/", "FTPFS_PROFTPD_ROOT": root,
		"FTPFS_VSFTPD_URL": "ftp://a:b@127.0.0.1:2121/", "FTPFS_VSFTPD_ROOT": root, "FTPFS_VSFTPD_PIDFILE": "/run/v.pid",
	}
	got, err := serversFromEnv(func(k string) string { return env[k] }, nil)
	if err != nil || len(got) != 2 || got[0].Name != "vsftpd" || got[1].Name != "proftpd" || got[0].PIDFile != "/run/v.pid" || got[1].PIDFile != "" {
		t.Fatalf("serversFromEnv = %+v, %v", got, err)
	}
	got, _ = serversFromEnv(func(k string) string { return env[k] }, []string{"proftpd"})
	if len(got) != 1 || got[0].addr() != "127.0.0.1:2123" {
		t.Errorf("only proftpd: %+v", got)
	}
}

func TestCommandVerbAndReplies(t *testing.T) {
	for in, want := range map[string]string{"STOR a b\r\n": "STOR", "epsv\r\n": "EPSV", "\xff\xf4\xff\xf2ABOR\r\n": "ABOR", "NOOP": "NOOP"} {
		if got := commandVerb(in); got != want {
			t.Errorf("commandVerb(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"150 Opening\r\n": true, "125 Data\r\n": true, "150-multi\r\n": false, "226 Done\r\n": false, "15": false, "1500 x": false} {
		if got := opensData(in); got != want {
			t.Errorf("opensData(%q) = %v", in, got)
		}
	}
}

func TestCommandCounts(t *testing.T) {
	c := &commandCounts{
		Verbs:      map[string]int{"USER": 1, "PASS": 1, "EPSV": 12, "PRET": 12, "STOR": 10, "SIZE": 10, "MLSD": 2, "MKD": 1, "CWD": 3},
		Conns:      2,
		DataOpened: 12,
	}
	if got := c.PerFile(10); got != 2 {
		t.Errorf("PerFile = %v, want 2 (STOR + SIZE)", got)
	}
	if got := c.DataPerFile(10); got != 1 {
		t.Errorf("DataPerFile = %v, want 1", got)
	}
	if got, want := c.Summary(10, 2), "2 listings/2 dirs, 2.00 cmd/file, 1.00 data/file, 2 conn"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if got := c.Breakdown(); !strings.HasPrefix(got, "EPSV 12, PRET 12, SIZE 10, STOR 10, CWD 3") {
		t.Errorf("Breakdown = %q", got)
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	writeMarkdown(&b, [][]string{{"a", "long header"}, {"wide cell", "x"}, {"é", "y"}})
	want := "| a         | long header |\n" +
		"| --------- | ----------- |\n" +
		"| wide cell | x           |\n" +
		"| é         | y           |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestOutcomeRowAndTargets(t *testing.T) {
	wl := &workload{ID: "download", Bytes: 1e9, Files: 1}
	ours := &outcome{Contender: &contender{Name: "ours", Role: roleOurs}, Samples: []sample{
		{Wall: 2 * time.Second, CPU: time.Second, MaxRSS: 10 << 20, ServerCPU: 3 * time.Second, Note: "in-process 1.5 s after login"},
		{Wall: 1 * time.Second, CPU: time.Second, MaxRSS: 12 << 20, ServerCPU: 2 * time.Second, Note: "in-process 0.5 s after login"},
		{Wall: 3 * time.Second, CPU: time.Second, MaxRSS: 11 << 20, ServerCPU: 4 * time.Second, Note: "in-process 2.5 s after login"},
	}}
	peer := &outcome{Contender: &contender{Name: "peer", Role: rolePeer}, Samples: []sample{{Wall: 4 * time.Second}, {Err: fmt.Errorf("boom")}}}
	peer2 := &outcome{Contender: &contender{Name: "peer2", Role: rolePeer}, Samples: []sample{{Wall: 1 * time.Second, ServerCPU: time.Second}}}
	floor := &outcome{Contender: &contender{Name: "floor", Role: roleFloor}, Samples: []sample{{Wall: time.Second}}}
	wr := &workloadResult{Workload: wl, Outcomes: []*outcome{ours, peer, peer2, floor}}
	best, o := wr.best(rolePeer)
	if o != peer2 || best != time.Second {
		t.Fatalf("best peer = %v %v (a peer that failed once must not count)", o, best)
	}
	defer func(n int) { cores = n }(cores)
	cores = 2
	row := outcomeRow(wl, ours, best, time.Second)
	// busy: (1 s of client + 3 s of server) over 2 s on 2 processors.
	if row[1] != "**ours**" || row[2] != "2.000" || row[3] != "1.000–3.000" || row[4] != "2.00" || row[5] != "2.00" ||
		row[6] != "500 MB/s" || row[7] != "12.0" || row[8] != "1.00" || row[9] != "3.00" || row[10] != "100 %" ||
		!strings.Contains(row[12], "1.500 s after login") {
		t.Errorf("row = %q", row)
	}
	if row := outcomeRow(wl, peer, best, 0); !strings.Contains(row[2], "1 of 2 ok") || !strings.Contains(row[12], "FAILED: boom") || row[9] != "—" {
		t.Errorf("failed peer row = %q", row)
	}
	rows := targetRows(&serverResult{Server: server{Name: "s"}, Workloads: []*workloadResult{wr}})
	var verdicts []string
	for _, r := range rows {
		verdicts = append(verdicts, r[3]+"="+r[5])
	}
	want := "≤ 1.00× best peer=**missed**,≤ 1.20× floor=**missed**,peak RSS < 64 MiB=met"
	if strings.Join(verdicts, ",") != want {
		t.Errorf("targets = %q, want %q", verdicts, want)
	}
	// A missed ratio says how busy both runs kept the processors: ours
	// (1 + 3 s over 2 s on 2), the peer's (0 + 1 s over 1 s on 2).
	if got := rows[0][4]; !strings.HasSuffix(got, "; busy 100 %, the peer 50 %") {
		t.Errorf("missed ratio's measure = %q; want how busy both runs were", got)
	}
}

func TestSmallHelpers(t *testing.T) {
	if got := humanBytes(1 << 30); got != "1 GiB" {
		t.Errorf("humanBytes = %q", got)
	}
	if got := humanBytes(4096); got != "4 KiB" {
		t.Errorf("humanBytes = %q", got)
	}
	if got := redact("ftp://u:secret@h:21/"); got != "ftp://u:****@h:21/" {
		t.Errorf("redact = %q", got)
	}
	if got := slug("ftpfs Fs.WalkDir (parallel listing) + d.Info"); got != "ftpfs-fs-walkdir-parallel-listing-d-info" {
		t.Errorf("slug = %q", got)
	}
	if got := urlUser("a@b:c d"); got != "a%40b%3Ac%20d" {
		t.Errorf("urlUser = %q", got)
	}
	if got := lftpQuote(`a"b\c`); got != `"a\"b\\c"` {
		t.Errorf("lftpQuote = %q", got)
	}
	if got := countLines("a/\nb\n\n c \n", func(l string) bool { return l != "" && !strings.HasSuffix(l, "/") }); got != 2 {
		t.Errorf("countLines = %d", got)
	}
	r, err := parseOursResult("noise\n{\"files\":3,\"op_secs\":0.5}\n")
	if err != nil || r.Files != 3 || r.OpSecs != 0.5 {
		t.Errorf("parseOursResult = %+v, %v", r, err)
	}
	if _, err := parseOursResult("not json"); err == nil {
		t.Error("parseOursResult of garbage succeeded")
	}
	if got := versionIn("LFTP | Version 4.9.2 | Copyright (c) 1996-2020"); got != "4.9.2" {
		t.Errorf("versionIn = %q", got)
	}
	if got := smallDirs(1000); got != 11 {
		t.Errorf("smallDirs = %d", got)
	}
}

// TestCountingProxy runs a fake FTP server that answers every command,
// and checks what the proxy counts.
func TestCountingProxy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprint(c, "220 hi\r\n")
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			switch commandVerb(sc.Text()) {
			case "RETR", "LIST":
				fmt.Fprint(c, "150 here\r\n226 done\r\n")
			case "QUIT":
				fmt.Fprint(c, "221 bye\r\n")
				return
			default:
				fmt.Fprint(c, "200 ok\r\n")
			}
		}
	}()
	p, err := newCountingProxy(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	send := func(cmd string, replies int) {
		fmt.Fprint(c, cmd+"\r\n")
		for range replies {
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := r.ReadString('\n'); err != nil { // greeting
		t.Fatal(err)
	}
	send("USER u", 1)
	send("EPSV", 1)
	send("RETR a", 2)
	send("EPSV", 1)
	send("LIST", 2)
	send("QUIT", 1)
	got := p.Counts()
	if got.Conns != 1 || got.DataOpened != 2 || got.Verbs["EPSV"] != 2 || got.Verbs["RETR"] != 1 || got.Listings() != 1 {
		t.Errorf("counts = %+v", got)
	}
	u, err := p.URL("ftp://u:p@127.0.0.1:21/dir")
	if err != nil || !strings.HasPrefix(u, "ftp://u:p@"+p.ln.Addr().String()) {
		t.Errorf("URL = %q, %v", u, err)
	}
}

func TestRunProcess(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	launcher = exe
	r := runProcess(context.Background(), time.Minute, false, []string{"BENCH_X=42"}, "/bin/sh", "-c", "echo $BENCH_X")
	if r.Err != nil || strings.TrimSpace(r.Stdout) != "42" || r.MaxRSS <= 0 || r.Wall <= 0 {
		t.Errorf("runProcess = %+v", r)
	}
	r = runProcess(context.Background(), time.Minute, false, nil, "/bin/sh", "-c", "echo oops >&2; exit 3")
	if r.Err == nil || !strings.Contains(r.Err.Error(), "oops") {
		t.Errorf("failing run: %v", r.Err)
	}
}
