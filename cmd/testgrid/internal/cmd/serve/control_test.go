package serve

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

const otherProject = "arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

func TestControlHealthSeedAndSessions(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "30", "--seed", "7")

	r := st.control(t, http.MethodGet, "/_testgrid/health", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "ok", r.body["status"])
	assert.Equal(t, []any{map[string]any{"arn": testProject, "sessions": 30.0}}, r.body["projects"])

	// The sessions the fake holds, in the service's wire shape.
	r = st.control(t, http.MethodGet, "/_testgrid/sessions?projectArn="+testProject, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, testProjectSessions(30, 7), r.sessions(t))
	assert.Contains(t, r.raw, `"created":17`, "epoch seconds")
	assert.Contains(t, r.raw, `"seleniumProperties":"{\"`, "a string, as the service sends it")

	r = st.control(t, http.MethodPost, "/_testgrid/seed", `{"projectArn":"`+otherProject+`","sessions":12,"seed":3}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Equal(t, 12.0, r.body["added"])
	assert.Equal(t, "2025-03-10T12:00:00Z", r.body["epoch"])
	assert.Equal(t, devicefarmtest.GenerateSessions(otherProject, 12, 3, testNow), st.fake.Sessions(otherProject))

	r = st.control(t, http.MethodGet, "/_testgrid/sessions?projectArn="+otherProject+"x", "")
	assert.Equal(t, http.StatusNotFound, r.status)
}

func TestControlAddSessions(t *testing.T) {
	t.Parallel()
	st := newServeTest(t)
	created := testNow.Add(-time.Hour)
	in := []devicefarm.TestGridSession{
		{Arn: sessionArnOf(testProject, "s1"), Status: devicefarm.TestGridSessionStatusClosed, Created: created, Ended: created.Add(90 * time.Second), BillingMinutes: 1.5, SeleniumProperties: `{"browserName":"chrome"}`},
		{Arn: sessionArnOf(testProject, "s2"), Status: devicefarm.TestGridSessionStatusActive, Created: created.Add(time.Millisecond)},
		{Arn: sessionArnOf(otherProject, "s3"), Status: devicefarm.TestGridSessionStatusErrored, Created: created, Ended: created.Add(time.Second), BillingMinutes: math.NaN(), SeleniumProperties: "not json"},
	}
	body := `{"testGridSessions":[` + wireJSON(t, in[0]) + `,` + wireJSON(t, in[1]) + `,` + wireJSON(t, in[2]) + `]}`
	r := st.control(t, http.MethodPost, "/_testgrid/sessions", body)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Equal(t, 3.0, r.body["added"])
	assert.Equal(t, in[:2], st.fake.Sessions(testProject), "projects come from the session ARNs")
	got := st.fake.Sessions(otherProject)
	require.Len(t, got, 1)
	assert.True(t, math.IsNaN(got[0].BillingMinutes))

	// What the fake returns can be added again, unchanged.
	back := st.control(t, http.MethodGet, "/_testgrid/sessions?projectArn="+testProject, "")
	r = st.control(t, http.MethodPost, "/_testgrid/sessions", back.raw)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Equal(t, in[:2], st.fake.Sessions(testProject), "replaced by ARN")

	// An empty project; a session of another project is refused.
	r = st.control(t, http.MethodPost, "/_testgrid/sessions", `{"projectArn":"`+projectWithID("e")+`","testGridSessions":[]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	_, ok := st.fake.Project(projectWithID("e"))
	assert.True(t, ok, "registered")
	r = st.control(t, http.MethodPost, "/_testgrid/sessions", `{"projectArn":"`+otherProject+`","testGridSessions":[`+wireJSON(t, in[0])+`]}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.body["error"], "does not belong to projectArn")
}

func TestControlReset(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "5")
	initial := st.fake.Sessions(testProject)
	dirty := func() {
		st.fake.Seed(otherProject, 3, 1)
		st.fake.AddSessions(testProject, devicefarm.TestGridSession{Arn: sessionArnOf(testProject, "extra"), Status: "CLOSED"})
		st.fake.Inject(devicefarmtest.Match{Times: 2}, devicefarmtest.Throttling())
		_, err := st.client(func(o *devicefarm.Options) { o.RetryMaxAttempts = 1 }).ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
		require.Error(t, err)
	}
	for _, tc := range []struct {
		body                       string
		data, faults, requestsGone bool
	}{
		{"", true, true, true},
		{"{}", true, true, true},
		{`{"data":true}`, true, false, false},
		{`{"faults":true}`, false, true, false},
		{`{"requests":true}`, false, false, true},
		{`{"data":true,"faults":false,"requests":true}`, true, false, true},
	} {
		t.Run(tc.body, func(t *testing.T) {
			dirty()
			r := st.control(t, http.MethodPost, "/_testgrid/reset", tc.body)
			require.Equal(t, http.StatusOK, r.status, r.raw)
			if tc.data {
				assert.Equal(t, initial, st.fake.Sessions(testProject), "back to the command line's data")
				assert.Nil(t, st.fake.Sessions(otherProject))
			} else {
				assert.Len(t, st.fake.Sessions(testProject), 6)
			}
			assert.Equal(t, tc.faults, len(st.fake.PendingFaults()) == 0)
			assert.Equal(t, tc.requestsGone, len(st.fake.Requests()) == 0)
			st.control(t, http.MethodPost, "/_testgrid/reset", "")
		})
	}
}

// TestControlFaultsEveryKind queues each kind of fault through the control
// API and checks what a client gets and what the request log reports.
func TestControlFaultsEveryKind(t *testing.T) {
	t.Parallel()
	oneAttempt := func(o *devicefarm.Options) {
		o.RetryMaxAttempts = 1
		o.StallTimeout = 300 * time.Millisecond
	}
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject, MaxResult: 5}
	for _, tc := range []struct {
		name  string
		fault string
		check func(t *testing.T, out *devicefarm.ListTestGridSessionsOutput, err error)
		kind  string
		code  string // error code in the request log
	}{
		{"not found", `{"kind":"FaultError","status":400,"code":"NotFoundException","message":"no such project"}`, func(t *testing.T, _ *devicefarm.ListTestGridSessionsOutput, err error) {
			var nf *devicefarm.NotFoundException
			require.ErrorAs(t, err, &nf)
			assert.Equal(t, "no such project", nf.ErrorMessage())
		}, "FaultError", "NotFoundException"},
		{"argument", `{"kind":"FaultError","status":400,"code":"ArgumentException"}`, func(t *testing.T, _ *devicefarm.ListTestGridSessionsOutput, err error) {
			var ae *devicefarm.ArgumentException
			require.ErrorAs(t, err, &ae)
		}, "FaultError", "ArgumentException"},
		{"throttling preset", `{"preset":"Throttling"}`, apiCode("ThrottlingException"), "FaultError", "ThrottlingException"},
		{"service unavailable preset", `{"preset":"ServiceUnavailable"}`, apiCode("ServiceUnavailableException"), "FaultError", "ServiceUnavailableException"},
		{"internal error preset", `{"preset":"InternalError"}`, apiCode("InternalServiceException"), "FaultError", "InternalServiceException"},
		{"access denied preset", `{"preset":"AccessDenied","message":"custom"}`, apiCode("AccessDeniedException"), "FaultError", "AccessDeniedException"},
		{"truncated body", `{"kind":"FaultTruncatedBody"}`, failed, "FaultTruncatedBody", ""},
		{"malformed body", `{"kind":"FaultMalformedBody"}`, failed, "FaultMalformedBody", ""},
		{"connection reset", `{"kind":"FaultCloseBeforeResponse"}`, failed, "FaultCloseBeforeResponse", ""},
		{"close mid body", `{"kind":"FaultCloseMidBody"}`, failed, "FaultCloseMidBody", ""},
		{"html", `{"kind":"FaultHTML","status":503}`, failed, "FaultHTML", ""},
		{"hang", `{"kind":"FaultHang"}`, failed, "FaultHang", ""},
		{"stall mid body", `{"kind":"FaultStallMidBody"}`, failed, "FaultStallMidBody", ""},
		{"oversized body", `{"kind":"FaultOversizedBody","size":2048}`, func(t *testing.T, _ *devicefarm.ListTestGridSessionsOutput, err error) {
			assert.ErrorIs(t, err, devicefarm.ErrResponseTooLarge)
		}, "FaultOversizedBody", ""},
		{"empty page", `{"kind":"FaultEmptyPage"}`, func(t *testing.T, out *devicefarm.ListTestGridSessionsOutput, err error) {
			require.NoError(t, err)
			assert.Empty(t, out.TestGridSessions)
			assert.NotEmpty(t, out.NextToken)
		}, "FaultEmptyPage", ""},
		{"delay", `{"preset":"Throttling","delay":"50ms"}`, apiCode("ThrottlingException"), "FaultError", "ThrottlingException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newServeTest(t, "--project", testProject, "--sessions", "12")
			r := st.control(t, http.MethodPost, "/_testgrid/faults", `{"faults":[`+tc.fault+`]}`)
			require.Equal(t, http.StatusOK, r.status, r.raw)
			assert.Equal(t, 1.0, r.body["pending"])

			c := st.client(oneAttempt, func(o *devicefarm.Options) { o.MaxResponseBytes = 1024 })
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			out, err := c.ListTestGridSessions(ctx, in)
			tc.check(t, out, err)

			log := st.control(t, http.MethodGet, "/_testgrid/requests", "")
			reqs := log.body["requests"].([]any)
			require.Len(t, reqs, 1)
			req := reqs[0].(map[string]any)
			assert.Equal(t, tc.kind, req["fault"].(map[string]any)["kind"])
			assert.Equal(t, testProject, req["projectArn"])
			if tc.code != "" {
				assert.Equal(t, tc.code, req["errorCode"])
			}
			assert.Equal(t, 0.0, st.control(t, http.MethodGet, "/_testgrid/faults", "").body["pending"])
		})
	}

	t.Run("repeat token", func(t *testing.T) {
		t.Parallel()
		st := newServeTest(t, "--project", testProject, "--sessions", "12")
		p := devicefarm.NewListTestGridSessionsPaginator(st.client(), in)
		first, err := p.NextPage(t.Context())
		require.NoError(t, err)
		r := st.control(t, http.MethodPost, "/_testgrid/faults", `{"faults":[{"kind":"FaultRepeatToken"}]}`)
		require.Equal(t, http.StatusOK, r.status, r.raw)
		second, err := p.NextPage(t.Context())
		require.NoError(t, err)
		assert.Equal(t, first.NextToken, second.NextToken)
		_, err = p.NextPage(t.Context())
		assert.ErrorIs(t, err, devicefarm.ErrRepeatedNextToken)
	})

	t.Run("count and order", func(t *testing.T) {
		t.Parallel()
		st := newServeTest(t, "--project", testProject, "--sessions", "3")
		r := st.control(t, http.MethodPost, "/_testgrid/faults", `{"faults":[{"preset":"Throttling","count":2},{"preset":"InternalError"}]}`)
		require.Equal(t, http.StatusOK, r.status, r.raw)
		assert.Equal(t, 3.0, r.body["queued"])
		// One call, three attempts: every queued fault is consumed, one per
		// request, and the call fails with the last.
		_, err := st.client().ListTestGridSessions(t.Context(), in)
		var ise *devicefarm.InternalServiceException
		require.ErrorAs(t, err, &ise)
		var codes []any
		for _, req := range st.control(t, http.MethodGet, "/_testgrid/requests", "").body["requests"].([]any) {
			codes = append(codes, req.(map[string]any)["errorCode"])
		}
		assert.Equal(t, []any{"ThrottlingException", "ThrottlingException", "InternalServiceException"}, codes)
	})
}

func apiCode(code string) func(t *testing.T, _ *devicefarm.ListTestGridSessionsOutput, err error) {
	return func(t *testing.T, _ *devicefarm.ListTestGridSessionsOutput, err error) {
		var ae smithy.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, code, ae.ErrorCode())
	}
}

func failed(t *testing.T, _ *devicefarm.ListTestGridSessionsOutput, err error) {
	require.Error(t, err)
}

func TestControlRequestLogHasNoSecrets(t *testing.T) {
	t.Parallel()
	const secret, token = "SECRET-CANARY-0123456789abcdef", "TOKEN-CANARY-0123456789abcdef"
	st := newServeTest(t, "--project", testProject, "--sessions", "3", "--secret-access-key", secret, "--session-token", token)
	_, err := st.client().ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	require.NoError(t, err)
	r := st.control(t, http.MethodGet, "/_testgrid/requests", "")
	require.Len(t, r.body["requests"], 1)
	req := r.body["requests"].([]any)[0].(map[string]any)
	assert.Equal(t, 200.0, req["status"])
	assert.Equal(t, "DeviceFarm_20150623.ListTestGridSessions", req["target"])
	assert.NotEmpty(t, req["requestId"])
	for _, s := range []string{secret, token, "Authorization", "Signature", devicefarmtest.DefaultAccessKeyID} {
		assert.NotContains(t, r.raw, s)
	}
	assert.NotContains(t, st.control(t, http.MethodGet, "/_testgrid/health", "").raw, secret)
}

func TestControlLatency(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject)
	r := st.control(t, http.MethodPost, "/_testgrid/latency", `{"latency":"150ms"}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	start := time.Now()
	_, err := st.client().ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	st.control(t, http.MethodPost, "/_testgrid/latency", `{"latency":"0s"}`)
}

// TestControlBadRequests: every malformed control request gets a 4xx with a
// JSON error naming the problem, and the server goes on working.
func TestControlBadRequests(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "3")
	for _, tc := range []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{"GET", "/_testgrid", "", 404, "unknown control endpoint"},
		{"GET", "/_testgrid/", "", 404, "the endpoints are /_testgrid/end-session, /_testgrid/faults"},
		{"GET", "/_testgrid/nope%7F%0A", "", 404, `"/_testgrid/nope\x7f\n"`},
		{"PUT", "/_testgrid/faults", "", 405, "use DELETE or GET or POST"},
		{"POST", "/_testgrid/health", "", 405, "use GET"},
		{"POST", "/_testgrid/faults", "", 400, "the body is empty"},
		{"POST", "/_testgrid/faults", "[]", 400, "must be a JSON object"},
		{"POST", "/_testgrid/faults", "null", 400, "must be a JSON object"},
		{"POST", "/_testgrid/faults", `{"faults":[`, 400, "unexpected end"},
		{"POST", "/_testgrid/faults", "{\"faults\":\n[}", 400, "malformed JSON at line 2, column 2"},
		{"POST", "/_testgrid/faults", `{"faults":[]}`, 400, "faults is empty"},
		{"POST", "/_testgrid/faults", `{"faults":[{}]}`, 400, "faults[0]: give a preset"},
		{"POST", "/_testgrid/faults", `{"faults":[{"kind":"hang"}]}`, 400, `faults[0]: kind: unknown fault kind "hang"`},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Slow"}]}`, 400, `unknown preset "Slow" (one of AccessDenied, Argument, CannotDelete, InternalError, LimitExceeded, NotFound, ServiceAccount, ServiceUnavailable, Throttling, in any case`},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling","kind":"FaultHang"}]}`, 400, "not both"},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling","count":-1}]}`, 400, "count -1 is out of range"},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling","count":"2"}]}`, 400, `member "faults.count" must be an integer, not a JSON string`},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling","status":99}]}`, 400, "status 99 is out of range"},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling","code":"Bad\nCode"}]}`, 400, `code "Bad\nCode" must be`},
		{"POST", "/_testgrid/faults", `{"faults":[{"kind":"FaultHang","code":"X"}]}`, 400, "apply to FaultError only"},
		{"POST", "/_testgrid/faults", `{"faults":[{"kind":"FaultHang","size":10}]}`, 400, "size applies to FaultOversizedBody only"},
		{"POST", "/_testgrid/faults", `{"faults":[{"kind":"FaultHang","delay":"soon"}]}`, 400, `delay "soon" is not a duration`},
		{"POST", "/_testgrid/faults", `{"faults":[{"kind":"FaultHang","delay":"1h"}]}`, 400, "from 0s to 10m0s"},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling","colour":"red"}]}`, 400, `unknown member "colour"`},
		{"POST", "/_testgrid/faults", `{"faults":[{"preset":"Throttling"}]} {}`, 400, "unexpected data after the JSON object"},
		{"POST", "/_testgrid/seed", `{"projectArn":"arn:aws:s3:::bucket","sessions":1}`, 400, `projectArn: "arn:aws:s3:::bucket" `},
		{"POST", "/_testgrid/seed", `{"projectArn":"` + otherProject + `"}`, 400, "sessions must be a number from 0 to 100000"},
		{"POST", "/_testgrid/seed", `{"projectArn":"` + otherProject + `","sessions":100001}`, 400, "sessions must be a number"},
		{"POST", "/_testgrid/sessions", `{}`, 400, "give testGridSessions, or a projectArn"},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[{"arn":"x"}]}`, 400, `testGridSessions[0]: arn: "x" is not a test grid session ARN`},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[{"arn":"` + sessionArnOf(testProject, "a") + `","created":"yesterday"}]}`, 400, `testGridSessions[0]: created: "yesterday" is not an RFC 3339 time`},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[{"arn":"` + sessionArnOf(testProject, "a") + `","created":1e999}]}`, 400, "beyond year 9999"},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[{"arn":"` + sessionArnOf(testProject, "a") + `","billingMinutes":"lots"}]}`, 400, `billingMinutes: "lots" is not a number`},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[{"arn":"` + sessionArnOf(testProject, "a") + `","seleniumProperties":[1]}]}`, 400, "seleniumProperties: must be a string or a JSON object"},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[{"arn":"` + sessionArnOf(testProject, "a") + `","id":"a","owner":"b"}]}`, 400, `unknown member "owner"`},
		{"POST", "/_testgrid/sessions", `{"testGridSessions":[7]}`, 400, "a session must be a JSON object"},
		{"GET", "/_testgrid/sessions", "", 400, "missing query parameter projectArn"},
		{"POST", "/_testgrid/latency", `{}`, 400, "missing latency"},
		{"POST", "/_testgrid/latency", `{"latency":"-1s"}`, 400, `latency "-1s" is not a duration`},
		{"POST", "/_testgrid/reset", `{"data":"yes"}`, 400, `member "data" must be true or false`},
		{"POST", "/_testgrid/reset", `{"data\u0001":true}`, 400, `unknown member "data\x01"`},
		{"POST", "/_testgrid/reset", "{\"data\x01\":true}", 400, `invalid character '\x01' in string literal`},
	} {
		t.Run(tc.method+" "+tc.path+" "+tc.body, func(t *testing.T) {
			r := st.control(t, tc.method, tc.path, tc.body)
			assert.Equal(t, tc.status, r.status, r.raw)
			assert.Contains(t, r.body["error"], tc.msg)
		})
	}
	assert.Empty(t, st.fake.PendingFaults(), "nothing queued by a bad request")
	assert.Len(t, st.fake.Sessions(testProject), 3, "nothing added")
	_, err := st.client().ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	require.NoError(t, err, "the service still works")
}

// TestServeRouting: requests under /_testgrid/ are control requests,
// everything else is the service's, whatever else the request says.
func TestServeRouting(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "3")

	// A service-shaped request under the prefix is a control request.
	req, err := http.NewRequest(http.MethodPost, st.url+"/_testgrid/health", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("X-Amz-Target", "DeviceFarm_20150623.ListTestGridSessions")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := st.http.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))

	// Paths that only look like the prefix are the service's.
	for _, path := range []string{"/_testgridx", "/x/_testgrid/health", "/_TESTGRID/health"} {
		resp, err := st.http.Get(st.url + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
		assert.Equal(t, "UnknownOperationException", resp.Header.Get("X-Amzn-ErrorType"), path)
	}

	// A client whose base endpoint has a path reaches the service.
	out, err := st.client(func(o *devicefarm.Options) { o.BaseEndpoint = st.url + "/some/prefix" }).
		ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 3)
}

func TestServeAnyCredentialsFlag(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "2", "--any-credentials")
	c := st.client(func(o *devicefarm.Options) { o.Credentials = staticCreds("AKIDELSEWHERE", "whatever", "tok") })
	out, err := c.ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 2)

	_, err = c.ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject}, func(o *devicefarm.Options) { o.Region = "eu-west-1" })
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, "InvalidSignatureException", ae.ErrorCode(), "the scope is still checked")
}

// sessionArnOf is the ARN of session id in project.
func sessionArnOf(project, id string) string {
	return strings.Replace(project, ":testgrid-project:", ":testgrid-session:", 1) + "/" + id
}

// projectWithID is a test grid project ARN of the test account.
func projectWithID(id string) string {
	return fmt.Sprintf("arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:%s-0000-4000-8000-000000000000", id)
}
