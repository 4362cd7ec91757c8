package devicefarm

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A Date header that differs from the local clock teaches the client a skew:
// the next call signs at local time + skew and, with a deadline, adds ttl.
func TestClockSkew_AppliedToSigningTimeAndTTL(t *testing.T) {
	t.Parallel()
	local := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	server := local.Add(37 * time.Minute)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		respond(w, 200, []byte(`{}`), "Date", server.Format(http.TimeFormat))
	}, fixedClock(local))

	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)

	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_, err = c.ListTestGridSessions(ctx, testInput())
	require.NoError(t, err)

	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "20240301T120000Z", reqs[0].Header.Get("X-Amz-Date"))
	assert.Equal(t, "attempt=1; max=3", reqs[0].Header.Get("Amz-Sdk-Request"), "no deadline and no skew: no ttl")
	assert.Equal(t, "20240301T123700Z", reqs[1].Header.Get("X-Amz-Date"), "signing time = local clock + learned skew")
	wantTTL := deadline.Add(37 * time.Minute).UTC().Format("20060102T150405Z")
	assert.Equal(t, "attempt=1; max=3; ttl="+wantTTL, reqs[1].Header.Get("Amz-Sdk-Request"))
}

// skewServer is a server whose clock runs an hour ahead: it rejects a
// request signed more than 5 minutes away from its clock, and every
// response carries its own Date, plus extraHeaders.
func skewServer(t *testing.T, extraHeaders ...string) (*testServer, *Client) {
	serverNow := func() time.Time { return time.Now().Add(time.Hour) }
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		headers := append([]string{"Date", serverNow().UTC().Format(http.TimeFormat)}, extraHeaders...)
		signed, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil || absDuration(serverNow().Sub(signed)) > 5*time.Minute {
			respond(w, 403, []byte(`{"__type":"InvalidSignatureException","message":"Signature expired"}`), headers...)
			return
		}
		respond(w, 200, []byte(retryOKBody), headers...)
	})
}

func signingTimes(t *testing.T, reqs []recordedRequest) []time.Time {
	var ts []time.Time
	for _, r := range reqs {
		st, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		require.NoError(t, err)
		ts = append(ts, st)
	}
	return ts
}

func TestClockSkew_Correction(t *testing.T) {
	ts, c := skewServer(t)

	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	times := signingTimes(t, ts.Requests())
	require.Len(t, times, 2, "the skew error must be retried once")
	assert.InDelta(t, time.Hour.Seconds(), times[1].Sub(times[0]).Seconds(), 60, "the retry must be signed about an hour ahead")
	assert.InDelta(t, time.Hour.Seconds(), time.Duration(c.skew.Load()).Seconds(), 60, "the learned skew is stored on the client")

	_, err = c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	times = signingTimes(t, ts.Requests())
	require.Len(t, times, 3, "the next call's first attempt is already corrected")
	assert.InDelta(t, 0, times[2].Sub(times[1]).Seconds(), 60)
}

func TestClockSkew_StoredEvenWhenTheCallFails(t *testing.T) {
	// Without retries the skew error fails the call, but the skew it
	// revealed is kept for the client's next call.
	ts, c := skewServer(t)
	_, err := c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) { o.RetryMaxAttempts = 1 })
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidSignatureException", ae.Code)
	require.Len(t, ts.Requests(), 1)

	_, err = c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) { o.RetryMaxAttempts = 1 })
	require.NoError(t, err)
	times := signingTimes(t, ts.Requests())
	require.Len(t, times, 2)
	assert.InDelta(t, time.Hour.Seconds(), times[1].Sub(times[0]).Seconds(), 60)
}

func TestClockSkew_CorrectionDisabled(t *testing.T) {
	// As aws.Config.DisableClockSkewCorrection: the skew is neither learned
	// nor retried for.
	ts, c := skewServer(t)
	_, err := c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) { o.DisableClockSkewCorrection = true })
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidSignatureException", ae.Code)
	assert.Len(t, ts.Requests(), 1)
	assert.Equal(t, int64(0), c.skew.Load())
}

func TestClockSkew_IgnoresCachedResponses(t *testing.T) {
	// A response with an Age header may carry a stale Date: it says nothing
	// about the server's clock.
	ts, c := skewServer(t, "Age", "10")
	requireSignatureErrorNotRetried(t, ts, c)
	assert.Equal(t, int64(0), c.skew.Load())
}

func TestClockSkew_SignatureErrorWithoutSkewIsNotRetried(t *testing.T) {
	ts, c := newTestServer(t, retryScript(retryStep{status: 403, body: `{"__type":"InvalidSignatureException","message":"bad signature"}`}, ok200))
	requireSignatureErrorNotRetried(t, ts, c)
}

// requireSignatureErrorNotRetried makes one call with c and requires an
// InvalidSignatureException after a single request.
func requireSignatureErrorNotRetried(t *testing.T, ts *testServer, c *Client) {
	t.Helper()
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidSignatureException", ae.Code)
}
