package devicefarm_test

import (
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// When the fault matrix's deadlines pass and its stall timers fire: on
// events, never after a time.

// deadlineCue says when a row's context deadline passes: on an event, not
// after a time, so that the row's outcome does not depend on how fast the
// machine is (a deadline of 300 ms could pass before the request is even
// sent on a loaded machine).
type deadlineCue int

const (
	noDeadline        deadlineCue = iota // defaultCallTimeout only
	deadlineAtServer                     // once the server has the first request
	deadlineInBackoff                    // once the retryer has chosen a backoff delay (of a minute)
)

// awaitCue returns when cue has happened: the server has received a
// request, or the retryer has chosen a backoff delay. It gives up after
// defaultCallTimeout (a hang guard: the row then fails on its outcome).
func awaitCue(srv *devicefarmtest.Server, cue deadlineCue, backoffChosen <-chan struct{}) {
	guard := time.NewTimer(defaultCallTimeout)
	defer guard.Stop()
	switch cue {
	case deadlineInBackoff:
		select {
		case <-backoffChosen:
		case <-guard.C:
		}
	case deadlineAtServer:
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for len(srv.Requests()) == 0 {
			select {
			case <-tick.C:
			case <-guard.C:
				return
			}
		}
	}
}

// stallCue says when a row fires attempt k's stall timer.
type stallCue int

const (
	noStall          stallCue = iota
	stallAtServer             // once the server has received request k
	stallAfterHeader          // once attempt k's response headers arrived
)

// fireStalls fires the stall timers of attempts 1..n, each on its cue. It
// gives up after defaultCallTimeout (a hang guard).
func fireStalls(srv *devicefarmtest.Server, cues *devicefarm.StallCues, cue stallCue, n int) {
	deadline := time.Now().Add(defaultCallTimeout)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for k := 1; k <= n; k++ {
		for {
			started, resets := cues.Resets(k)
			ready := started && (cue == stallAtServer && len(srv.Requests()) >= k || cue == stallAfterHeader && resets > 0)
			if ready && cues.Fire(k) {
				break
			}
			if time.Now().After(deadline) {
				return
			}
			<-tick.C
		}
	}
}
