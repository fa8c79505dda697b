package ftpconn

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"
)

// Pool bounds and reuses the Fs's sessions. A caller that finds no idle
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
type Pool struct {
	dial func(ctx context.Context, mode ListMode) (*Session, error)
	max  int
	// probeAfter is how long a session may idle before it is checked with
	// NOOP on its way out of the pool (servers drop idle sessions).
	probeAfter time.Duration
	// stuckAfter is how long a foreground caller waits while no
	// session comes back before it fails with an *ExhaustedError; zero
	// waits for ever.
	stuckAfter time.Duration
	ctx        context.Context // dials run under it; close ends it
	cancel     context.CancelFunc
	dials      sync.WaitGroup

	mu       sync.Mutex
	idle     []*Session // most recently used last
	live     int        // connections open or being dialed
	limit    int        // the server's limit, once learned; 0 while unknown
	dialing  map[ListMode]int
	bgDials  int                   // dials started for background callers, in flight
	bgHeld   map[*Session]struct{} // sessions background callers hold
	dialCost time.Duration         // how long the last successful dial took
	waiters  []*waiter             // in arrival order
	returns  uint64                // sessions given back or discarded so far
	closed   bool
}

// waiter is a caller waiting for a session.
type waiter struct {
	mode       ListMode
	background bool
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

// grant is what a waiter gets: a session or an error.
type grant struct {
	s   *Session
	err error
}

// ErrClosed is what a call of a closed Pool returns.
var ErrClosed = fmt.Errorf("ftpfs: file system is closed: %w", fs.ErrClosed)

// NewPool returns a pool of at most maxConns sessions, made by dial. A
// caller of Get fails with an *ExhaustedError when no session comes back
// for stuckAfter while it waits (zero: it waits for ever).
func NewPool(maxConns int, stuckAfter time.Duration, dial func(ctx context.Context, mode ListMode) (*Session, error)) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	return &Pool{
		dial:       dial,
		max:        maxConns,
		probeAfter: 15 * time.Second,
		stuckAfter: stuckAfter,
		ctx:        ctx,
		cancel:     cancel,
		dialing:    map[ListMode]int{},
		bgHeld:     map[*Session]struct{}{},
	}
}

// Get returns a session of the given mode, waiting until one is free or
// ctx ends. A session idle for a while is checked with NOOP first.
func (p *Pool) Get(ctx context.Context, mode ListMode) (*Session, error) {
	return p.acquire(ctx, &waiter{mode: mode})
}

// GetBackground is Get for work nobody waits for yet: it is served after
// every foreground caller, and never with the last connection. backlog
// estimates how long the caller's queued work would take on one
// connection; the pool dials for it only when that is well over the cost
// of a dial (a login that takes as long as the work saves nothing, and
// takes processor time from the work on a busy machine).
func (p *Pool) GetBackground(ctx context.Context, mode ListMode, backlog func() time.Duration) (*Session, error) {
	return p.acquire(ctx, &waiter{mode: mode, background: true, backlog: backlog})
}

func (p *Pool) acquire(ctx context.Context, w *waiter) (*Session, error) {
	for {
		w.done = make(chan grant, 1)
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, ErrClosed
		}
		p.waiters = append(p.waiters, w)
		p.dispatch()
		p.mu.Unlock()
		g, err := p.wait(ctx, w)
		if err != nil {
			return nil, err
		}
		if g.err != nil || g.s == nil {
			return nil, g.err
		}
		s := g.s
		if s.Idle() < p.probeAfter || s.Noop(ctx) == nil {
			return s, nil
		}
		p.Discard(s) // dropped by the server while idle
	}
}

// wait waits for w's grant. A foreground waiter that has waited about a
// dial's time becomes impatient (see startDials).
func (p *Pool) wait(ctx context.Context, w *waiter) (grant, error) {
	select {
	case g := <-w.done:
		return g, nil
	default:
	}
	var patience <-chan time.Time
	if !w.background {
		p.mu.Lock()
		d := max(p.dialCost, 10*time.Millisecond)
		p.mu.Unlock()
		timer := time.NewTimer(d)
		defer timer.Stop()
		patience = timer.C
	}
	// stuck fires when no session has come back to the pool for
	// p.stuckAfter: the sessions are held by callers that do not give
	// them back, such as files left open.
	var stuck <-chan time.Time
	var stuckTimer *time.Timer
	var returns uint64
	if !w.background && p.stuckAfter > 0 {
		p.mu.Lock()
		returns = p.returns
		p.mu.Unlock()
		stuckTimer = time.NewTimer(p.stuckAfter)
		defer stuckTimer.Stop()
		stuck = stuckTimer.C
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
		case <-stuck:
			p.mu.Lock()
			moved := p.returns != returns
			returns = p.returns
			if moved {
				p.mu.Unlock()
				stuckTimer.Reset(p.stuckAfter)
				continue
			}
			left := p.remove(w)
			held := p.live - len(p.idle)
			p.mu.Unlock()
			if !left {
				return <-w.done, nil
			}
			return grant{}, &ExhaustedError{Held: held, Waited: p.stuckAfter}
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

// ExhaustedError reports a call that waited for a connection while
// every connection the Fs may open was held, and none came back.
type ExhaustedError struct {
	Held   int           // the connections held
	Waited time.Duration // how long no connection came back
}

func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("ftpfs: no connection free: all %d are held (by files left open, or calls that do not end) and none came back for %v; close files, or raise WithMaxConns", e.Held, e.Waited)
}

// Timeout reports true: the call timed out waiting.
func (e *ExhaustedError) Timeout() bool { return true }

// giveBack returns what a waiter that gave up was granted.
func (p *Pool) giveBack(w *waiter, g grant) {
	if g.s != nil {
		p.Put(g.s, nil)
	}
}

// Put gives a session back. err is the error of its last exchange: a
// session it shows Broken, or one given up after a stall or a cancelled
// call (doomed), is closed instead.
func (p *Pool) Put(s *Session, err error) {
	if Broken(err) || s.isDoomed() || s.ctl != nil && s.ctl.longLine.Load() {
		p.Discard(s)
		return
	}
	p.mu.Lock()
	delete(p.bgHeld, s)
	if p.closed {
		p.mu.Unlock()
		p.Discard(s)
		return
	}
	p.idle = append(p.idle, s)
	p.returns++
	p.dispatch()
	p.mu.Unlock()
}

// Discard closes a session taken with Get, instead of giving it back.
func (p *Pool) Discard(s *Session) {
	s.Close()
	p.mu.Lock()
	delete(p.bgHeld, s)
	p.live--
	p.returns++
	p.dispatch()
	p.mu.Unlock()
}

// Close closes the idle sessions, fails the waiting callers and stops
// the dials in flight; sessions in use are closed when they come back.
func (p *Pool) Close() {
	p.mu.Lock()
	idle, waiters := p.idle, p.waiters
	p.idle, p.waiters, p.closed = nil, nil, true
	p.live -= len(idle)
	for _, w := range waiters {
		w.done <- grant{err: ErrClosed}
	}
	p.mu.Unlock()
	p.cancel()
	var wg sync.WaitGroup
	for _, s := range idle {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Close()
		}()
	}
	wg.Wait()
	p.dials.Wait()
}
