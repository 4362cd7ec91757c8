package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/testgridkit/devicefarm"
)

// opErr builds what a failed call returns: a *smithy.OperationError around
// an error that reports the attempts (as devicefarm.Attempts reads them).
// Errors that came with a response are wrapped by withResponse.
func opErr(attempts int, err error) error {
	return &smithy.OperationError{ServiceID: devicefarm.ServiceID, OperationName: "ListTestGridSessions", Err: attemptsErr{attempts, err}}
}

type attemptsErr struct {
	n   int
	err error
}

func (e attemptsErr) Error() string { return e.err.Error() }
func (e attemptsErr) Unwrap() error { return e.err }
func (e attemptsErr) Attempts() int { return e.n }

// withResponse wraps err as the library wraps an error that arrived with a
// response.
func withResponse(status int, requestID string, err error) error {
	return &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err},
		RequestID:     requestID,
	}
}

func TestDescribeError(t *testing.T) {
	t.Parallel()
	throttle := withResponse(400, "rid-3", &devicefarm.APIError{Code: "ThrottlingException", Message: "Rate exceeded", StatusCode: 400, RequestID: "rid-3"})
	tests := []struct {
		name     string
		err      error
		wantMsg  string
		wantCode int
	}{
		{"not found", opErr(1, withResponse(400, "rid-1", &devicefarm.NotFoundException{Message: "Project not found", StatusCode: 400, RequestID: "rid-1"})),
			"NotFoundException: Project not found (HTTP 400 Bad Request, request id rid-1)", ExitFailure},
		{"argument", opErr(1, withResponse(400, "rid-2", &devicefarm.ArgumentException{Message: "bad token", StatusCode: 400, RequestID: "rid-2"})),
			"ArgumentException: bad token (HTTP 400 Bad Request, request id rid-2)", ExitFailure},
		{"retries exhausted", opErr(3, &retry.MaxAttemptsError{Attempt: 3, Err: throttle}),
			"ThrottlingException: Rate exceeded (HTTP 400 Bad Request, request id rid-3, after 3 attempts)", ExitFailure},
		{"retry quota", opErr(2, errors.Join(throttle, fmt.Errorf("%w: no tokens", devicefarm.ErrRetryQuotaExceeded))),
			"ThrottlingException: Rate exceeded (HTTP 400 Bad Request, request id rid-3, after 2 attempts); not retried: the client-side retry quota of this process is exhausted", ExitFailure},
		{"no message, no request id", opErr(1, withResponse(403, "", &devicefarm.APIError{Code: "AccessDeniedException", StatusCode: 403})),
			"AccessDeniedException (HTTP 403 Forbidden, request id -)", ExitFailure},
		{"internal", opErr(3, withResponse(500, "r", &devicefarm.InternalServiceException{Message: "oops", StatusCode: 500, RequestID: "r"})),
			"InternalServiceException: oops (HTTP 500 Internal Server Error, request id r, after 3 attempts)", ExitFailure},
		{"decode", opErr(1, withResponse(200, "r", &devicefarm.DecodeError{StatusCode: 200, RequestID: "r", Err: errors.New("unexpected end of JSON input")})),
			"cannot decode response: unexpected end of JSON input (HTTP 200 OK, request id r)", ExitFailure},
		{"repeated token", &devicefarm.RepeatedNextTokenError{Page: 3, RequestID: "rid-9"},
			"the service repeated a pagination token on page 3 (request id rid-9); stopped to avoid looping forever", ExitFailure},
		{"network", opErr(3, &retry.MaxAttemptsError{Attempt: 3, Err: &devicefarm.ConnectionError{
			Err: errors.New(`Post "https://devicefarm.us-west-2.amazonaws.com/": dial tcp: lookup devicefarm.us-west-2.amazonaws.com: no such host`)}}),
			`connection error: no response: Post "https://devicefarm.us-west-2.amazonaws.com/": dial tcp: lookup devicefarm.us-west-2.amazonaws.com: no such host (after 3 attempts)`, ExitFailure},
		{"body cut off", opErr(1, withResponse(200, "r", &devicefarm.ConnectionError{StatusCode: 200, RequestID: "r", Err: io.ErrUnexpectedEOF})),
			"connection error: response body cut off: unexpected EOF (HTTP 200 OK, request id r)", ExitFailure},
		{"other transport error", opErr(3, errors.New(`Post "https://devicefarm.us-west-2.amazonaws.com/": proxyconnect tcp: refused`)),
			`Post "https://devicefarm.us-west-2.amazonaws.com/": proxyconnect tcp: refused`, ExitFailure},
		{"redirect", opErr(1, withResponse(307, "rid-r", &devicefarm.RedirectError{StatusCode: 307, Location: "https://elsewhere.example/"})),
			"redirect (HTTP 307) to https://elsewhere.example/ not followed: redirects are never followed, since the signed request would go to another host; set BaseEndpoint to the endpoint itself (HTTP 307 Temporary Redirect, request id rid-r)", ExitFailure},
		{"validation", opErr(0, &devicefarm.ValidationError{Field: "ProjectArn", Rule: "length must be 32-1011, got 5"}),
			"invalid input: ProjectArn: length must be 32-1011, got 5", ExitUsage},
		{"configuration", opErr(0, errors.New(`region "eu-west-1" is not served by DeviceFarm`)),
			`region "eu-west-1" is not served by DeviceFarm; pass --region us-west-2 (the region comes from --region, else AWS_REGION or AWS_DEFAULT_REGION, else the profile's region), or --endpoint-url to call another endpoint`, ExitUsage},
		{"missing profile", fmt.Errorf("loading AWS configuration: %w", config.SharedConfigProfileNotExistError{Profile: "ci"}),
			`AWS profile "ci" not found in the shared config files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); check --profile and AWS_PROFILE, or create it with 'aws configure --profile ci'`, ExitUsage},
		{"output", &OutputError{errors.New("write /dev/stdout: no space left on device")},
			"writing output: write /dev/stdout: no space left on device", ExitFailure},
		{"other", errors.New("devicefarm: something else"), "something else", ExitFailure},
	}
	for _, tt := range tests {
		msg, code := DescribeError(tt.err)
		assert.Equal(t, tt.wantMsg, msg, tt.name)
		assert.Equal(t, tt.wantCode, code, tt.name)
	}
}

func TestFailurePrintsOneLine(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	err := opErr(1, withResponse(400, "r", &devicefarm.APIError{Code: "Weird", Message: "line one\nline two\x1b[2J", StatusCode: 400, RequestID: "r"}))
	assert.Equal(t, ExitFailure, Failure(&stderr, "testgrid sessions", err))
	assert.Equal(t, "testgrid: Weird: line one line two [2J (HTTP 400 Bad Request, request id r)\n", stderr.String())

	stderr.Reset()
	assert.Equal(t, ExitUsage, Failure(&stderr, "testgrid sessions", Usagef("bad\nthing")))
	assert.Equal(t, "testgrid sessions: bad thing\nrun 'testgrid sessions --help' for usage\n", stderr.String())
}

func TestContextErrorsAreNotUsageErrors(t *testing.T) {
	t.Parallel()
	// A call canceled before its first attempt has Attempts 0, like a
	// configuration error; it is not the user's command line at fault.
	// (runSessions reports interruptions before asking describeError.)
	for _, err := range []error{context.Canceled, context.DeadlineExceeded} {
		_, code := DescribeError(opErr(0, err))
		assert.Equal(t, ExitFailure, code, err)
	}
}
