package main

import (
	"fmt"
	"io"
	"time"
)

// The targets, as limits on ratios and counts: issue 7's, tightened by
// the issue "faster than every peer on every server" (upload ≤ 1.0,
// small ≤ 0.9, re-sync ≤ 0.8, download ≤ 1.2× one loopback TCP stream),
// which added open and testfs.
var (
	peerLimit = map[string]float64{"walk": 0.6, "download": 1.0, "upload": 1.0, "small": 0.9, "resync": 0.8, "open": 1.0}
	// wallLimit is the limit on the median wall time of a workload no
	// peer does.
	wallLimit = map[string]time.Duration{"testfs": 5 * time.Second}
	// floorLimit is the limit on the ratio to the workload's floor.
	floorLimit = map[string]float64{"download": 1.2, "small": 1.2}
)

// rssLimit is the peak RSS every workload must stay under.
const rssLimit = 64 << 20

// targetRows checks every ours outcome of sr against the targets.
func targetRows(sr *serverResult) [][]string {
	var rows [][]string
	add := func(wl, name, target, measured string, met bool) {
		verdict := "met"
		if !met {
			verdict = "**missed**"
		}
		rows = append(rows, []string{sr.Server.Name, wl, name, target, measured, verdict})
	}
	for _, wr := range sr.Workloads {
		id := wr.Workload.ID
		peer, peerO := wr.best(rolePeer)
		floor, _ := wr.best(roleFloor)
		for _, o := range wr.Outcomes {
			if o.Contender.Role != roleOurs {
				continue
			}
			name := o.Contender.Name
			if o.failed() || len(o.Samples) == 0 {
				add(id, name, "runs succeed", "failed: "+o.notes(), false)
				continue
			}
			m := median(o.wall())
			if lim, ok := peerLimit[id]; ok && peerO != nil {
				r := ratio(m, peer)
				measured := fmt.Sprintf("%.2f× (%.3f s vs %s %.3f s)", r, m.Seconds(), peerO.Contender.Name, peer.Seconds())
				ours, ok1 := o.busy()
				theirs, ok2 := peerO.busy()
				if r > lim && ok1 && ok2 {
					// What bounds a miss: processors the server shares
					// (busy near 100 %), or round trips and the disk.
					measured += fmt.Sprintf("; busy %.0f %%, the peer %.0f %%", 100*ours, 100*theirs)
				}
				add(id, name, fmt.Sprintf("≤ %.2f× best peer", lim), measured, r <= lim)
			}
			if lim, ok := wallLimit[id]; ok {
				add(id, name, fmt.Sprintf("≤ %.0f s", lim.Seconds()), fmt.Sprintf("%.3f s", m.Seconds()), m <= lim)
			}
			if lim, ok := floorLimit[id]; ok && floor > 0 {
				r := ratio(m, floor)
				add(id, name, fmt.Sprintf("≤ %.2f× floor", lim), fmt.Sprintf("%.2f× (floor %.3f s)", r, floor.Seconds()), r <= lim)
			}
			rss := o.peakRSS()
			add(id, name, "peak RSS < 64 MiB", fmt.Sprintf("%.1f MiB", float64(rss)/(1<<20)), rss < rssLimit)
			if c := o.Counts; c != nil {
				wl := wr.Workload
				switch id {
				case "walk", "resync":
					// One listing per directory of the tree, and one of the
					// tree root's parent (to stat the root), as every peer does.
					l := c.Listings()
					add(id, name, "1 listing per directory (+1 for the root's parent)",
						fmt.Sprintf("%d listings for %d dirs", l, wl.Dirs), l <= wl.Dirs+1)
					if id == "walk" {
						pf := c.PerFile(wl.Files)
						add(id, name, "no per-file command", fmt.Sprintf("%.2f cmd/file", pf), pf == 0)
					}
				case "open":
					// MLST (or SIZE), then RETR: no listing of the big
					// directory.
					l, pf := c.Listings(), c.PerFile(wl.Files)
					add(id, name, "no listing, ≤ 3 commands (PASV/EPSV/PRET and login not counted)",
						fmt.Sprintf("%d listings, %.0f commands (%s)", l, pf, c.Breakdown()), l == 0 && pf <= 3)
				case "small":
					pf := c.PerFile(wl.Files)
					add(id, name, "≤ 2 commands per file (PASV/EPSV/PRET not counted)", fmt.Sprintf("%.3f (%s)", pf, c.Breakdown()), pf <= 2)
					data := c.DataOpened - c.Listings()
					add(id, name, "≤ 1 data connection per file",
						fmt.Sprintf("%d for %d files (%d passive-mode commands)", data, wl.Files, c.Passive()-c.Listings()), data <= wl.Files)
				}
			}
		}
	}
	return rows
}

// writeTargets writes the targets table of every server.
func writeTargets(w io.Writer, results []*serverResult) {
	rows := [][]string{{"server", "workload", "ours", "target", "measured", "verdict"}}
	for _, sr := range results {
		rows = append(rows, targetRows(sr)...)
	}
	fmt.Fprintln(w, "\n### Targets")
	fmt.Fprintln(w)
	writeMarkdown(w, rows)
}
