package devicefarm

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Test helpers that make events happen on cue rather than after a time:
// contexts whose deadline passes when told, stall timers fired by the test,
// and a call run aside to be awaited. With them no test's outcome depends
// on how fast the machine is.

// expiringContext is a context whose deadline passes when the test says so,
// not at a time: expire makes Done close and Err return
// context.DeadlineExceeded. A deadline test built on it does not depend on
// how fast the machine is.
type expiringContext struct {
	context.Context // Background: no values, no Deadline
	done            chan struct{}
	once            sync.Once
}

func newExpiringContext() *expiringContext {
	return &expiringContext{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringContext) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *expiringContext) Done() <-chan struct{} { return c.done }

func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// awaitSignal waits for ch, failing the test with msg after a generous
// safety timeout (a hang guard, not a timing assertion).
func awaitSignal(t *testing.T, ch <-chan struct{}, msg string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal(msg)
	}
}

// callAsync makes one call on another goroutine and delivers its error.
func callAsync(ctx context.Context, c *Client) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := c.ListTestGridSessions(ctx, testInput())
		done <- err
	}()
	return done
}

// awaitCall waits for a callAsync result, failing the test with msg after a
// generous safety timeout (a hang guard, not a timing assertion).
func awaitCall(t *testing.T, done <-chan error, msg string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal(msg)
		return nil
	}
}

// Stall timers that fire on cue.

// cueTimers replaces the stall guard's countdowns (Options.stallTimer) with
// timers that never elapse by themselves: the test fires them on cue, so a
// stall test does not depend on how fast the machine is. Timer k (1-based)
// is the k-th started, one per attempt.
type cueTimers struct {
	mu     sync.Mutex
	timers []*cueTimer
}

type cueTimer struct {
	owner  *cueTimers
	f      func()
	armed  bool
	resets int
}

// Option installs the timers in a Client's options.
func (c *cueTimers) Option(o *Options) { o.stallTimer = c.start }

func (c *cueTimers) start(_ time.Duration, f func()) stallTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &cueTimer{owner: c, f: f, armed: true}
	c.timers = append(c.timers, t)
	return t
}

func (t *cueTimer) Reset(time.Duration) bool {
	t.owner.mu.Lock()
	defer t.owner.mu.Unlock()
	was := t.armed
	t.armed, t.resets = true, t.resets+1
	return was
}

func (t *cueTimer) Stop() bool {
	t.owner.mu.Lock()
	defer t.owner.mu.Unlock()
	was := t.armed
	t.armed = false
	return was
}

// Resets reports whether timer k was started, and how many times it was
// reset: once per sign of progress (response headers, body bytes).
func (c *cueTimers) Resets(k int) (started bool, resets int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k > len(c.timers) {
		return false, 0
	}
	return true, c.timers[k-1].resets
}

// Fire fires timer k as if its countdown had elapsed, if it is armed, and
// reports whether it did.
func (c *cueTimers) Fire(k int) bool {
	c.mu.Lock()
	if k > len(c.timers) || !c.timers[k-1].armed {
		c.mu.Unlock()
		return false
	}
	t := c.timers[k-1]
	t.armed = false
	c.mu.Unlock()
	t.f()
	return true
}
