package ftpfs

import (
	"context"
	"sync"
	"time"
)

// pool bounds and reuses the Fs's sessions. A caller takes a token (so at
// most cap(tokens) sessions exist at once, idle ones included), then an
// idle session of the kind it needs, or dials one. Callers wait for a
// token, without failing, until their context ends.
type pool struct {
	dial   func(ctx context.Context, mode listMode) (*session, error)
	tokens chan struct{}
	// probeAfter is how long a session may idle before it is checked with
	// NOOP on its way out of the pool (servers drop idle sessions).
	probeAfter time.Duration

	mu     sync.Mutex
	idle   []*session // most recently used last
	closed bool
}

func newPool(maxConns int, dial func(ctx context.Context, mode listMode) (*session, error)) *pool {
	return &pool{dial: dial, tokens: make(chan struct{}, maxConns), probeAfter: 15 * time.Second}
}

// get returns a session of the given mode, waiting for a free slot.
func (p *pool) get(ctx context.Context, mode listMode) (*session, error) {
	select {
	case p.tokens <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		s, stale, err := p.takeIdle(mode)
		if err != nil {
			<-p.tokens
			return nil, err
		}
		if stale != nil {
			// The slot goes to a session of another kind: close an idle
			// session to stay within the bound.
			stale.close()
		}
		if s == nil {
			break
		}
		if time.Since(s.lastUsed) < p.probeAfter || s.run(ctx, s.conn.NoOp) == nil {
			return s, nil
		}
		s.close() // dropped by the server while idle
	}
	s, err := p.dial(ctx, mode)
	if err != nil {
		<-p.tokens
		return nil, err
	}
	return s, nil
}

// reserve takes a slot for a connection that is not a pooled session
// (the SITE connection), closing an idle session if the slots are all
// spoken for. release gives the slot back.
func (p *pool) reserve(ctx context.Context) (release func(), err error) {
	select {
	case p.tokens <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	var stale *session
	if len(p.idle)+len(p.tokens) > cap(p.tokens) {
		stale, p.idle = p.idle[0], p.idle[1:]
	}
	p.mu.Unlock()
	if stale != nil {
		stale.close()
	}
	return func() { <-p.tokens }, nil
}

// takeIdle removes an idle session of the mode from the pool, or, when
// the pool holds only sessions of other modes and no token is left for a
// new one, an idle session to close.
func (p *pool) takeIdle(mode listMode) (s, stale *session, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, nil, errClosedFs
	}
	for i := len(p.idle) - 1; i >= 0; i-- {
		if p.idle[i].mode == mode {
			s = p.idle[i]
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			return s, nil, nil
		}
	}
	if len(p.idle)+len(p.tokens) > cap(p.tokens) {
		stale, p.idle = p.idle[0], p.idle[1:]
	}
	return nil, stale, nil
}

// put gives a session back; a broken one is closed instead.
func (p *pool) put(s *session, isBroken bool) {
	p.mu.Lock()
	if isBroken || p.closed {
		p.mu.Unlock()
		s.close()
	} else {
		p.idle = append(p.idle, s)
		p.mu.Unlock()
	}
	<-p.tokens
}

// close closes the idle sessions; sessions in use are closed when they
// come back.
func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
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
