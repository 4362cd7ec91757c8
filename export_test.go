package devicefarm

import "time"

// SyncBuffer is the internal tests' concurrency-safe log buffer, exported to
// the external tests (package devicefarm_test) of this directory only.
type SyncBuffer = syncBuffer

// WithClock sets the clock a Client signs with, for the external tests of
// this directory that simulate time.
func WithClock(now func() time.Time) func(*Options) {
	return func(o *Options) { o.now = now }
}
