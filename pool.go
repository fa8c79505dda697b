package ftpfs

import (
	"context"
	"sync"
	"time"
)

// pool bounds and reuses the Fs's sessions. A caller takes a token (so at
// most cap(tokens) callers hold a connection at once), then an idle session
// of the kind it needs, or dials one. Callers wait, without failing, until
// their context ends.
//
// A server may allow fewer connections than the bound: when it refuses one
// with 421 ("too many connections") while the pool has others, the pool
// learns that number as its limit for good, and callers past it wait for a
// session to come back instead.
type pool struct {
	dial   func(ctx context.Context, mode listMode) (*session, error)
	tokens chan struct{}
	// probeAfter is how long a session may idle before it is checked with
	// NOOP on its way out of the pool (servers drop idle sessions).
	probeAfter time.Duration

	mu     sync.Mutex
	idle   []*session // most recently used last
	live   int        // connections open: sessions in use and idle, and SITE connections
	limit  int        // the server's limit, once learned; 0 while unknown
	freed  chan struct{}
	closed bool
}

func newPool(maxConns int, dial func(ctx context.Context, mode listMode) (*session, error)) *pool {
	return &pool{
		dial:       dial,
		tokens:     make(chan struct{}, maxConns),
		probeAfter: 15 * time.Second,
		freed:      make(chan struct{}),
	}
}

// get returns a session of the given mode, waiting for a free slot.
func (p *pool) get(ctx context.Context, mode listMode) (*session, error) {
	select {
	case p.tokens <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		s, err := p.idleOrRoom(ctx, mode)
		if err != nil {
			<-p.tokens
			return nil, err
		}
		if s != nil {
			if time.Since(s.lastUsed) < p.probeAfter || s.run(ctx, s.conn.NoOp) == nil {
				return s, nil
			}
			p.discard(s) // dropped by the server while idle
			continue
		}
		s, err = p.dial(ctx, mode)
		if err == nil {
			return s, nil
		}
		if !p.learn(err) {
			<-p.tokens
			return nil, err
		}
	}
}

// idleOrRoom returns an idle session of the mode, or nil once there is
// room for a new connection (counted as live): within the bound, and
// within the learned limit, if need be by closing an idle session of
// another mode, or by waiting for one to come back.
func (p *pool) idleOrRoom(ctx context.Context, mode listMode) (*session, error) {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, errClosedFs
		}
		for i := len(p.idle) - 1; i >= 0; i-- {
			if s := p.idle[i]; s.mode == mode {
				p.idle = append(p.idle[:i], p.idle[i+1:]...)
				p.mu.Unlock()
				return s, nil
			}
		}
		full := p.limit > 0 && p.live >= p.limit || p.live >= cap(p.tokens)
		if !full {
			p.live++
			p.mu.Unlock()
			return nil, nil
		}
		if len(p.idle) > 0 {
			// Make room: close the least recently used idle session.
			stale := p.idle[0]
			p.idle = p.idle[1:]
			p.mu.Unlock()
			stale.close() // its slot passes to us: live stays
			return nil, nil
		}
		wait := p.freed
		p.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// learn accounts for a failed dial, and reports whether it was the server
// refusing one connection too many, which the caller should wait out.
func (p *pool) learn(err error) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live--
	if replyCode(err) != 421 || p.live == 0 {
		return false
	}
	if p.limit == 0 || p.live < p.limit {
		p.limit = p.live
	}
	return true
}

// reserve takes a slot for a connection that is not a pooled session
// (the SITE connection). release gives the slot back.
func (p *pool) reserve(ctx context.Context) (release func(), err error) {
	select {
	case p.tokens <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if _, err := p.idleOrRoom(ctx, listMode(255)); err != nil { // no session has that mode
		<-p.tokens
		return nil, err
	}
	return func() {
		p.mu.Lock()
		p.live--
		p.signal()
		p.mu.Unlock()
		<-p.tokens
	}, nil
}

// put gives a session back; a broken one is closed instead.
func (p *pool) put(s *session, isBroken bool) {
	if isBroken {
		p.discard(s)
	} else {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			p.discard(s)
		} else {
			p.idle = append(p.idle, s)
			p.signal()
			p.mu.Unlock()
		}
	}
	<-p.tokens
}

// discard closes a session that is not in the idle list.
func (p *pool) discard(s *session) {
	s.close()
	p.mu.Lock()
	p.live--
	p.signal()
	p.mu.Unlock()
}

// signal wakes the callers waiting for a session; p.mu must be held.
func (p *pool) signal() {
	close(p.freed)
	p.freed = make(chan struct{})
}

// close closes the idle sessions; sessions in use are closed when they
// come back.
func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.live -= len(idle)
	p.signal()
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range idle {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.close()
		}()
	}
	wg.Wait()
}
