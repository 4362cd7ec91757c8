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
	timer stallTimer
	fired atomic.Bool
}

// stallTimer is the countdown of a stallGuard: a *time.Timer from
// time.AfterFunc, or a test's timer that fires on cue.
type stallTimer interface {
	Reset(time.Duration) bool
	Stop() bool
}

// afterFunc starts a stallTimer that calls f after d: Options.stallTimer's
// default.
func afterFunc(d time.Duration, f func()) stallTimer { return time.AfterFunc(d, f) }

// startStallGuard returns a guard that calls cancel after d without
// progress, or nil when d <= 0. newTimer starts its countdown (nil:
// afterFunc).
func startStallGuard(d time.Duration, cancel context.CancelFunc, newTimer func(time.Duration, func()) stallTimer) *stallGuard {
	if d <= 0 {
		return nil
	}
	if newTimer == nil {
		newTimer = afterFunc
	}
	g := &stallGuard{d: d}
	g.timer = newTimer(d, func() {
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
