package devicefarmtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

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

	reqs := s.Requests()
	require.Len(t, reqs, 3)
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

	seen := map[string]bool{}
	for _, r := range reqs {
		assert.False(t, seen[r.RequestID], "request IDs are unique")
		seen[r.RequestID] = true
	}

	// Requests returns copies.
	reqs[0].Header.Set("Authorization", "changed")
	reqs[0].Body[0] = 'X'
	again := s.Requests()
	assert.NotEqual(t, "changed", again[0].Header.Get("Authorization"))
	assert.Equal(t, byte('{'), again[0].Body[0])

	s.ResetRequests()
	assert.Empty(t, s.Requests())
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, s.Requests(), 1)
}

func TestRequestsRecordFault(t *testing.T) {
	s := newServer(t)
	s.AddProject(projectArn)
	f := devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML, Status: 503}
	s.FailNext(1, f)
	_, err := s.Client(oneAttempt).ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.Error(t, err)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	require.NotNil(t, reqs[0].Fault)
	assert.Equal(t, f, *reqs[0].Fault)
	assert.Equal(t, 503, reqs[0].StatusCode)
	assert.Empty(t, reqs[0].ErrorCode)
	reqs[0].Fault.Status = 1
	assert.Equal(t, 503, s.Requests()[0].Fault.Status, "the fault is copied too")
}

func TestServerAccessors(t *testing.T) {
	s := devicefarmtest.NewServer()
	defer s.Close()
	o := s.Options()
	assert.Equal(t, devicefarmtest.DefaultRegion, o.Region)
	assert.Equal(t, devicefarmtest.DefaultAccessKeyID, o.AccessKeyID)
	assert.Equal(t, devicefarmtest.DefaultSecretAccessKey, o.SecretAccessKey)
	assert.Empty(t, o.SessionToken)
	assert.Equal(t, devicefarmtest.DefaultPageSize, o.DefaultPageSize)
	assert.Equal(t, 50, devicefarmtest.DefaultPageSize)
	assert.NotNil(t, o.Now)
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, s.URL)
	creds := serverCreds(t, s)
	assert.Equal(t, o.AccessKeyID, creds.AccessKeyID)
	assert.Equal(t, o.SecretAccessKey, creds.SecretAccessKey)

	co := s.Client().Options()
	assert.Equal(t, s.URL, co.BaseEndpoint)
	assert.Equal(t, "us-west-2", co.Region)
	assert.NotNil(t, co.Retryer)
	assert.Equal(t, 3, co.Retryer.MaxAttempts())
	assert.Equal(t, "eu-west-1", s.Client(func(o *devicefarm.Options) { o.Region = "eu-west-1" }).Options().Region)
}

func TestOtherRegion(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) { o.Region = "eu-central-1" })
	s.AddProject(projectArn)
	_, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err, "the client signs for the server's region")
	_, err = s.Client(func(o *devicefarm.Options) { o.Region = "us-west-2" }).ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	assert.Equal(t, "InvalidSignatureException", apiError(t, err).ErrorCode())
}

func TestRequestLogLimit(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) { o.RequestLogLimit = 3 })
	s.AddProject(projectArn)
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

func TestUnstartedServer(t *testing.T) {
	s := devicefarmtest.NewUnstartedServer(func(o *devicefarmtest.Options) { o.Epoch = epoch })
	defer s.Close()
	assert.Empty(t, s.URL)
	assert.Panics(t, func() { s.Client() })
	s.Seed(projectArn, 5, 1)

	// Mounted on a server of one's own.
	own := httptest.NewServer(s.Handler())
	defer own.Close()
	c := devicefarm.New(devicefarm.Options{
		Region: devicefarmtest.DefaultRegion, BaseEndpoint: own.URL, Credentials: s.Credentials(), HTTPClient: own.Client(),
	})
	out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 5)

	s.Start()
	assert.NotEmpty(t, s.URL)
	assert.Panics(t, s.Start, "started twice")
	out, err = s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 5)
}

func TestProjectsAndClearProjects(t *testing.T) {
	s := newServer(t)
	assert.Empty(t, s.Projects())
	s.Seed(projectArn2, 4, 1)
	s.AddProject(projectArn)
	assert.Equal(t, []devicefarmtest.Project{{Arn: projectArn2, Sessions: 4}, {Arn: projectArn, Sessions: 0}}, s.Projects(), "sorted by Arn")

	s.ClearProjects()
	assert.Empty(t, s.Projects())
	assert.Nil(t, s.Sessions(projectArn2))
	_, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn2})
	var nf *devicefarm.NotFoundException
	require.ErrorAs(t, err, &nf)
}
