package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// logf reports progress on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[ftpfs-bench %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// runServer benchmarks every workload on s.
func (e *env) runServer(ctx context.Context, s server) (*serverResult, error) {
	res := &serverResult{Server: s}
	if err := e.prepareServer(s); err != nil {
		return nil, err
	}
	if !e.cfg.Keep {
		defer e.cleanServer(s)
	}
	for _, w := range e.workloads(s) {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		wr, err := e.runWorkload(ctx, s, w)
		if err != nil {
			return res, fmt.Errorf("%s/%s: %w", s.Name, w.ID, err)
		}
		res.Workloads = append(res.Workloads, wr)
	}
	return res, nil
}

// runWorkload runs the rounds, then the counting and profiling runs.
func (e *env) runWorkload(ctx context.Context, s server, w *workload) (*workloadResult, error) {
	logf("%s: %s", s.Name, w.Title)
	if w.Setup != nil {
		if err := w.Setup(); err != nil {
			return nil, err
		}
	}
	wr := &workloadResult{Workload: w}
	for _, c := range w.Contenders {
		wr.Outcomes = append(wr.Outcomes, &outcome{Contender: c})
	}
	// One untimed run of the floor first: the first transfer of a
	// workload was up to 2.5× slower than later ones here (page cache
	// and allocator warm-up), whoever ran it.
	for _, o := range wr.Outcomes {
		if o.Contender.Role == roleFloor && !e.cfg.NoWarmup {
			smp := e.runOnce(ctx, s, o.Contender, s, "")
			logf("  %s warm-up %-45s %s", s.Name, o.Contender.Name, describeSample(smp))
		}
	}
	for round := 0; round < e.cfg.Rounds; round++ {
		for i := range wr.Outcomes {
			// Rotate the order each round, so no contender always runs
			// right after the same one.
			o := wr.Outcomes[(i+round)%len(wr.Outcomes)]
			smp := e.runOnce(ctx, s, o.Contender, s, "")
			logf("  %s round %d %-45s %s", s.Name, round+1, o.Contender.Name, describeSample(smp))
			o.Samples = append(o.Samples, smp)
		}
	}
	for _, o := range wr.Outcomes {
		c := o.Contender
		if c.Argv == nil || (c.Role != roleOurs && !e.cfg.CountPeers) {
			continue
		}
		counts, err := e.countOnce(ctx, s, c)
		if err != nil {
			logf("  %s counting run of %s failed: %v", s.Name, c.Name, err)
			continue
		}
		o.Counts = counts
		logf("  %s counted %-45s %s", s.Name, c.Name, counts.Breakdown())
	}
	if e.cfg.ProfileDir != "" {
		for _, o := range wr.Outcomes {
			if o.Contender.Role != roleOurs {
				continue
			}
			name := filepath.Join(e.cfg.ProfileDir, fmt.Sprintf("%s-%s-%s.pprof", s.Name, w.ID, slug(o.Contender.Name)))
			smp := e.runOnce(ctx, s, o.Contender, s, name)
			logf("  %s profiled %s: %s (%s)", s.Name, o.Contender.Name, name, describeSample(smp))
		}
	}
	return wr, nil
}

// runOnce does one run of c against target (s itself, or a proxy in
// front of it), with a CPU profile written to profile if that is set
// (ours only).
func (e *env) runOnce(ctx context.Context, s server, c *contender, target server, profile string) sample {
	if c.Prep != nil {
		if err := c.Prep(); err != nil {
			return sample{Err: fmt.Errorf("prep: %w", err)}
		}
	}
	if !e.cfg.NoSync {
		// Write back what the previous run left dirty (a 1 GiB upload),
		// so that no run pays for another's writeback.
		syscall.Sync()
	}
	if d := e.cfg.Settle[s.Name]; d > 0 {
		time.Sleep(d)
	}
	var smp sample
	var stdout string
	if c.Run != nil {
		start := time.Now()
		smp.Err = c.Run()
		smp.Wall = time.Since(start)
	} else {
		argv, env := c.Argv(target)
		if profile != "" {
			argv = append(argv, "-cpuprofile", profile)
		}
		server := e.serverClock(s)
		r := runProcess(ctx, e.cfg.Timeout, c.DiscardStdout, env, argv...)
		smp, stdout = r.sample, r.Stdout
		smp.ServerCPU = server()
	}
	if smp.Err == nil && c.Check != nil {
		smp.Note, smp.Err = c.Check(stdout)
	}
	return smp
}

// serverClock starts measuring the processor time of s's daemon, once
// the sessions of earlier runs are reaped, and returns the function that
// ends the measurement: it waits for the run's sessions to be reaped too,
// and returns the time the daemon used, or zero (with a line in the log)
// when the daemon's pid file is unknown or a reading fails.
func (e *env) serverClock(s server) func() time.Duration {
	none := func() time.Duration { return 0 }
	if s.PIDFile == "" {
		return none
	}
	d := daemonCPU{pidFile: s.PIDFile}
	const reaped = 5 * time.Second
	failed := func(err error) func() time.Duration {
		if !e.noServerCPU[s.Name] {
			logf("  %s: server CPU not measured: %v", s.Name, err)
			if e.noServerCPU == nil {
				e.noServerCPU = map[string]bool{}
			}
			e.noServerCPU[s.Name] = true
		}
		return none
	}
	if err := d.idle(reaped); err != nil {
		return failed(err)
	}
	before, err := d.read()
	if err != nil {
		return failed(err)
	}
	return func() time.Duration {
		if err := d.idle(reaped); err != nil {
			failed(err)
			return 0
		}
		after, err := d.read()
		if err != nil {
			failed(err)
			return 0
		}
		return after - before
	}
}

// countOnce runs c once through a counting proxy in front of s.
func (e *env) countOnce(ctx context.Context, s server, c *contender) (*commandCounts, error) {
	p, err := newCountingProxy(s.addr())
	if err != nil {
		return nil, err
	}
	defer p.Close()
	u, err := p.URL(s.URL)
	if err != nil {
		return nil, err
	}
	target, err := parseServer(s.Name, u, s.Root)
	if err != nil {
		return nil, err
	}
	smp := e.runOnce(ctx, s, c, target, "")
	if smp.Err != nil {
		return nil, smp.Err
	}
	return p.Counts(), nil
}

// describeSample is a sample on one line, for the progress log.
func describeSample(smp sample) string {
	if smp.Err != nil {
		return "FAILED: " + smp.Err.Error()
	}
	s := fmt.Sprintf("%7.3f s", smp.Wall.Seconds())
	if smp.MaxRSS > 0 {
		s += fmt.Sprintf("  cpu %6.3f s  rss %6.1f MiB", smp.CPU.Seconds(), float64(smp.MaxRSS)/(1<<20))
	}
	if smp.Note != "" {
		s += "  (" + smp.Note + ")"
	}
	return s
}

// slug turns a contender's name into a file name part.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
