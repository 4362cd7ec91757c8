package devicefarmtest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestRequestsRecorded checks what Requests reports of a successful call,
// a failed one, an unsigned request and a faulted one, that it returns
// copies, and ResetRequests.
func TestRequestsRecorded(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	s := newServer(t, fixedClock(now))
	s.Seed(projectArn, 3, 1)
	c := s.Client()

	out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 2, Status: closed})
	require.NoError(t, err)
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn2})
	require.Error(t, err)
	unsigned := do(t, newRawRequest(t, s, `{}`))
	f := devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML, Status: 503}
	s.Inject(devicefarmtest.Match{}, f)
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err, "retried")

	reqs := s.Requests()
	require.Len(t, reqs, 5)
	r := reqs[0]
	assert.Equal(t, now, r.Time)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/", r.Path)
	assert.Equal(t, listTarget, r.Target)
	assert.Contains(t, r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+s.Options().AccessKeyID+"/")
	assert.Equal(t, jsonType, r.Header.Get("Content-Type"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &body))
	assert.Equal(t, map[string]any{"projectArn": projectArn, "maxResult": 2.0, "status": "CLOSED"}, body)
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Empty(t, r.ErrorCode)
	assert.Nil(t, r.Fault)
	assert.Equal(t, out.RequestID, r.RequestID)

	assert.Equal(t, http.StatusBadRequest, reqs[1].StatusCode)
	assert.Equal(t, devicefarm.CodeNotFoundException, reqs[1].ErrorCode)
	assert.Equal(t, http.StatusForbidden, reqs[2].StatusCode)
	assert.Equal(t, "MissingAuthenticationTokenException", reqs[2].ErrorCode)
	assert.Equal(t, unsigned.Header.Get("X-Amzn-RequestId"), reqs[2].RequestID)
	require.NotNil(t, reqs[3].Fault)
	assert.Equal(t, f, *reqs[3].Fault)
	assert.Equal(t, 503, reqs[3].StatusCode)
	assert.Empty(t, reqs[3].ErrorCode, "an HTML page has no error code")
	assert.Nil(t, reqs[4].Fault)

	seen := map[string]bool{}
	for _, r := range reqs {
		assert.False(t, seen[r.RequestID], "request IDs are unique")
		seen[r.RequestID] = true
	}

	// Requests returns copies.
	reqs[0].Header.Set("Authorization", "changed")
	reqs[0].Body[0] = 'X'
	reqs[3].Fault.Status = 1
	again := s.Requests()
	assert.NotEqual(t, "changed", again[0].Header.Get("Authorization"))
	assert.Equal(t, byte('{'), again[0].Body[0])
	assert.Equal(t, 503, again[3].Fault.Status)

	s.ResetRequests()
	assert.Empty(t, s.Requests())
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, s.Requests(), 1)
}

func TestRequestLogLimit(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) { o.RequestLogLimit = 3 })
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	c := s.Client()
	for i := range 10 {
		_, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: int32(i + 1)})
		require.NoError(t, err)
		reqs := s.Requests()
		require.Len(t, reqs, min(i+1, 3))
		var body map[string]any
		require.NoError(t, json.Unmarshal(reqs[len(reqs)-1].Body, &body))
		assert.Equal(t, float64(i+1), body["maxResult"], "the most recent are kept")
	}
}
