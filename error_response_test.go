package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const errNotFoundHeader = "NotFoundException:http://internal.amazon.com/coral/com.amazonaws.devicefarm/"

// errRespCase is one error response and what the call must return.
type errRespCase struct {
	name    string
	status  int
	headers []string // name, value pairs
	fixture string   // file in testdata, or "" for body
	body    string

	wantType     string // "NotFound", "Argument", "Internal", "API"
	wantCode     string
	wantMsg      string // exact message; ignored when wantMsgPart is set
	wantMsgPart  string
	wantFault    smithy.ErrorFault
	wantReqID    string
	wantAttempts int
}

func errRespCases() []errRespCase {
	return []errRespCase{
		{
			name: "NotFound via X-Amzn-ErrorType header", status: 400,
			headers:  []string{"X-Amzn-ErrorType", errNotFoundHeader, "X-Amzn-RequestId", "rid-nf"},
			fixture:  "error-not-found.json",
			wantType: "NotFound", wantCode: "NotFoundException",
			wantMsg:   "Project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c… not found",
			wantFault: smithy.FaultClient, wantReqID: "rid-nf", wantAttempts: 1,
		},
		{
			name: "Argument via namespaced __type", status: 400,
			headers:  []string{"X-Amzn-RequestId", "rid-arg"},
			fixture:  "error-argument.json",
			wantType: "Argument", wantCode: "ArgumentException",
			wantMsg:   "Invalid maxResult: must be between 1 and 1000",
			wantFault: smithy.FaultClient, wantReqID: "rid-arg", wantAttempts: 1,
		},
		{
			name: "InternalService 500 with capital Message is retried", status: 500,
			headers:  []string{"X-Amzn-RequestId", "rid-ise"},
			fixture:  "error-internal.json",
			wantType: "Internal", wantCode: "InternalServiceException",
			wantMsg:   "Internal error",
			wantFault: smithy.FaultServer, wantReqID: "rid-ise", wantAttempts: 3,
		},
		{
			name: "code member", status: 400,
			headers:  []string{"X-Amzn-RequestId", "rid-code"},
			fixture:  "error-code-member.json",
			wantType: "NotFound", wantCode: "NotFoundException",
			wantMsg:   "No project with that ARN",
			wantFault: smithy.FaultClient, wantReqID: "rid-code", wantAttempts: 1,
		},
		{
			name: "lowercase code matches", status: 400,
			headers:  []string{"X-Amzn-RequestId", "rid-lc"},
			fixture:  "error-lowercase-argument.json",
			wantType: "Argument", wantCode: "ArgumentException",
			wantMsg:   "status is not valid",
			wantFault: smithy.FaultClient, wantReqID: "rid-lc", wantAttempts: 1,
		},
		{
			name: "header wins over body __type", status: 400,
			headers:  []string{"X-Amzn-ErrorType", "ArgumentException", "X-Amzn-RequestId", "rid-hdr"},
			fixture:  "error-code-member.json",
			wantType: "Argument", wantCode: "ArgumentException",
			wantMsg:   "No project with that ARN",
			wantFault: smithy.FaultClient, wantReqID: "rid-hdr", wantAttempts: 1,
		},
		{
			name: "modelled code with empty body", status: 400,
			headers:  []string{"X-Amzn-ErrorType", errNotFoundHeader, "X-Amzn-RequestId", "rid-nfe"},
			wantType: "NotFound", wantCode: "NotFoundException", wantMsg: "",
			wantFault: smithy.FaultClient, wantReqID: "rid-nfe", wantAttempts: 1,
		},
		{
			name: "request id fallback X-Amz-RequestId", status: 400,
			headers:  []string{"X-Amz-RequestId", "rid-fallback"},
			fixture:  "error-argument.json",
			wantType: "Argument", wantCode: "ArgumentException",
			wantMsg:   "Invalid maxResult: must be between 1 and 1000",
			wantFault: smithy.FaultClient, wantReqID: "rid-fallback", wantAttempts: 1,
		},
		{
			name: "x-amzn-RequestId preferred over X-Amz-RequestId", status: 400,
			headers:  []string{"X-Amz-RequestId", "rid-second", "X-Amzn-RequestId", "rid-first"},
			fixture:  "error-argument.json",
			wantType: "Argument", wantCode: "ArgumentException",
			wantMsg:   "Invalid maxResult: must be between 1 and 1000",
			wantFault: smithy.FaultClient, wantReqID: "rid-first", wantAttempts: 1,
		},
		{
			name: "unmodelled LimitExceededException (a throttle code, so retried)", status: 400,
			headers:  []string{"X-Amzn-RequestId", "rid-lim"},
			fixture:  "error-limit-exceeded.json",
			wantType: "API", wantCode: "LimitExceededException",
			wantMsg:   "Too many concurrent sessions",
			wantFault: smithy.FaultClient, wantReqID: "rid-lim", wantAttempts: 3,
		},
		{
			name: "ThrottlingException at 400 is retried", status: 400,
			headers:  []string{"X-Amzn-RequestId", "rid-thr"},
			fixture:  "error-throttling.json",
			wantType: "API", wantCode: "ThrottlingException",
			wantMsg:   "Rate exceeded",
			wantFault: smithy.FaultClient, wantReqID: "rid-thr", wantAttempts: 3,
		},
		{
			name: "unmodelled 429 with unknown code is retried", status: 429,
			headers:  []string{"X-Amzn-RequestId", "rid-429"},
			fixture:  "error-429-unknown.json",
			wantType: "API", wantCode: "EnhanceYourCalmException",
			wantMsg:   "Slow down",
			wantFault: smithy.FaultClient, wantReqID: "rid-429", wantAttempts: 3,
		},
		{
			name: "modelled error at 429 is not a throttle", status: 429,
			headers:  []string{"X-Amzn-RequestId", "rid-429m"},
			fixture:  "error-argument.json",
			wantType: "Argument", wantCode: "ArgumentException",
			wantMsg:   "Invalid maxResult: must be between 1 and 1000",
			wantFault: smithy.FaultClient, wantReqID: "rid-429m", wantAttempts: 1,
		},
		{
			name: "403 with empty body and no code", status: 403,
			headers:  []string{"X-Amzn-RequestId", "rid-403"},
			wantType: "API", wantCode: "UnknownError", wantMsg: "",
			wantFault: smithy.FaultClient, wantReqID: "rid-403", wantAttempts: 1,
		},
		{
			name: "AccessDeniedException without clock skew is not retried", status: 400,
			headers:  []string{"X-Amzn-RequestId", "rid-ade"},
			body:     `{"__type":"AccessDeniedException","message":"no"}`,
			wantType: "API", wantCode: "AccessDeniedException", wantMsg: "no",
			wantFault: smithy.FaultClient, wantReqID: "rid-ade", wantAttempts: 1,
		},
		{
			name: "HTML 502 from a proxy is retried", status: 502,
			headers:     []string{"Content-Type", "text/html", "X-Amzn-RequestId", "rid-502"},
			fixture:     "proxy-502.html",
			wantType:    "API",
			wantCode:    "UnknownError",
			wantMsgPart: "502 Bad Gateway",
			wantFault:   smithy.FaultServer, wantReqID: "rid-502", wantAttempts: 3,
		},
		{
			name: "truncated JSON error body", status: 400,
			headers:     []string{"X-Amzn-RequestId", "rid-trunc"},
			fixture:     "error-truncated.json",
			wantType:    "API",
			wantCode:    "UnknownError",
			wantMsgPart: `{"__type":"com.amazonaws.devicefarm#ArgumentExc`,
			wantFault:   smithy.FaultClient, wantReqID: "rid-trunc", wantAttempts: 1,
		},
		{
			name: "message with line breaks still gives a one-line error", status: 400,
			headers:     []string{"X-Amzn-RequestId", "rid-nl"},
			body:        `{"__type":"ArgumentException","message":"bad\nvalue\r\nX-Injected: 1"}`,
			wantType:    "Argument",
			wantCode:    "ArgumentException",
			wantMsgPart: "value",
			wantFault:   smithy.FaultClient, wantReqID: "rid-nl", wantAttempts: 1,
		},
		{
			name: "unmodelled 501 is not retried", status: 501,
			headers:  []string{"X-Amzn-RequestId", "rid-501"},
			body:     `{"__type":"NotImplemented","message":"nope"}`,
			wantType: "API", wantCode: "NotImplemented", wantMsg: "nope",
			wantFault: smithy.FaultServer, wantReqID: "rid-501", wantAttempts: 1,
		},
		{
			name: "503 with JSON error is retried", status: 503,
			headers:  []string{"X-Amzn-RequestId", "rid-503"},
			body:     `{"__type":"ServiceUnavailable","MESSAGE":"later"}`,
			wantType: "API", wantCode: "ServiceUnavailable", wantMsg: "later",
			wantFault: smithy.FaultServer, wantReqID: "rid-503", wantAttempts: 3,
		},
	}
}

func TestErrorResponse_ServiceErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range errRespCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tt.body)
			if tt.fixture != "" {
				body = fixture(t, tt.fixture)
			}
			ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				respond(w, tt.status, body, tt.headers...)
			})
			out, err := c.ListTestGridSessions(context.Background(), testInput())
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Len(t, ts.Requests(), tt.wantAttempts, "HTTP requests")

			// Outermost: *OperationError with the number of attempts.
			opErr := requireOperationError(t, err)
			assert.Equal(t, tt.wantAttempts, opErr)

			var maxErr *retry.MaxAttemptsError
			if tt.wantAttempts > 1 {
				require.True(t, errors.As(err, &maxErr), "retries exhausted: want *retry.MaxAttemptsError, got %v", err)
				assert.Equal(t, tt.wantAttempts, maxErr.Attempt)
			} else {
				assert.False(t, errors.As(err, &maxErr), "not retried: %v", err)
			}

			// The concrete type.
			var svcErr error
			switch tt.wantType {
			case "NotFound":
				var e *NotFoundException
				require.True(t, errors.As(err, &e), "want *NotFoundException, got %v", err)
				if tt.wantMsgPart == "" {
					assert.Equal(t, &NotFoundException{Message: tt.wantMsg, RequestID: tt.wantReqID, StatusCode: tt.status}, e)
				}
				assert.Equal(t, tt.wantReqID, e.RequestID)
				assert.Equal(t, tt.status, e.StatusCode)
				svcErr = e
			case "Argument":
				var e *ArgumentException
				require.True(t, errors.As(err, &e), "want *ArgumentException, got %v", err)
				if tt.wantMsgPart == "" {
					assert.Equal(t, &ArgumentException{Message: tt.wantMsg, RequestID: tt.wantReqID, StatusCode: tt.status}, e)
				}
				assert.Equal(t, tt.wantReqID, e.RequestID)
				assert.Equal(t, tt.status, e.StatusCode)
				svcErr = e
			case "Internal":
				var e *InternalServiceException
				require.True(t, errors.As(err, &e), "want *InternalServiceException, got %v", err)
				if tt.wantMsgPart == "" {
					assert.Equal(t, &InternalServiceException{Message: tt.wantMsg, RequestID: tt.wantReqID, StatusCode: tt.status}, e)
				}
				assert.Equal(t, tt.wantReqID, e.RequestID)
				assert.Equal(t, tt.status, e.StatusCode)
				svcErr = e
			case "API":
				var e *APIError
				require.True(t, errors.As(err, &e), "want *APIError, got %v", err)
				assert.Equal(t, tt.wantCode, e.Code)
				assert.Equal(t, tt.wantFault, e.Fault)
				assert.Equal(t, tt.wantReqID, e.RequestID)
				assert.Equal(t, tt.status, e.StatusCode)
				svcErr = e
			default:
				t.Fatalf("bad wantType %q", tt.wantType)
			}
			if tt.wantType != "API" {
				var e *APIError
				assert.False(t, errors.As(err, &e), "a modelled error is not also an *APIError")
			}

			// The smithy.APIError view, as SDK users match it.
			var ae smithy.APIError
			require.True(t, errors.As(err, &ae))
			assert.Same(t, svcErr, ae)
			assert.Equal(t, tt.wantCode, ae.ErrorCode())
			assert.Equal(t, tt.wantFault, ae.ErrorFault())
			if tt.wantMsgPart != "" {
				assert.Contains(t, ae.ErrorMessage(), tt.wantMsgPart)
			} else {
				assert.Equal(t, tt.wantMsg, ae.ErrorMessage())
			}

			var withStatus interface{ HTTPStatusCode() int }
			require.True(t, errors.As(err, &withStatus))
			assert.Equal(t, tt.status, withStatus.HTTPStatusCode())
			var withRID interface{ ServiceRequestID() string }
			require.True(t, errors.As(err, &withRID))
			assert.Equal(t, tt.wantReqID, withRID.ServiceRequestID())

			// The aws-sdk-go-v2 chain: *awshttp.ResponseError (request ID)
			// around *smithyhttp.ResponseError (status) around the exception.
			var awsRespErr *awshttp.ResponseError
			require.ErrorAs(t, err, &awsRespErr)
			assert.Equal(t, tt.wantReqID, awsRespErr.ServiceRequestID())
			var smithyRespErr *smithyhttp.ResponseError
			require.ErrorAs(t, err, &smithyRespErr)
			assert.Equal(t, tt.status, smithyRespErr.HTTPStatusCode())
			assert.Same(t, svcErr, smithyRespErr.Err)
			assert.Nil(t, smithyRespErr.Response.Request.Header["Authorization"], "no signature kept in the error")

			// Error strings: one line; the call's names code, status and
			// request id once, as the official client's do; never a secret.
			for _, s := range []string{svcErr.Error(), err.Error()} {
				assert.NotContains(t, s, "\n")
				assert.NotContains(t, s, "\r")
				assert.Contains(t, s, tt.wantCode)
				assert.NotContains(t, s, testSecretKey)
				assert.NotContains(t, s, testSessionToken)
				assert.NotContains(t, s, "Signature=")
			}
			prefix := "operation error Device Farm: ListTestGridSessions, "
			if tt.wantAttempts > 1 {
				prefix += fmt.Sprintf("exceeded maximum number of attempts, %d, ", tt.wantAttempts)
			}
			prefix += fmt.Sprintf("https response error StatusCode: %d, RequestID: %s, ", tt.status, tt.wantReqID)
			if tt.wantType == "API" {
				prefix += "api error " // as smithy.GenericAPIError's
			}
			prefix += tt.wantCode
			assert.True(t, strings.HasPrefix(err.Error(), prefix), "%q does not start with %q", err.Error(), prefix)
		})
	}
}

func TestErrorResponse_ProxyHTMLExcerptIsShort(t *testing.T) {
	t.Parallel()
	page := fixture(t, "proxy-502.html")
	require.Greater(t, len(page), 2*errorExcerptBytes, "fixture must be longer than the excerpt")
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 502, page, "Content-Type", "text/html")
	}, func(o *Options) { o.RetryMaxAttempts = 1 })
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	var ae *APIError
	require.True(t, errors.As(err, &ae), "got %v", err)
	assert.Len(t, ts.Requests(), 1)
	assert.Equal(t, 502, ae.StatusCode)
	assert.Equal(t, CodeUnknownError, ae.Code)
	assert.Equal(t, smithy.FaultServer, ae.Fault)
	assert.Contains(t, ae.Message, "<title>502 Bad Gateway</title>")
	assert.NotContains(t, ae.Message, "END-OF-PAGE-MARKER", "the excerpt is bounded")
	assert.LessOrEqual(t, len(ae.Message), errorExcerptBytes+64)
	assert.NotContains(t, ae.Message, "\n")
	assert.Equal(t, "", ae.RequestID)
	assert.Contains(t, err.Error(), "RequestID: , api error UnknownError", "no request id to report")
}

func TestErrorResponse_Parse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		want    error
		wantMsg string // substring, for *APIError excerpts
	}{
		{
			name: "message key any case", status: 400, body: `{"__type":"ArgumentException","mEsSaGe":"x"}`,
			want: &ArgumentException{Message: "x", StatusCode: 400},
		},
		{
			name: "exact message key wins", status: 400, body: `{"__type":"ArgumentException","Message":"upper","message":"lower"}`,
			want: &ArgumentException{Message: "lower", StatusCode: 400},
		},
		{
			name: "non-string code member ignored", status: 400, body: `{"code":42,"message":"m"}`,
			want: &APIError{Code: CodeUnknownError, Message: "m", Fault: smithy.FaultClient, StatusCode: 400},
		},
		{
			name: "__type preferred over code", status: 400, body: `{"__type":"NotFoundException","code":"ArgumentException"}`,
			want: &NotFoundException{StatusCode: 400},
		},
		{
			name: "empty __type falls back to code", status: 400, body: `{"__type":"","code":"NotFoundException"}`,
			want: &NotFoundException{StatusCode: 400},
		},
		{
			name: "two hashes: first one wins, not modelled", status: 400, body: `{"__type":"a#b#NotFoundException"}`,
			want: &APIError{Code: "b#NotFoundException", Fault: smithy.FaultClient, StatusCode: 400},
		},
		{
			name: "empty JSON object", status: 400, body: `{}`,
			want: &APIError{Code: CodeUnknownError, Fault: smithy.FaultClient, StatusCode: 400},
		},
		{
			name: "JSON null body", status: 500, body: `null`,
			want:    &APIError{Code: CodeUnknownError, Fault: smithy.FaultServer, StatusCode: 500},
			wantMsg: "non-JSON error response: null",
		},
		{
			name: "JSON array body", status: 400, body: `["NotFoundException"]`,
			want:    &APIError{Code: CodeUnknownError, Fault: smithy.FaultClient, StatusCode: 400},
			wantMsg: `non-JSON error response: ["NotFoundException"]`,
		},
		{
			name: "header code with non-JSON body", status: 400,
			header: http.Header{"X-Amzn-Errortype": {"ThrottlingException:http://x/"}}, body: `<html>`,
			want:    &APIError{Code: "ThrottlingException", Fault: smithy.FaultClient, StatusCode: 400},
			wantMsg: "non-JSON error response: <html>",
		},
		{
			name: "3xx fault unknown", status: 304, body: ``,
			want: &APIError{Code: CodeUnknownError, Fault: smithy.FaultUnknown, StatusCode: 304},
		},
		{
			name: "request id", status: 400, header: http.Header{"X-Amzn-Requestid": {"rid-9"}}, body: `{"__type":"ArgumentException"}`,
			want: &ArgumentException{RequestID: "rid-9", StatusCode: 400},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			got := parseErrorResponse(tt.status, h, requestIDFrom(h), []byte(tt.body))
			if tt.wantMsg != "" {
				var ae *APIError
				require.True(t, errors.As(got, &ae), "got %T", got)
				assert.Contains(t, ae.Message, tt.wantMsg)
				ae.Message = ""
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestErrorResponse_SanitizeErrorCode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"NotFoundException", "NotFoundException"},
		{"NotFoundException:http://internal.amazon.com/coral/com.amazonaws.devicefarm/", "NotFoundException"},
		{"com.amazonaws.devicefarm#ArgumentException", "ArgumentException"},
		{"com.amazonaws.devicefarm#NotFoundException:http://internal.amazon.com/coral/com.amazonaws.devicefarm/", "NotFoundException"},
		{"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"},
		{"FooError:http://host/#fragment", "FooError"},
		{"a#b#NotFoundException", "b#NotFoundException"},
		{"#Leading", "Leading"},
		{"Trailing#", ""},
		{":only-colon", ""},
		{" ThrottlingException ", "ThrottlingException"},
		{"", ""},
		{"0\n0", "0 0"},
		{"Bad\x00Code\u2028", "Bad Code"},
		{strings.Repeat("C", 200), strings.Repeat("C", 128)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sanitizeErrorCode(tt.in), "input %q", tt.in)
	}
}

func TestErrorResponse_RequestIDIsOneBoundedLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"x-amzn-RequestId", http.Header{"X-Amzn-Requestid": {"rid-1"}, "X-Amz-Requestid": {"rid-2"}}, "rid-1"},
		{"X-Amz-RequestId fallback", http.Header{"X-Amz-Requestid": {"rid-2"}}, "rid-2"},
		{"none", http.Header{}, ""},
		{"control characters folded", http.Header{"X-Amzn-Requestid": {"a\nb\rc\x00d"}}, "a b c d"},
		{"cut to 128 bytes on a rune boundary", http.Header{"X-Amzn-Requestid": {strings.Repeat("x", 127) + "é" + "tail"}}, strings.Repeat("x", 127)},
		{"invalid UTF-8 shown as U+FFFD, still within 128 bytes", http.Header{"X-Amzn-Requestid": {strings.Repeat("\xff", 200)}}, strings.Repeat("\uFFFD", 42)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, requestIDFrom(tt.header), tt.name)
	}
}
