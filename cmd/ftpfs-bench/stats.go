package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ok returns the samples that succeeded.
func (o *outcome) ok() []sample {
	var out []sample
	for _, s := range o.Samples {
		if s.Err == nil {
			out = append(out, s)
		}
	}
	return out
}

// failed reports whether any run failed.
func (o *outcome) failed() bool { return len(o.ok()) < len(o.Samples) }

// median of the durations (the mean of the middle two for an even count);
// zero for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// wall, cpu and rss pick one figure of each successful sample.
func (o *outcome) wall() []time.Duration {
	return pick(o.ok(), func(s sample) time.Duration { return s.Wall })
}
func (o *outcome) cpu() []time.Duration {
	return pick(o.ok(), func(s sample) time.Duration { return s.CPU })
}

// serverCPU picks the daemon's processor time of the successful samples
// that measured it.
func (o *outcome) serverCPU() []time.Duration {
	var out []time.Duration
	for _, s := range o.ok() {
		if s.ServerCPU > 0 {
			out = append(out, s.ServerCPU)
		}
	}
	return out
}

// peakRSS is the highest peak RSS of the successful runs, in bytes.
func (o *outcome) peakRSS() int64 {
	var m int64
	for _, s := range o.ok() {
		m = max(m, s.MaxRSS)
	}
	return m
}

func pick(ss []sample, f func(sample) time.Duration) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

// best returns the lowest median wall time among the outcomes of role r
// that never failed, and its outcome (nil if none).
func (wr *workloadResult) best(r role) (time.Duration, *outcome) {
	var bestD time.Duration
	var bestO *outcome
	for _, o := range wr.Outcomes {
		if o.Contender.Role != r || o.failed() || len(o.Samples) == 0 {
			continue
		}
		if m := median(o.wall()); bestO == nil || m < bestD {
			bestD, bestO = m, o
		}
	}
	return bestD, bestO
}

// ratio is a/b, or 0 when either is missing.
func ratio(a, b time.Duration) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// notes gathers the distinct notes and errors of the samples.
func (o *outcome) notes() string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range o.Samples {
		if s.Err != nil {
			add("FAILED: " + tail(s.Err.Error(), 160))
		} else if !strings.HasPrefix(s.Note, "in-process") {
			add(s.Note)
		}
	}
	return strings.Join(out, "; ")
}

// inProcess is the median of the "in-process N s" notes of ours.
func (o *outcome) inProcess() time.Duration {
	var ds []time.Duration
	for _, s := range o.ok() {
		var secs float64
		if _, err := fmt.Sscanf(s.Note, "in-process %g s", &secs); err == nil {
			ds = append(ds, time.Duration(secs*float64(time.Second)))
		}
	}
	return median(ds)
}

// parseOursResult reads the JSON line the ours subcommand printed last.
func parseOursResult(stdout string) (oursResult, error) {
	var r oursResult
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		return r, fmt.Errorf("ours printed %q: %w", tail(stdout, 80), err)
	}
	return r, nil
}
