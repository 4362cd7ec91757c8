package devicefarm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
)

// fuzzResponse is one scripted HTTP response. Its body, error type and
// request ID may hold the placeholders {{SECRET}}, {{TOKEN}}, {{AKID}},
// {{SIG}} and {{AUTH}}, which fuzzDoer replaces with the signed request's
// own values, so the fuzzer explores responses that echo them.
type fuzzResponse struct {
	status    int
	errorType string
	requestID string
	body      []byte
	// Response shape flags.
	noLength   bool // no Content-Length (a chunked body)
	cutBody    bool // the body read fails with io.ErrUnexpectedEOF halfway
	skewedDate bool // a Date header one hour ahead of the signing clock
}

const (
	fuzzModeNoLength = 1 << iota
	fuzzModeCutBody
	fuzzModeSkewedDate
)

const fuzzMaxResponseBytes = 64 << 10

type fuzzDoer struct {
	resp fuzzResponse
	now  time.Time

	mu         sync.Mutex
	signatures []string
	maxBody    int // longest body sent, placeholders replaced
}

func (d *fuzzDoer) Do(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	auth := r.Header.Get("Authorization")
	d.mu.Lock()
	echo := strings.NewReplacer(
		"{{SECRET}}", testSecretKey, "{{TOKEN}}", testSessionToken, "{{AKID}}", testAccessKey,
		"{{SIG}}", signatureOf(auth), "{{AUTH}}", auth)
	body := []byte(echo.Replace(string(d.resp.body)))
	d.signatures = append(d.signatures, signatureOf(auth))
	d.maxBody = max(d.maxBody, len(body))
	d.mu.Unlock()
	h := http.Header{}
	if d.resp.errorType != "" {
		h.Set("X-Amzn-Errortype", echo.Replace(d.resp.errorType))
	}
	if d.resp.requestID != "" {
		h.Set("X-Amzn-Requestid", echo.Replace(d.resp.requestID))
	}
	if d.resp.skewedDate {
		h.Set("Date", d.now.Add(time.Hour).UTC().Format(http.TimeFormat))
	}
	length := int64(len(body))
	if d.resp.noLength {
		length = -1
	}
	var rd io.Reader = bytes.NewReader(body)
	if d.resp.cutBody {
		rd = io.MultiReader(bytes.NewReader(body[:len(body)/2]), errReader{io.ErrUnexpectedEOF})
	}
	return &http.Response{StatusCode: d.resp.status, Header: h, Body: io.NopCloser(rd), ContentLength: length, Request: r}, nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// FuzzListTestGridSessionsResponse drives a whole call through the client
// against one scripted response (status, error-type and request-ID headers,
// body, shape). Whatever arrives, the call must not panic, must return
// either a page (2xx only) or a *smithy.OperationError holding one of the
// documented typed errors, must render that error on one line, and must
// never show the request's secret key, session token, access key ID or
// signature in the error, its %+v, or the debug log.
func FuzzListTestGridSessionsResponse(f *testing.F) {
	add := func(status int, errorType, requestID, body string, mode uint8) {
		f.Add(uint16(status), errorType, requestID, []byte(body), mode)
	}
	add(200, "", "rid-1", string(renderPage(2, "tok")), 0)
	add(200, "", "rid-2", string(renderPage(1, "")), fuzzModeNoLength)
	add(200, "", "rid-3", string(renderPage(3, "")), fuzzModeCutBody)
	add(200, "", "", `{"testGridSessions":[{"arn":"{{SECRET}}","created":"{{TOKEN}}"}]}`, 0)
	add(200, "", "", `{"testGridSessions":[{"created":"\u0053ECRETCANARY/0000000000000000000000000001"}]}`, 0)
	add(200, "", "", strings.Repeat("y", errorExcerptBytes-20)+"{{TOKEN}} not json", 0)
	add(200, "", "{{AKID}}", "<html>{{AUTH}}</html>", fuzzModeNoLength)
	add(400, "", "rid-4", `{"__type":"com.amazonaws.devicefarm#ArgumentException","message":"bad {{TOKEN}}"}`, 0)
	add(400, "NotFoundException:http://internal.amazon.com/", "rid-5", `{"message":"Project not found"}`, 0)
	add(500, "InternalServiceException", "rid-6", `{"message":"boom"}`, 0)
	add(403, "InvalidSignatureException", "rid-7", `{"message":"The request signature we calculated does not match. The Canonical String for this request should have been\n'POST\n/\n\nx-amz-security-token:{{TOKEN}}\n' {{AUTH}}"}`, fuzzModeSkewedDate)
	add(403, "", "", `{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid: {{TOKEN}}"}`, 0)
	add(400, "", "", `{"__type":"ThrottlingException","message":"Rate exceeded"}`, 0)
	add(429, "", "{{SIG}}", `{"code":"TooManyRequestsException","Message":"slow down"}`, 0)
	add(502, "", "", "<html><head><title>502 Bad Gateway</title></head><body>{{SECRET}}</body></html>", 0)
	add(503, "", "", "", 0)
	add(504, "", "", strings.Repeat("x", errorExcerptBytes-20)+"{{SECRET}}", fuzzModeNoLength)
	add(301, "", "", `{"message":"moved"}`, 0)
	add(200, "", "", `{"testGridSessions":[`+strings.Repeat(`{},`, 50)+`{}]}`, fuzzModeCutBody|fuzzModeNoLength)
	for _, b := range fixtures(f, "error-*.json") {
		add(400, "", "rid-fixture", string(b), 0)
	}
	for _, b := range fixtures(f, "decode-*.json") {
		add(200, "", "rid-fixture", string(b), 0)
	}

	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status uint16, errorType, requestID string, body []byte, mode uint8) {
		st := int(status)
		if st < 100 || st > 599 {
			st = 100 + st%500
		}
		resp := fuzzResponse{
			status:     st,
			errorType:  errorType,
			requestID:  requestID,
			body:       body,
			noLength:   mode&fuzzModeNoLength != 0,
			cutBody:    mode&fuzzModeCutBody != 0,
			skewedDate: mode&fuzzModeSkewedDate != 0,
		}
		doer := &fuzzDoer{resp: resp, now: now}
		var logs bytes.Buffer
		c := New(Options{
			BaseEndpoint:     "http://127.0.0.1:1",
			Credentials:      testCredentials(),
			HTTPClient:       doer,
			Retryer:          noDelayRetryer(2),
			MaxResponseBytes: fuzzMaxResponseBytes,
			Logger:           slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		}, func(o *Options) { o.now = func() time.Time { return now } })

		out, err := c.ListTestGridSessions(context.Background(), testInput())
		checkResponseOutcome(t, resp, doer.maxBody, out, err)
		texts := []string{logs.String()}
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
		// A whole value is a leak whoever wrote it. So are its first 12
		// bytes (a secret cut short by an excerpt), unless the fuzzer wrote
		// those itself, literally or through JSON escapes.
		raw := string(body) + errorType + requestID
		raw += jsonUnescaper.ReplaceAllStringFunc(raw, unescapeJSON)
		for _, text := range texts {
			for _, secret := range append([]string{testSecretKey, testSessionToken, testAccessKey}, doer.signatures...) {
				whole := strings.Contains(text, secret)
				cut := strings.Contains(text, secret[:12]) && !strings.Contains(raw, secret[:12])
				if whole || cut {
					t.Fatalf("secret %q leaked into %q\nresponse: %+v", secret, text, resp)
				}
			}
		}
	})
}

// jsonUnescaper finds the JSON escapes through which a fuzzer can write a
// canary's first bytes without any placeholder.
var jsonUnescaper = regexp.MustCompile(`\\u[0-9a-fA-F]{4}|\\.`)

func unescapeJSON(esc string) string {
	if s, err := strconv.Unquote(`"` + esc + `"`); err == nil {
		return s
	}
	return esc[1:]
}

// checkResponseOutcome holds a call's result to the documented outcomes for
// the response it got.
func checkResponseOutcome(t *testing.T, resp fuzzResponse, bodyLen int, out *ListTestGridSessionsOutput, err error) {
	t.Helper()
	success := resp.status >= 200 && resp.status <= 299
	if err == nil {
		if !success || out == nil || resp.cutBody {
			t.Fatalf("status %d (cut body %v): got a page %v and no error", resp.status, resp.cutBody, out)
		}
		if len(out.TestGridSessions) > maxSessionsPerPage {
			t.Fatalf("%d sessions: more than the page bound", len(out.TestGridSessions))
		}
		return
	}
	if out != nil {
		t.Fatalf("got both a page and error %v", err)
	}
	var oe *smithy.OperationError
	if n := Attempts(err); !errors.As(err, &oe) || n < 1 || n > 2 {
		t.Fatalf("error %T %v: want a *smithy.OperationError with 1 or 2 attempts", err, err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("error text is not one line: %q", msg)
	}
	var (
		de *DecodeError
		ce *ConnectionError
		ae smithy.APIError
	)
	switch {
	case errors.Is(err, ErrResponseTooLarge):
		if bodyLen <= fuzzMaxResponseBytes {
			t.Fatalf("%v for a body of %d bytes", err, bodyLen)
		}
	case errors.As(err, &ce):
		if !resp.cutBody {
			t.Fatalf("ConnectionError %v without a cut body", err)
		}
	case errors.As(err, &de):
		if !success {
			t.Fatalf("DecodeError %v for status %d", err, resp.status)
		}
	case errors.As(err, &ae):
		if success {
			t.Fatalf("service error %v for status %d", err, resp.status)
		}
		if ae.ErrorCode() == "" {
			t.Fatalf("service error %v has no code", err)
		}
	default:
		t.Fatalf("untyped error %T: %v", errors.Unwrap(err), err)
	}
}
