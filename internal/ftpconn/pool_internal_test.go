package ftpconn

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// fakeDialer makes sessions with no connection; after the first free
// ones, each dial waits for a token on gate (or for its context).
type fakeDialer struct {
	free   int
	gate   chan struct{}
	calls  atomic.Int32
	active atomic.Int32 // dials running
}

func (d *fakeDialer) dial(ctx context.Context, mode ListMode) (*Session, error) {
	d.active.Add(1)
	defer d.active.Add(-1)
	if int(d.calls.Add(1)) > d.free {
		select {
		case <-d.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &Session{mode: mode, used: time.Now()}, nil
}

// eventually polls cond until it holds, or fails the test after a while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not true: %s", what)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// waiting returns the number of callers in line.
func (p *Pool) waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiters)
}

// A caller that finds no idle session takes the first that comes: one
// given back before its own dial ends. The dial's session joins the idle
// list.
func TestPoolTakesReturnedSessionBeforeSlowDial(t *testing.T) {
	d := &fakeDialer{free: 1, gate: make(chan struct{})}
	p := NewPool(4, 0, d.dial)
	defer p.Close()
	a, err := p.Get(t.Context(), ListDefault)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *Session)
	go func() {
		s, err := p.Get(t.Context(), ListDefault)
		if err != nil {
			t.Error(err)
		}
		got <- s
	}()
	eventually(t, "a second dial started", func() bool { return d.calls.Load() == 2 })
	p.Put(a, nil)
	if s := <-got; s != a {
		t.Fatalf("second get = %p, want the session given back (%p)", s, a)
	}
	d.gate <- struct{}{} // the slow dial ends
	eventually(t, "the dialed session is idle", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.idle) == 1 && p.live == 2
	})
}

// poolWithOneIdle returns a pool of 4 over a dialer whose later dials
// wait for its gate, holding one idle session a, and believing a dial
// costs dialCost. The pool closes when the test ends.
func poolWithOneIdle(t *testing.T, dialCost time.Duration) (*fakeDialer, *Pool, *Session) {
	t.Helper()
	d := &fakeDialer{free: 1, gate: make(chan struct{})}
	p := NewPool(4, 0, d.dial)
	t.Cleanup(p.Close)
	a, err := p.Get(t.Context(), ListDefault)
	if err != nil {
		t.Fatal(err)
	}
	p.Put(a, nil)
	p.mu.Lock()
	p.dialCost = dialCost
	p.mu.Unlock()
	return d, p, a
}

// A background caller never takes the only connection, and does not dial
// for a backlog smaller than a dial's cost.
func TestPoolBackgroundWaitsOnOneConnection(t *testing.T) {
	d, p, a := poolWithOneIdle(t, time.Second)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() {
		_, err := p.GetBackground(ctx, ListDefault, func() time.Duration { return time.Second })
		done <- err
	}()
	eventually(t, "the background caller waits", func() bool { return p.waiting() == 1 })
	if n := d.calls.Load(); n != 1 {
		t.Errorf("%d dials for a backlog of one dial's cost, want 1 (the first)", n)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("getBackground after cancel = %v, want context.Canceled", err)
	}
	if s, err := p.Get(t.Context(), ListDefault); err != nil || s != a {
		t.Errorf("get = %p, %v, want the idle session %p", s, err, a)
	}
}

// A background caller with a backlog well over a dial's cost dials, and
// meanwhile may use the open session.
func TestPoolBackgroundDialsForALargeBacklog(t *testing.T) {
	d, p, a := poolWithOneIdle(t, time.Millisecond)
	s, err := p.GetBackground(t.Context(), ListDefault, func() time.Duration { return time.Second })
	if err != nil || s != a {
		t.Fatalf("getBackground = %p, %v, want the open session %p while a dial runs", s, err, a)
	}
	eventually(t, "a second dial started", func() bool { return d.calls.Load() == 2 })
	// The foreground is never left without a way to a session: it dials.
	got := make(chan *Session)
	go func() {
		s, _ := p.Get(t.Context(), ListDefault)
		got <- s
	}()
	d.gate <- struct{}{}
	if s := <-got; s == nil || s == a {
		t.Errorf("foreground get = %p, want the new session", s)
	}
	p.Put(a, nil)
}

// Close fails the callers in line and stops the dials in flight before
// it returns.
func TestPoolCloseStopsDials(t *testing.T) {
	d := &fakeDialer{gate: make(chan struct{})}
	p := NewPool(2, 0, d.dial)
	before := runtime.NumGoroutine()
	done := make(chan error)
	go func() {
		_, err := p.Get(t.Context(), ListDefault)
		done <- err
	}()
	eventually(t, "a dial started", func() bool { return d.calls.Load() == 1 })
	p.Close()
	if n := d.active.Load(); n != 0 {
		t.Errorf("%d dials still running after close", n)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("get during close = %v, want ErrClosed", err)
	}
	eventually(t, "no goroutine left", func() bool { return runtime.NumGoroutine() <= before })
	if _, err := p.Get(t.Context(), ListDefault); !errors.Is(err, ErrClosed) {
		t.Errorf("get after close = %v, want ErrClosed", err)
	}
}

// A server's 421 teaches the pool its limit: the caller waits for a
// session to come back.
func TestPoolLearnsLimitFromDial(t *testing.T) {
	calls := 0
	p := NewPool(4, 0, func(ctx context.Context, mode ListMode) (*Session, error) {
		calls++ // dials run one at a time here
		if calls > 1 {
			return nil, &ReplyError{Code: 421, Message: "too many"}
		}
		return &Session{mode: mode, used: time.Now()}, nil
	})
	defer p.Close()
	a, err := p.Get(t.Context(), ListDefault)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *Session)
	go func() {
		s, _ := p.Get(t.Context(), ListDefault)
		got <- s
	}()
	eventually(t, "the limit is learned", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.limit == 1
	})
	p.Put(a, nil)
	if s := <-got; s != a {
		t.Errorf("get = %p, want the session given back %p", s, a)
	}
}
