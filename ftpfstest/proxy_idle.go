package ftpfstest

import (
	"sync/atomic"
	"time"
)

// idleLimit is what SetIdleLimit set.
type idleLimit struct {
	after  time.Duration // zero: no limit
	kind   ConnKind
	action Action
}

// idleState is a link's side of the idle limit.
type idleState struct {
	last     atomic.Int64 // when a byte last passed, in Unix nanoseconds
	silenced atomic.Bool  // the link no longer forwards anything
}

func (s *idleState) moved() { s.last.Store(time.Now().UnixNano()) }

// SetIdleLimit makes the proxy end the connections of the kinds selected
// (zero means ControlConn) on which no byte has passed, either way, for d,
// as NATs and firewalls forget idle connections: with Drop or Reset it
// closes both ends; with Stall it silently forwards nothing more, in either
// direction, and closes nothing, as a NAT that forgot a connection does
// (each side then waits for bytes that never come). It applies to the
// connections opened after the call; zero or less turns it off for them.
// Every such end counts as a strike in ProxyStats.
func (p *Proxy) SetIdleLimit(kind ConnKind, d time.Duration, action Action) {
	if kind == 0 {
		kind = ControlConn
	}
	p.mu.Lock()
	p.idleLimit = idleLimit{after: max(d, 0), kind: kind, action: action}
	p.mu.Unlock()
}

// watchIdle starts the watch of l's idleness, if a limit applies to it.
// Proxy.mu must be held.
func (p *Proxy) watchIdle(l *proxyLink) {
	limit := p.idleLimit
	if limit.after <= 0 || limit.kind&l.kind == 0 {
		return
	}
	l.idle.moved()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(max(limit.after/10, time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-l.done:
				return
			case <-tick.C:
			}
			if time.Since(time.Unix(0, l.idle.last.Load())) < limit.after {
				continue
			}
			p.mu.Lock()
			p.stats.Strikes++
			p.mu.Unlock()
			switch limit.action {
			case Drop:
				p.endLink(l, false)
			case Reset:
				p.endLink(l, true)
			default:
				l.idle.silenced.Store(true)
			}
			return
		}
	}()
}
