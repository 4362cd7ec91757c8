package devicefarm

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// stallGuard cancels an attempt's context when the attempt goes
// Options.StallTimeout without progress: from sending the request to the
// response headers, and between reads of the body. It uses a runtime timer,
// not a goroutine. A nil *stallGuard (from d <= 0) does nothing.
type stallGuard struct {
	d     time.Duration
	timer *time.Timer
	fired atomic.Bool
}

// startStallGuard returns a guard that calls cancel after d without
// progress, or nil when d <= 0.
func startStallGuard(d time.Duration, cancel context.CancelFunc) *stallGuard {
	if d <= 0 {
		return nil
	}
	g := &stallGuard{d: d}
	g.timer = time.AfterFunc(d, func() {
		g.fired.Store(true)
		cancel()
	})
	return g
}

// progress restarts the countdown: something arrived.
func (g *stallGuard) progress() {
	if g != nil {
		g.timer.Reset(g.d)
	}
}

func (g *stallGuard) stop() {
	if g != nil {
		g.timer.Stop()
	}
}

// explain returns the error to report for err, an attempt's transport
// error: when the guard fired, err is only the cancellation it caused, and
// the stall is the cause.
func (g *stallGuard) explain(err error) error {
	if g == nil || !g.fired.Load() {
		return err
	}
	return fmt.Errorf("%w (nothing for %v)", ErrStalled, g.d)
}
