package ftpfs

import (
	"context"
	"sync"
	"time"
)

// pool bounds and reuses the Fs's sessions. A caller that finds no idle
// session of the kind it needs waits in line; while it waits, the pool
// dials a new session for it if there is room, and the caller takes
// whichever comes first: a session another caller gives back, or the new
// one (which otherwise joins the idle list). So a burst of callers never
// waits longer for a dial than for the sessions already open, and a slow
// login (vsftpd's take 0.13 s) costs only the calls that could not wait
// for a session to come back.
//
// Background callers (prefetching, the helpers of WalkDir) come after
// every foreground caller, dial at most one session at a time, and never
// take the last connection the bound allows: that one stays for the
// foreground.
//
// A server may allow fewer connections than the bound: when it refuses one
// with 421 ("too many connections") while the pool has others, the pool
// learns that number as its limit for good, and callers past it wait for a
// session to come back instead.
type pool struct {
	dial func(ctx context.Context, mode listMode) (*session, error)
	max  int
	// probeAfter is how long a session may idle before it is checked with
	// NOOP on its way out of the pool (servers drop idle sessions).
	probeAfter time.Duration
	ctx        context.Context // dials run under it; close ends it
	cancel     context.CancelFunc
	dials      sync.WaitGroup

	mu       sync.Mutex
	idle     []*session // most recently used last
	live     int        // connections open or being dialed, SITE connections included
	limit    int        // the server's limit, once learned; 0 while unknown
	dialing  map[listMode]int
	bgDials  int                   // dials started for background callers, in flight
	bgHeld   map[*session]struct{} // sessions background callers hold
	dialCost time.Duration         // how long the last successful dial took
	waiters  []*waiter             // in arrival order
	closed   bool
}

// waiter is a caller waiting for a session (or, with slot, for room for
// a connection of its own).
type waiter struct {
	mode       listMode
	background bool
	slot       bool
	done       chan grant // receives one grant
	// backlog estimates, for a background waiter, how long its caller's
	// queued work would take on one connection: a dial for it must be
	// worth its cost (see startDials).
	backlog func() time.Duration
	// impatient is set on a foreground waiter that has waited about a
	// dial's time: sessions held by background callers no longer keep
	// it from dialing.
	impatient bool
}

// grant is what a waiter gets: a session, room (slot waiters), or an
// error. stale is an idle session the waiter must close first: its
// connection's slot passed to the waiter.
type grant struct {
	s     *session
	stale *session
	err   error
}

func newPool(maxConns int, dial func(ctx context.Context, mode listMode) (*session, error)) *pool {
	ctx, cancel := context.WithCancel(context.Background())
	return &pool{
		dial:       dial,
		max:        maxConns,
		probeAfter: 15 * time.Second,
		ctx:        ctx,
		cancel:     cancel,
		dialing:    map[listMode]int{},
		bgHeld:     map[*session]struct{}{},
	}
}

// get returns a session of the given mode, waiting until one is free or
// ctx ends.
func (p *pool) get(ctx context.Context, mode listMode) (*session, error) {
	return p.acquire(ctx, &waiter{mode: mode})
}

// getBackground is get for work nobody waits for yet: it is served after
// every foreground caller, and never with the last connection. backlog
// estimates how long the caller's queued work would take on one
// connection; the pool dials for it only when that is well over the cost
// of a dial (a login that takes as long as the work saves nothing, and
// takes processor time from the work on a busy machine).
func (p *pool) getBackground(ctx context.Context, mode listMode, backlog func() time.Duration) (*session, error) {
	return p.acquire(ctx, &waiter{mode: mode, background: true, backlog: backlog})
}

// reserve takes a slot for a connection that is not a pooled session
// (the SITE connection). release gives the slot back.
func (p *pool) reserve(ctx context.Context) (release func(), err error) {
	if _, err := p.acquire(ctx, &waiter{slot: true}); err != nil {
		return nil, err
	}
	return func() {
		p.mu.Lock()
		p.live--
		p.dispatch()
		p.mu.Unlock()
	}, nil
}

func (p *pool) acquire(ctx context.Context, w *waiter) (*session, error) {
	for {
		w.done = make(chan grant, 1)
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, errClosedFs
		}
		p.waiters = append(p.waiters, w)
		p.dispatch()
		p.mu.Unlock()
		g, err := p.wait(ctx, w)
		if err != nil {
			return nil, err
		}
		if g.stale != nil {
			g.stale.close() // before the caller opens its own connection
		}
		if g.err != nil || g.s == nil {
			return nil, g.err
		}
		s := g.s
		if time.Since(s.lastUsed) < p.probeAfter || s.run(ctx, s.conn.NoOp) == nil {
			return s, nil
		}
		p.discard(s) // dropped by the server while idle
	}
}

// wait waits for w's grant. A foreground waiter that has waited about a
// dial's time becomes impatient (see startDials).
func (p *pool) wait(ctx context.Context, w *waiter) (grant, error) {
	select {
	case g := <-w.done:
		return g, nil
	default:
	}
	var patience <-chan time.Time
	if !w.background && !w.slot {
		p.mu.Lock()
		d := max(p.dialCost, 10*time.Millisecond)
		p.mu.Unlock()
		timer := time.NewTimer(d)
		defer timer.Stop()
		patience = timer.C
	}
	for {
		select {
		case g := <-w.done:
			return g, nil
		case <-patience:
			patience = nil
			p.mu.Lock()
			w.impatient = true
			p.dispatch()
			p.mu.Unlock()
		case <-ctx.Done():
			p.mu.Lock()
			left := p.remove(w)
			p.mu.Unlock()
			if !left { // served meanwhile: give it back
				p.giveBack(w, <-w.done)
			}
			return grant{}, ctx.Err()
		}
	}
}

// giveBack returns what a waiter that gave up was granted.
func (p *pool) giveBack(w *waiter, g grant) {
	if g.stale != nil {
		g.stale.close()
	}
	switch {
	case g.s != nil:
		p.put(g.s, false)
	case w.slot && g.err == nil:
		p.mu.Lock()
		p.live--
		p.dispatch()
		p.mu.Unlock()
	}
}

// put gives a session back; a broken one is closed instead.
func (p *pool) put(s *session, isBroken bool) {
	if isBroken {
		p.discard(s)
		return
	}
	p.mu.Lock()
	delete(p.bgHeld, s)
	if p.closed {
		p.mu.Unlock()
		p.discard(s)
		return
	}
	p.idle = append(p.idle, s)
	p.dispatch()
	p.mu.Unlock()
}

// discard closes a session that is not in the idle list.
func (p *pool) discard(s *session) {
	s.close()
	p.mu.Lock()
	delete(p.bgHeld, s)
	p.live--
	p.dispatch()
	p.mu.Unlock()
}

// close closes the idle sessions, fails the waiting callers and stops the
// dials in flight; sessions in use are closed when they come back.
func (p *pool) close() {
	p.mu.Lock()
	idle, waiters := p.idle, p.waiters
	p.idle, p.waiters, p.closed = nil, nil, true
	p.live -= len(idle)
	for _, w := range waiters {
		w.done <- grant{err: errClosedFs}
	}
	p.mu.Unlock()
	p.cancel()
	var wg sync.WaitGroup
	for _, s := range idle {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.close()
		}()
	}
	wg.Wait()
	p.dials.Wait()
}
