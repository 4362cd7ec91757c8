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
	g := startStallGuard(-1, func() { t.Fatal("a disabled guard cancelled") })
	require.Nil(t, g)
	g.progress()
	g.stop()
	cause := errors.New("EOF")
	assert.Same(t, cause, g.explain(cause))
}

func TestStallGuard_ExplainsOnlyItsOwnCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	g := startStallGuard(time.Hour, cancel)
	defer g.stop()
	cause := context.Canceled
	assert.Same(t, cause, g.explain(cause), "not fired: the error is the transport's")

	fired := make(chan struct{})
	g2 := startStallGuard(time.Millisecond, func() { cancel(); close(fired) })
	<-fired
	<-ctx.Done()
	err := g2.explain(context.Canceled)
	require.ErrorIs(t, err, ErrStalled)
	assert.NotErrorIs(t, err, context.Canceled, "a stall must not look like the caller's cancellation")
	assert.Contains(t, err.Error(), "nothing for 1ms")
}

// A body that keeps arriving, however slowly, is never cut: each read that
// brings bytes restarts the countdown.
func TestStallGuard_SlowButSteadyBodySucceeds(t *testing.T) {
	t.Parallel()
	body := []byte(`{"testGridSessions":[],"nextToken":"0123456789abcdef"}`)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		for i := range body {
			_, _ = w.Write(body[i : i+1])
			_ = rc.Flush()
			time.Sleep(20 * time.Millisecond) // ~1.1 s in all, 25 times under the timeout's gap
		}
	}, func(o *Options) { o.StallTimeout = 500 * time.Millisecond })
	out, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	assert.Equal(t, "0123456789abcdef", out.NextToken)
	assert.Len(t, ts.Requests(), 1)
}
