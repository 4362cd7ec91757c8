package interop_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ours "github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

// epoch anchors the generated sessions, so the test can generate them too.
var epoch = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// TestMain builds cmd/testgrid from the repository root in workspace mode
// (go.work ties the CLI to the library beside it; this module itself runs
// with GOWORK=off) and points $TESTGRID at it for StartTestgridServe.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "testgrid")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/testgrid")
	build.Dir = filepath.Join("..", "..")
	build.Env = append(os.Environ(), "GOWORK=") // the root's go.work, whatever this test runs with
	out, err := build.CombinedOutput()
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build ./cmd/testgrid: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	os.Setenv("TESTGRID", bin)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// control calls the control API of the fake and decodes the answer.
func control(t *testing.T, ready Ready, method, path, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, ready.Control+path, strings.NewReader(body))
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%v", out)
	return out
}

// loggedRequests returns the error code ("" for none) and request ID of
// each request the fake received.
func loggedRequests(t *testing.T, ready Ready) (codes, ids []string) {
	t.Helper()
	for _, r := range control(t, ready, http.MethodGet, "/requests", "")["requests"].([]any) {
		m := r.(map[string]any)
		code, _ := m["errorCode"].(string)
		codes = append(codes, code)
		ids = append(ids, m["requestId"].(string))
	}
	return codes, ids
}

// fromOfficial converts an official SDK session for comparison.
func fromOfficial(s types.TestGridSession) ours.TestGridSession {
	return ours.TestGridSession{
		Arn:                aws.ToString(s.Arn),
		Status:             ours.TestGridSessionStatus(s.Status),
		Created:            aws.ToTime(s.Created).UTC(),
		Ended:              aws.ToTime(s.Ended).UTC(),
		BillingMinutes:     aws.ToFloat64(s.BillingMinutes),
		SeleniumProperties: aws.ToString(s.SeleniumProperties),
	}
}

func TestOfficialSDKWalksEveryPage(t *testing.T) {
	client, ready := StartTestgridServe(t, "--project", project, "--sessions", "137", "--seed", "7",
		"--page-size", "20", "--epoch", epoch.Format(time.RFC3339))
	require.True(t, ready.Epoch.Equal(epoch))
	want := devicefarmtest.GenerateSessions(project, 137, 7, epoch)

	for _, tc := range []struct {
		limit int32
		pages int
	}{{0, 7}, {50, 3}, {1000, 1}} {
		p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(project)},
			func(o *devicefarm.ListTestGridSessionsPaginatorOptions) {
				o.Limit = tc.limit
				o.StopOnDuplicateToken = true
			})
		var got []ours.TestGridSession
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(t.Context())
			require.NoError(t, err)
			pages++
			for _, s := range out.TestGridSessions {
				got = append(got, fromOfficial(s))
			}
		}
		assert.Equal(t, tc.pages, pages, "limit %d", tc.limit)
		require.Equal(t, want, got, "exactly the seeded sessions, in order")
		t.Logf("official SDK, page size %s: %d pages, %d sessions, equal to devicefarmtest.GenerateSessions", pageSize(tc.limit, ready), pages, len(got))
	}

	// The control API reports the same sessions, in the wire shape.
	listed := control(t, ready, http.MethodGet, "/sessions?projectArn="+project, "")["testGridSessions"].([]any)
	require.Len(t, listed, len(want))
	assert.Equal(t, want[0].Arn, listed[0].(map[string]any)["arn"])
}

func pageSize(limit int32, ready Ready) string {
	if limit == 0 {
		return fmt.Sprintf("default (%d)", ready.PageSize)
	}
	return fmt.Sprint(limit)
}

func TestOfficialSDKTypedErrors(t *testing.T) {
	client, ready := StartTestgridServe(t, "--project", project, "--sessions", "10")
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(project)}

	for _, tc := range []struct {
		name     string
		faults   string
		as       func(error) (smithy.APIError, bool)
		attempts int
	}{
		{"NotFoundException", `{"kind":"FaultError","status":400,"code":"NotFoundException","message":"no such project"}`,
			errorAs[*types.NotFoundException], 1},
		{"ArgumentException", `{"kind":"FaultError","status":400,"code":"ArgumentException","message":"bad argument"}`,
			errorAs[*types.ArgumentException], 1},
		{"InternalServiceException", `{"preset":"InternalError","count":3}`,
			errorAs[*types.InternalServiceException], 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			control(t, ready, http.MethodPost, "/reset", "")
			control(t, ready, http.MethodPost, "/faults", `{"faults":[`+tc.faults+`]}`)
			_, err := client.ListTestGridSessions(t.Context(), in)
			require.Error(t, err)
			ae, ok := tc.as(err)
			require.True(t, ok, "%T in %v", ae, err)
			assert.Equal(t, tc.name, ae.ErrorCode())

			// The SDK's chain: OperationError, then ResponseError with the
			// request ID the fake logged.
			var oe *smithy.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "ListTestGridSessions", oe.Operation())
			var re *awshttp.ResponseError
			require.ErrorAs(t, err, &re)
			codes, ids := loggedRequests(t, ready)
			require.Len(t, codes, tc.attempts, "requests")
			assert.Equal(t, ids[len(ids)-1], re.ServiceRequestID())
			t.Logf("official SDK: queued %s surfaced as %T after %d request(s), request id %s", tc.name, ae, len(codes), re.ServiceRequestID())
		})
	}

	t.Run("unknown project", func(t *testing.T) {
		_, err := client.ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{
			ProjectArn: aws.String(strings.Replace(project, "8b5c1b1e", "00000000", 1)),
		})
		var nf *types.NotFoundException
		require.ErrorAs(t, err, &nf)
		t.Logf("official SDK: unknown project: %T: %s", nf, nf.ErrorMessage())
	})
}

// errorAs finds a T in err's chain.
func errorAs[T smithy.APIError](err error) (smithy.APIError, bool) {
	var target T
	ok := errors.As(err, &target)
	return target, ok
}

func TestOfficialSDKRetriesThrottle(t *testing.T) {
	client, ready := StartTestgridServe(t, "--project", project, "--sessions", "30")
	control(t, ready, http.MethodPost, "/faults", `{"faults":[{"preset":"Throttling"}]}`)
	start := time.Now()
	out, err := client.ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(project)})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 30)
	// The official client's own account of its attempts: the throttle, then
	// the page. (The fake's log is not compared whole: under heavy load it
	// has shown a third, successful request that no attempt of this call
	// reports.)
	attempts, ok := retry.GetAttemptResults(out.ResultMetadata)
	require.True(t, ok, "the official client records its attempts")
	require.Len(t, attempts.Results, 2)
	var ae smithy.APIError
	require.ErrorAs(t, attempts.Results[0].Err, &ae)
	assert.Equal(t, "ThrottlingException", ae.ErrorCode())
	require.NoError(t, attempts.Results[1].Err)
	codes, _ := loggedRequests(t, ready)
	require.NotEmpty(t, codes)
	assert.Equal(t, "ThrottlingException", codes[0], "the fault took the first request")
	t.Logf("official SDK: ThrottlingException retried after %s (throttle backoff), then %d sessions", time.Since(start).Round(time.Millisecond), len(out.TestGridSessions))
}
