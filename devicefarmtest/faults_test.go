package devicefarmtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestFaultErrorRetriedThenSucceeds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  devicefarmtest.Fault
		status int
		code   string
	}{
		{"InternalError", devicefarmtest.InternalError(), 500, "InternalServiceException"},
		{"Throttling", devicefarmtest.Throttling(), 400, "ThrottlingException"},
		{"ServiceUnavailable", devicefarmtest.ServiceUnavailable(), 503, "ServiceUnavailableException"},
		{"HTML", devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML}, 502, ""},
		{"HTML 504", devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML, Status: 504}, 504, ""},
		{"CloseMidBody", devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, in := seededServer(t)
			s.Inject(devicefarmtest.Match{}, tc.fault)
			out, err := s.Client().ListTestGridSessions(ctx, in)
			require.NoError(t, err)
			assert.Len(t, out.TestGridSessions, 5)
			reqs := s.Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, tc.status, reqs[0].StatusCode)
			assert.Equal(t, tc.code, reqs[0].ErrorCode)
			require.NotNil(t, reqs[0].Fault)
			assert.Equal(t, tc.fault, *reqs[0].Fault)
			assert.Equal(t, http.StatusOK, reqs[1].StatusCode)
			assert.Nil(t, reqs[1].Fault)
			assert.Empty(t, s.PendingFaults())
		})
	}
}

func TestFaultErrorExhaustsRetries(t *testing.T) {
	s, in := seededServer(t)
	s.Inject(devicefarmtest.Match{Times: 3}, devicefarmtest.InternalError())
	_, err := s.Client().ListTestGridSessions(ctx, in)
	var me *retry.MaxAttemptsError
	require.ErrorAs(t, err, &me)
	var ise *devicefarm.InternalServiceException
	require.ErrorAs(t, err, &ise)
	assert.Equal(t, 500, ise.StatusCode)
	assert.Equal(t, "Internal error (injected fault)", ise.Message)
	assert.Equal(t, 3, attempts(t, s))
	assert.Equal(t, []int{500, 500, 500}, statuses(s))

	s.ResetRequests()
	s.Inject(devicefarmtest.Match{Times: 3}, devicefarmtest.Throttling())
	_, err = s.Client().ListTestGridSessions(ctx, in)
	require.ErrorAs(t, err, &me)
	ae := apiError(t, err)
	assert.Equal(t, "ThrottlingException", ae.ErrorCode())
	assert.Equal(t, "Rate exceeded", ae.ErrorMessage())

	s.Inject(devicefarmtest.Match{Times: 3}, devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML})
	_, err = s.Client().ListTestGridSessions(ctx, in)
	require.ErrorAs(t, err, &me)
	var apiErr *devicefarm.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, devicefarm.CodeUnknownError, apiErr.Code)
	assert.Contains(t, apiErr.Message, "502 Bad Gateway")
}

func TestFaultErrorDefaultsAndCustom(t *testing.T) {
	s, in := seededServer(t)
	c := s.Client(oneAttempt)

	s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultError})
	_, err := c.ListTestGridSessions(ctx, in)
	var ise *devicefarm.InternalServiceException
	require.ErrorAs(t, err, &ise)
	assert.Equal(t, 500, ise.StatusCode)

	s.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied())
	_, err = s.Client().ListTestGridSessions(ctx, in)
	var apiErr *devicefarm.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "AccessDeniedException", apiErr.Code)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, smithy.FaultClient, apiErr.Fault)
	assert.Equal(t, 1, attempts(t, s), "4xx is not retried")

	s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultError, Status: 429, Code: "TooManyRequestsException", Message: "slow down"})
	_, err = c.ListTestGridSessions(ctx, in)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 429, apiErr.StatusCode)
	assert.Equal(t, "slow down", apiErr.Message)

	// Raw: header and body carry the code.
	s.Inject(devicefarmtest.Match{}, devicefarmtest.ServiceUnavailable())
	r := call(t, s, `{"projectArn":"`+projectArn+`"}`)
	requireError(t, r, 503, "ServiceUnavailableException", "Service Unavailable")
}

func TestFaultBodies(t *testing.T) {
	t.Run("truncated", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultTruncatedBody})
		_, err := s.Client().ListTestGridSessions(ctx, in)
		var de *devicefarm.DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, 200, de.StatusCode)
		assert.NotEmpty(t, de.RequestID)
		assert.Equal(t, 1, attempts(t, s), "a bad 200 is not retried")

		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultTruncatedBody})
		r := call(t, s, `{"projectArn":"`+projectArn+`"}`)
		assert.Equal(t, 200, r.Status)
		assert.Equal(t, jsonType, r.Header.Get("Content-Type"))
		assert.False(t, json.Valid(r.Body))
		assert.Contains(t, string(r.Body), `{"testGridSessions":[{"arn":`)
	})
	t.Run("malformed", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultMalformedBody})
		_, err := s.Client().ListTestGridSessions(ctx, in)
		var de *devicefarm.DecodeError
		require.ErrorAs(t, err, &de)
		assert.Contains(t, de.Snippet, "not JSON")
	})
	t.Run("oversized", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultOversizedBody, Size: 4096})
		_, err := s.Client(func(o *devicefarm.Options) { o.MaxResponseBytes = 1024 }).ListTestGridSessions(ctx, in)
		require.ErrorIs(t, err, devicefarm.ErrResponseTooLarge)

		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultOversizedBody})
		_, err = s.Client().ListTestGridSessions(ctx, in)
		require.ErrorIs(t, err, devicefarm.ErrResponseTooLarge, "default size exceeds the client's default limit")

		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultOversizedBody, Size: 4096})
		out, err := s.Client().ListTestGridSessions(ctx, in)
		require.NoError(t, err, "the body is valid JSON when the client allows its size")
		assert.Empty(t, out.TestGridSessions)
		assert.Empty(t, out.NextToken)

		for _, size := range []int{1, 23, 30, 36, 37, 5000} {
			s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultOversizedBody, Size: size})
			r := call(t, s, `{"projectArn":"`+projectArn+`"}`)
			assert.Len(t, r.Body, max(size, 23))
			assert.True(t, json.Valid(r.Body), "%q", r.Body)
		}
	})
}

func TestFaultConnections(t *testing.T) {
	t.Run("close before response", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseBeforeResponse})
		_, err := s.Client(oneAttempt).ListTestGridSessions(ctx, in)
		require.ErrorIs(t, err, io.EOF)
		var ae smithy.APIError
		assert.False(t, errors.As(err, &ae))
		reqs := s.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, 0, reqs[0].StatusCode, "no response")
		assert.Equal(t, devicefarmtest.FaultCloseBeforeResponse, reqs[0].Fault.Kind)
	})
	t.Run("close mid body", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody})
		_, err := s.Client(oneAttempt).ListTestGridSessions(ctx, in)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, []int{200}, statuses(s))

		s.Inject(devicefarmtest.Match{Times: 3}, devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody})
		_, err = s.Client().ListTestGridSessions(ctx, in)
		var me *retry.MaxAttemptsError
		require.ErrorAs(t, err, &me, "a broken body is retried like a connection error")
	})
	t.Run("hang until the context ends", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultHang})
		cctx := canceledOnCue(t, func() bool { return len(s.PendingFaults()) == 0 }) // the request took the fault
		_, err := s.Client().ListTestGridSessions(cctx, in)
		require.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, s.PendingFaults())

		// The server still serves.
		_, err = s.Client().ListTestGridSessions(ctx, in)
		require.NoError(t, err)
	})
	t.Run("stall mid body until the context ends", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultStallMidBody})
		headers := make(chan struct{})
		cctx := canceledOnCue(t, func() bool { return isClosed(headers) })
		_, err := s.Client(onHeaders(headers)).ListTestGridSessions(cctx, in)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, []int{200}, statuses(s), "headers were sent")
	})
	t.Run("stall mid body released by Close", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultStallMidBody})
		headers := make(chan struct{})
		go func() {
			<-headers // the response is under way, then stalls
			s.Close()
		}()
		_, err := s.Client(oneAttempt, onHeaders(headers)).ListTestGridSessions(ctx, in)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	})
	t.Run("delay honours cancellation", func(t *testing.T) {
		for _, kind := range []devicefarmtest.FaultKind{devicefarmtest.FaultError, devicefarmtest.FaultEmptyPage} {
			s, in := seededServer(t)
			s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: kind, Delay: time.Hour})
			cctx := canceledOnCue(t, func() bool { return len(s.PendingFaults()) == 0 }) // delaying
			_, err := s.Client().ListTestGridSessions(cctx, in)
			require.ErrorIs(t, err, context.Canceled, "%s", kind)
			assert.Equal(t, []int{0}, statuses(s), "%s: no response", kind)
		}
	})
	t.Run("short delay then the fault", func(t *testing.T) {
		s, in := seededServer(t)
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultError, Status: 400, Code: "AccessDeniedException", Delay: time.Millisecond})
		_, err := s.Client().ListTestGridSessions(ctx, in)
		assert.Equal(t, "AccessDeniedException", apiError(t, err).ErrorCode())

		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultEmptyPage, Delay: time.Millisecond})
		out, err := s.Client().ListTestGridSessions(ctx, in)
		require.NoError(t, err)
		assert.Empty(t, out.TestGridSessions)
		assert.NotEmpty(t, out.NextToken)
	})
}

// TestInjectConsumedExactly checks that Match{Times: n} fails exactly the
// next n requests, that faults are taken in the order armed, that requests
// rejected before the fault stage do not count, and ClearFaults.
func TestInjectConsumedExactly(t *testing.T) {
	s, in := seededServer(t)
	c := s.Client(oneAttempt)
	inj := s.Inject(devicefarmtest.Match{Times: 3}, devicefarmtest.InternalError())
	require.Len(t, s.PendingFaults(), 1)
	assert.Equal(t, 3, inj.Pending())

	// Rejected requests do not consume faults.
	assert.Equal(t, 403, do(t, newRawRequest(t, s, `{}`)).Status, "unsigned")
	req := newRawRequest(t, s, `{}`)
	req.Header.Set("X-Amz-Target", "DeviceFarm_20150623.ListProjects")
	assert.Equal(t, 400, do(t, req).Status, "unknown operation")
	_, err := s.Client(withCreds("AKIDWRONG0000000000000", "wrong-secret-0000000000000000000000000000", "")).ListTestGridSessions(ctx, in)
	assert.Equal(t, "UnrecognizedClientException", apiError(t, err).ErrorCode())
	assert.Equal(t, 3, inj.Pending())
	assert.Zero(t, inj.Fired())

	for i := 3; i > 0; i-- {
		_, err := c.ListTestGridSessions(ctx, in)
		var ise *devicefarm.InternalServiceException
		require.ErrorAs(t, err, &ise)
		assert.Equal(t, i-1, inj.Pending())
		assert.Equal(t, 4-i, inj.Fired())
	}
	assert.Empty(t, s.PendingFaults())
	_, err = c.ListTestGridSessions(ctx, in)
	require.NoError(t, err)

	// Faults are taken in the order armed.
	s.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied())
	s.Inject(devicefarmtest.Match{Times: 2}, devicefarmtest.Throttling())
	s.Inject(devicefarmtest.Match{}, devicefarmtest.InternalError())
	s.ResetRequests()
	for range 5 {
		_, _ = c.ListTestGridSessions(ctx, in)
	}
	var codes []string
	for _, r := range s.Requests() {
		codes = append(codes, r.ErrorCode)
	}
	assert.Equal(t, []string{"AccessDeniedException", "ThrottlingException", "ThrottlingException", "InternalServiceException", ""}, codes)

	s.Inject(devicefarmtest.Match{Times: 5}, devicefarmtest.InternalError())
	s.ClearFaults()
	assert.Empty(t, s.PendingFaults())

	assert.Panics(t, func() { s.Inject(devicefarmtest.Match{Times: -1}, devicefarmtest.InternalError()) })
	assert.Panics(t, func() { s.Inject(devicefarmtest.Match{Operation: "ListProjects"}, devicefarmtest.InternalError()) })
}

// TestFaultKindNames checks String and the text form: the constants' names
// both ways, and an unknown kind.
func TestFaultKindNames(t *testing.T) {
	for k := devicefarmtest.FaultError; k <= devicefarmtest.FaultStallMidBody; k++ {
		assert.Regexp(t, `^Fault[A-Z][A-Za-z]+$`, k.String())
		b, err := json.Marshal(k)
		require.NoError(t, err)
		assert.Equal(t, `"`+k.String()+`"`, string(b))
		var back devicefarmtest.FaultKind
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, k, back)
	}
	assert.Equal(t, "FaultOversizedBody", devicefarmtest.FaultOversizedBody.String())
	assert.Equal(t, "FaultStallMidBody", devicefarmtest.FaultStallMidBody.String())

	assert.Equal(t, "FaultKind(42)", devicefarmtest.FaultKind(42).String())
	_, err := json.Marshal(devicefarmtest.FaultKind(42))
	require.Error(t, err)
	var k devicefarmtest.FaultKind
	for _, bad := range []string{`"hang"`, `"faulthang"`, `""`, `"FaultKind(42)"`} {
		err := json.Unmarshal([]byte(bad), &k)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "unknown fault kind")
		assert.Contains(t, err.Error(), "FaultStallMidBody", "lists the names")
	}

	// A queued unknown kind answers a 500 that names it.
	s, in := seededServer(t)
	s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: 42})
	_, err = s.Client(oneAttempt).ListTestGridSessions(ctx, in)
	assert.Contains(t, apiError(t, err).ErrorMessage(), "FaultKind(42)")
}

// canceledOnCue returns a context canceled once cue reports true (checked
// every millisecond), so that a test of a request that never completes
// ends it on an event, not after a time that a loaded machine may need
// just to send the request.
func canceledOnCue(t *testing.T, cue func() bool) context.Context {
	cctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	tick := time.NewTicker(time.Millisecond)
	go func() {
		defer tick.Stop()
		defer cancel()
		for cctx.Err() == nil && !cue() {
			<-tick.C
		}
	}()
	return cctx
}

// onHeaders is a client option that closes arrived when the response
// headers of the client's first request have arrived.
func onHeaders(arrived chan struct{}) func(*devicefarm.Options) {
	return func(o *devicefarm.Options) {
		o.HTTPClient = headersHook{next: o.HTTPClient, arrived: arrived}
	}
}

type headersHook struct {
	next    devicefarm.HTTPClient
	arrived chan struct{}
}

func (h headersHook) Do(r *http.Request) (*http.Response, error) {
	resp, err := h.next.Do(r)
	if err == nil && !isClosed(h.arrived) {
		close(h.arrived)
	}
	return resp, err
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
