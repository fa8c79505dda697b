package main

import (
	"fmt"
	"io"
	"time"

	ftpsync "github.com/ftpfs/ftpfs/sync"
	"github.com/schollz/progressbar/v3"
)

// progressBar draws the transfers of one Mirror as a bar of bytes
// (github.com/schollz/progressbar), with the files done and the file
// that last advanced in front. It is made on the first report, when the
// totals are known; a run that transfers nothing, or a dry run, draws
// nothing.
type progressBar struct {
	w    io.Writer
	bar  *progressbar.ProgressBar
	desc string
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w}
}

// report is Mirror's WithProgress callback. Mirror never calls it twice
// at once.
func (p *progressBar) report(pr ftpsync.Progress) {
	if p.bar == nil {
		p.start(pr)
	}
	if desc := describe(pr); desc != p.desc {
		p.desc = desc
		p.bar.Describe(desc)
	}
	if pr.BytesTotal == 0 {
		_ = p.bar.Set(pr.FilesDone) // a bar of files: the errors of a bar are not the mirror's
		return
	}
	done := pr.BytesDone
	switch total := p.bar.GetMax64(); {
	case pr.FilesDone < pr.FilesTotal:
		// Full only once every file is done: a full bar ends its line,
		// and a file's last bytes come before the rename that ends it.
		done = min(done, total-1)
	case done > total: // a file grew since it was listed
		p.bar.ChangeMax64(done)
	}
	_ = p.bar.Set64(done)
}

// start makes the bar: of bytes, or of files when they are all empty
// (a bar needs a total above zero).
func (p *progressBar) start(pr ftpsync.Progress) {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	}
	total := pr.BytesTotal
	if total > 0 {
		opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionUseIECUnits(true))
	} else {
		total = int64(max(pr.FilesTotal, 1))
	}
	p.desc = describe(pr)
	opts = append(opts, progressbar.OptionSetDescription(p.desc), progressbar.OptionSetRenderBlankState(true))
	p.bar = progressbar.NewOptions64(total, opts...)
}

// finish fills the bar after a run that went well, or leaves it where it
// stopped; either way it ends the bar's line. It does nothing to a bar
// that never started, nor to a nil one (-quiet).
func (p *progressBar) finish(ok bool) {
	if p == nil || p.bar == nil {
		return
	}
	switch {
	case p.bar.IsFinished(): // full already, its line ended
	case ok:
		_ = p.bar.Finish()
	default:
		_ = p.bar.Exit()
	}
}

// describe is the text in front of the bar: the files done, and the file
// that last advanced, its start cut so that the bar stays in place.
func describe(pr ftpsync.Progress) string {
	const width = 24
	name := []rune(pr.Path)
	if len(name) > width {
		name = append([]rune("…"), name[len(name)-width+1:]...)
	}
	return fmt.Sprintf("%d/%d files %-*s", pr.FilesDone, pr.FilesTotal, width, string(name))
}
