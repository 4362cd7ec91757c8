package devicefarm

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOptions_NegativeNumbersRefused: a negative numeric option that has no
// meaning fails every call with a *ValidationError naming it, before
// anything is sent.
func TestOptions_NegativeNumbersRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		set   func(*Options)
		field string
		rule  string
	}{
		{"MaxResponseBytes", func(o *Options) { o.MaxResponseBytes = -1 }, "MaxResponseBytes", "must not be negative, got -1"},
		{"StallTimeout", func(o *Options) { o.StallTimeout = -time.Second }, "StallTimeout", "must not be negative, got -1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, how := range []string{"New", "per call"} {
				ts, c := newTestServer(t, retryScript(retryStep{status: 200, body: retryOKBody}))
				var err error
				if how == "New" {
					c = New(c.Options(), tt.set)
					_, err = c.ListTestGridSessions(context.Background(), testInput())
				} else {
					_, err = c.ListTestGridSessions(context.Background(), testInput(), tt.set)
				}
				var ve *ValidationError
				require.ErrorAs(t, err, &ve, how)
				assert.Equal(t, &ValidationError{Struct: "Options", Field: tt.field, Rule: tt.rule}, ve, how)
				assert.Contains(t, err.Error(), "invalid Options."+tt.field+": "+tt.rule, how)
				assert.Equal(t, 0, requireOperationError(t, err), how)
				assert.Empty(t, ts.Requests(), how)
			}
		})
	}
}

// TestOptions_ZeroSelectsDefaults: zero numeric options select the defaults.
func TestOptions_ZeroSelectsDefaults(t *testing.T) {
	t.Parallel()
	o := New(Options{}).Options()
	assert.Equal(t, int64(DefaultMaxResponseBytes), o.MaxResponseBytes)
	assert.Equal(t, DefaultStallTimeout, o.StallTimeout)
	assert.Zero(t, o.RetryMaxAttempts, "the retryer's own maximum")
}

// TestOptions_NegativeRetryMaxAttemptsRemovesTheLimit: as for the official
// client, a negative RetryMaxAttempts removes the attempt limit (and is
// sent as max=-1): a call retries past the default 3 attempts until it
// succeeds.
func TestOptions_NegativeRetryMaxAttemptsRemovesTheLimit(t *testing.T) {
	t.Parallel()
	unavailable := retryStep{status: 503, body: `{"__type":"ServiceUnavailableException","message":"busy"}`}
	steps := []retryStep{unavailable, unavailable, unavailable, unavailable, unavailable, {status: 200, body: retryOKBody}}
	ts, c := newTestServer(t, retryScript(steps...), func(o *Options) { o.RetryMaxAttempts = -1 })
	out, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 1)
	reqs := ts.Requests()
	require.Len(t, reqs, 6)
	assert.Equal(t, "attempt=6; max=-1", reqs[5].Header.Get("Amz-Sdk-Request"))
	assert.Equal(t, -1, c.resolved.retryer.MaxAttempts())
}
