package devicefarm

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStallTimeout_Defaults(t *testing.T) {
	t.Parallel()
	assert.Equal(t, DefaultStallTimeout, New(Options{}).Options().StallTimeout)

	// A guard without a timeout is nil, and its methods do nothing.
	g := startStallGuard(-1, func() { t.Fatal("a disabled guard cancelled") }, nil)
	require.Nil(t, g)
	g.progress()
	g.stop()
	cause := errors.New("EOF")
	assert.Same(t, cause, g.explain(cause))
}

func TestStallGuard_ExplainsOnlyItsOwnCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	g := startStallGuard(time.Hour, cancel, nil)
	defer g.stop()
	cause := context.Canceled
	assert.Same(t, cause, g.explain(cause), "not fired: the error is the transport's")

	fired := make(chan struct{})
	g2 := startStallGuard(time.Millisecond, func() { cancel(); close(fired) }, nil)
	<-fired
	<-ctx.Done()
	err := g2.explain(context.Canceled)
	require.ErrorIs(t, err, ErrStalled)
	assert.NotErrorIs(t, err, context.Canceled, "a stall must not look like the caller's cancellation")
	assert.Contains(t, err.Error(), "nothing for 1ms")
}

// A body that keeps arriving, however slowly, is never cut: each read that
// brings bytes restarts the countdown. The server sends one byte at a time
// and the next only once the client's countdown was restarted; the stall
// timers never elapse by themselves, so only a missing restart could stop
// the body (the test would then hang, and fail on its guard).
func TestStallGuard_SlowButSteadyBodySucceeds(t *testing.T) {
	t.Parallel()
	body := []byte(`{"testGridSessions":[],"nextToken":"0123456789abcdef"}`)
	cues := &cueTimers{}
	restarted := func(after int) bool {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if _, n := cues.Resets(1); n > after {
				return true
			}
		}
		return false // a hang guard, not a timing assertion
	}
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		for i := range body {
			_, before := cues.Resets(1)
			_, _ = w.Write(body[i : i+1])
			_ = rc.Flush()
			if !restarted(before) {
				t.Errorf("byte %d: the countdown was not restarted", i)
				return
			}
		}
	}, func(o *Options) { o.StallTimeout = 500 * time.Millisecond }, cues.Option)
	out, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	assert.Equal(t, "0123456789abcdef", out.NextToken)
	assert.Len(t, ts.Requests(), 1)
	_, resets := cues.Resets(1)
	assert.GreaterOrEqual(t, resets, len(body), "a restart per byte")
}
