package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// tableHeader is the header of every server's table.
var tableHeader = []string{"workload", "contender", "median s", "min–max s", "× best peer", "× floor",
	"rate", "peak RSS MiB", "CPU s", "server CPU s", "busy", "FTP commands (counting run)", "notes"}

// cores is the number of processors the client and the servers share.
var cores = runtime.NumCPU()

// writeServerTable writes one server's results as a Markdown table.
func writeServerTable(w io.Writer, sr *serverResult) {
	fmt.Fprintf(w, "\n### %s (%s)\n\n", sr.Server.Name, redact(sr.Server.URL))
	rows := [][]string{tableHeader}
	for _, wr := range sr.Workloads {
		peer, _ := wr.best(rolePeer)
		floor, _ := wr.best(roleFloor)
		for _, o := range wr.Outcomes {
			rows = append(rows, outcomeRow(wr.Workload, o, peer, floor))
		}
	}
	writeMarkdown(w, rows)
}

// outcomeRow is one contender's row.
func outcomeRow(wl *workload, o *outcome, peer, floor time.Duration) []string {
	walls := o.wall()
	row := []string{wl.ID, o.Contender.Name, "—", "—", "—", "—", "—", "—", "—", "—", "—", "—", o.notes()}
	if o.Contender.Role == roleOurs {
		row[1] = "**" + row[1] + "**"
	}
	if len(walls) == 0 {
		return row
	}
	m := median(walls)
	lo, hi := minMax(walls)
	row[2] = fmt.Sprintf("%.3f", m.Seconds())
	row[3] = fmt.Sprintf("%.3f–%.3f", lo.Seconds(), hi.Seconds())
	if r := ratio(m, peer); r > 0 {
		row[4] = fmt.Sprintf("%.2f", r)
	}
	if r := ratio(m, floor); r > 0 && o.Contender.Role != roleFloor {
		row[5] = fmt.Sprintf("%.2f", r)
	}
	row[6] = rate(wl, m)
	if rss := o.peakRSS(); rss > 0 {
		row[7] = fmt.Sprintf("%.1f", float64(rss)/(1<<20))
		row[8] = fmt.Sprintf("%.2f", median(o.cpu()).Seconds())
	}
	if server := median(o.serverCPU()); server > 0 {
		row[9] = fmt.Sprintf("%.2f", server.Seconds())
		b, _ := o.busy()
		row[10] = fmt.Sprintf("%.0f %%", 100*b)
	}
	if d := o.inProcess(); d > 0 {
		row[12] = strings.TrimPrefix(fmt.Sprintf("%s; %.3f s after login, in process", row[12], d.Seconds()), "; ")
	}
	if o.Counts != nil {
		row[11] = o.Counts.Summary(wl.Files, wl.Dirs)
	}
	if o.failed() {
		row[2] += fmt.Sprintf(" (%d of %d ok)", len(walls), len(o.Samples))
	}
	return row
}

// busy is the share of the machine's processors that the client and the
// server kept busy in o's median run (median client CPU + median server
// CPU, over the median wall time and the processors): near 1, the run
// was bound by the processors, and no client could be much faster
// without making the server (or itself) work less. It reports false when
// the server's time was not measured.
func (o *outcome) busy() (float64, bool) {
	server, wall := median(o.serverCPU()), median(o.wall())
	if server <= 0 || wall <= 0 || cores <= 0 {
		return 0, false
	}
	return float64(median(o.cpu())+server) / float64(wall) / float64(cores), true
}

// rate is the throughput of one run of wl in median time m.
func rate(wl *workload, m time.Duration) string {
	if m <= 0 {
		return "—"
	}
	var parts []string
	if wl.Bytes > 0 && wl.Files == 1 {
		parts = append(parts, fmt.Sprintf("%.0f MB/s", float64(wl.Bytes)/1e6/m.Seconds()))
	}
	if wl.Files > 1 {
		parts = append(parts, fmt.Sprintf("%.0f files/s", float64(wl.Files)/m.Seconds()))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

func minMax(ds []time.Duration) (lo, hi time.Duration) {
	for i, d := range ds {
		if i == 0 || d < lo {
			lo = d
		}
		if d > hi {
			hi = d
		}
	}
	return lo, hi
}

// writeMarkdown writes rows (the first is the header) as a Markdown table
// with columns padded to line up.
func writeMarkdown(w io.Writer, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range cells {
			b.WriteString(" " + c + strings.Repeat(" ", width[i]-len([]rune(c))) + " |")
		}
		fmt.Fprintln(w, b.String())
	}
	line(rows[0])
	sep := make([]string, len(width))
	for i := range sep {
		sep[i] = strings.Repeat("-", width[i])
	}
	line(sep)
	for _, r := range rows[1:] {
		line(r)
	}
}

// humanBytes is n in the largest binary unit that divides it evenly.
func humanBytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB"}
	i := 0
	for i < len(units)-1 && n >= 1024 && n%1024 == 0 {
		n /= 1024
		i++
	}
	return fmt.Sprintf("%d %s", n, units[i])
}

// redact hides the password of a URL.
func redact(raw string) string {
	at := strings.LastIndex(raw, "@")
	scheme := strings.Index(raw, "://")
	if at < 0 || scheme < 0 {
		return raw
	}
	userinfo := raw[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return raw[:scheme+3] + user + ":****" + raw[at:]
	}
	return raw
}
