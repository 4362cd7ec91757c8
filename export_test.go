package devicefarm

import "context"

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
