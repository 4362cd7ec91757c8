package devicefarm

import (
	"context"
	"time"
)

// SyncBuffer is the internal tests' concurrency-safe log buffer, exported to
// the external tests (package devicefarm_test) of this directory only.
type SyncBuffer = syncBuffer

// NewExpiringContext returns a context whose deadline passes when expire is
// called (see expiringContext), for the external tests.
func NewExpiringContext() (ctx context.Context, expire func()) {
	c := newExpiringContext()
	return c, c.expire
}

// StallCues are stall timers that fire on cue (see cueTimers), for the
// external tests.
type StallCues = cueTimers

// NewStallCues returns stall timers to install with their Option method.
func NewStallCues() *StallCues { return &cueTimers{} }

// WithClock sets the clock a Client signs with, for the external tests of
// this directory that simulate time.
func WithClock(now func() time.Time) func(*Options) {
	return func(o *Options) { o.now = now }
}
