package ftpconn

import (
	"slices"
	"time"
)

// dispatch hands idle sessions and free room to the waiters, foreground
// ones first, then starts the dials that the waiters still need. p.mu
// must be held.
func (p *Pool) dispatch() {
	if p.closed {
		return
	}
	p.serveAll()
	if len(p.waiters) > 0 && p.startDials() {
		p.serveAll() // a background dial in flight lets background callers share
	}
}

// serveAll serves the waiters it can, foreground ones first. p.mu must
// be held.
func (p *Pool) serveAll() {
	for _, background := range [2]bool{false, true} {
		for i := 0; i < len(p.waiters); {
			if w := p.waiters[i]; w.background == background && p.serve(w) {
				p.waiters = slices.Delete(p.waiters, i, i+1)
				continue
			}
			i++
		}
	}
}

// serve grants w an idle session of its mode, and reports whether it
// did. A background waiter takes a session only if spareForBackground.
func (p *Pool) serve(w *waiter) bool {
	for i := len(p.idle) - 1; i >= 0; i-- {
		if s := p.idle[i]; s.mode == w.mode {
			if w.background && !p.spareForBackground() {
				return false
			}
			p.idle = slices.Delete(p.idle, i, i+1)
			if w.background {
				p.bgHeld[s] = struct{}{}
			}
			w.done <- grant{s: s}
			return true
		}
	}
	return false
}

// startDials starts a dial for each waiter that no dial in flight will
// serve (dials serve the waiters of their mode in order, foreground
// first). A foreground waiter also counts on the sessions background
// callers hold, which come back after one listing, until it has waited
// about a dial's time. It dials when there is room, if need be by closing
// an idle session of another mode. A background waiter dials only while
// no other background dial is in flight, room remains for the foreground,
// and its backlog, shared by the connections open, is over twice the cost
// of a dial. It reports whether it started a background dial.
func (p *Pool) startDials() (started bool) {
	covered := make(map[ListMode]int, len(p.dialing))
	for mode, n := range p.dialing {
		covered[mode] = n
	}
	held := make(map[ListMode]int, 1)
	for s := range p.bgHeld {
		held[s.mode]++
	}
	for _, background := range [2]bool{false, true} {
		for _, w := range p.waiters {
			if w.background != background {
				continue
			}
			if covered[w.mode] > 0 {
				covered[w.mode]--
				continue
			}
			if !background && !w.impatient && held[w.mode] > 0 {
				held[w.mode]--
				continue
			}
			switch {
			case !background && p.room(0):
				p.startDial(w, nil)
			case !background && len(p.idle) > 0:
				stale := p.idle[0] // its slot passes to the dial
				p.idle = p.idle[1:]
				p.startDial(w, stale)
			case background && p.bgDials == 0 && p.room(1) && p.worthDialing(w):
				p.startDial(w, nil)
				started = true
			}
		}
	}
	return started
}

// worthDialing reports whether the background waiter w's backlog, shared
// by the connections open, is over twice the cost of a dial.
func (p *Pool) worthDialing(w *waiter) bool {
	if w.backlog == nil {
		return false
	}
	return w.backlog()/time.Duration(max(p.live, 1)) > 2*p.dialCost
}

// spareForBackground reports whether a background caller may take an idle
// session: only while a background dial is in flight or two connections
// at least are open (on a single connection for good, background work
// would only take turns with a walk's own listings, for no gain), and only
// if a foreground caller still finds an idle session or room to dial.
func (p *Pool) spareForBackground() bool {
	open := p.live
	for _, n := range p.dialing {
		open -= n
	}
	return (open >= 2 || p.bgDials > 0) && (len(p.idle) > 1 || p.room(0))
}

// room reports whether extra+1 more connections fit within the bound and
// the server's learned limit.
func (p *Pool) room(extra int) bool {
	bound := p.max
	if p.limit > 0 && p.limit < bound {
		bound = p.limit
	}
	return p.live+extra < bound
}

// startDial dials a session in the background for owner (after closing
// stale, whose slot it takes). The session goes to the first waiter of
// its mode, or to the idle list; a failure goes to owner, if it still
// waits.
func (p *Pool) startDial(owner *waiter, stale *Session) {
	if stale == nil {
		p.live++
	}
	p.dialing[owner.mode]++
	if owner.background {
		p.bgDials++
	}
	p.dials.Add(1)
	go p.runDial(owner, stale)
}

func (p *Pool) runDial(owner *waiter, stale *Session) {
	defer p.dials.Done()
	if stale != nil {
		stale.Close()
	}
	start := time.Now()
	s, err := p.dial(p.ctx, owner.mode)
	p.mu.Lock()
	if err == nil {
		p.dialCost = time.Since(start)
	}
	p.dialing[owner.mode]--
	if owner.background {
		p.bgDials--
	}
	var unused *Session
	switch {
	case err != nil:
		p.live--
		p.failDial(owner, err)
	case p.closed:
		p.live--
		unused = s
	default:
		p.idle = append(p.idle, s)
	}
	p.dispatch()
	p.mu.Unlock()
	if unused != nil {
		unused.Close()
	}
}

// failDial accounts for a failed dial. A server refusing one connection
// too many (421) while the pool has others teaches the pool its limit,
// and owner waits for a session to come back; any other failure goes to
// owner. p.mu must be held.
func (p *Pool) failDial(owner *waiter, err error) {
	if busy(err) && p.live > 0 {
		if p.limit == 0 || p.live < p.limit {
			p.limit = p.live
		}
		return
	}
	if p.remove(owner) {
		owner.done <- grant{err: err}
	}
}

// remove takes w out of the line, and reports whether it was there (not
// served yet). p.mu must be held.
func (p *Pool) remove(w *waiter) bool {
	if i := slices.Index(p.waiters, w); i >= 0 {
		p.waiters = slices.Delete(p.waiters, i, i+1)
		return true
	}
	return false
}
