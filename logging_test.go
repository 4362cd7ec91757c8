package devicefarm

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func debugLogger(level slog.Level) (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: level})), buf
}

// logRecords parses JSON log lines.
func logRecords(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), "log line %q", line)
		recs = append(recs, m)
	}
	return recs
}

func TestLogging_OneRecordPerAttempt(t *testing.T) {
	logger, buf := debugLogger(slog.LevelDebug)
	_, c := newTestServer(t, retryScript(
		retryStep{status: 503, body: `{"message":"busy"}`, headers: []string{"X-Amz-Retry-After", "30"}},
		ok200,
	), func(o *Options) { o.Logger = logger })

	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)

	recs := logRecords(t, buf.String())
	require.Len(t, recs, 2)
	for i, r := range recs {
		assert.Equal(t, "DEBUG", r["level"])
		assert.Equal(t, "devicefarm attempt", r["msg"])
		assert.Equal(t, "ListTestGridSessions", r["operation"])
		assert.Equal(t, float64(i+1), r["attempt"])
		assert.Equal(t, float64(3), r["max_attempts"])
		assert.Equal(t, fmt.Sprintf("rid-%d", i+1), r["request_id"])
		require.Contains(t, r, "latency")
		assert.GreaterOrEqual(t, r["latency"], float64(0))
	}
	assert.Equal(t, recs[0]["invocation_id"], recs[1]["invocation_id"])
	assert.Len(t, recs[0]["invocation_id"], 36)

	// The retried attempt: its status, error and the delay before the next
	// one (zero backoff stretched to the 30 ms of X-Amz-Retry-After).
	assert.Equal(t, float64(503), recs[0]["status"])
	assert.Contains(t, recs[0]["error"], "busy")
	assert.Equal(t, float64(30*time.Millisecond), recs[0]["retry_in"])

	// The successful attempt: no error, no retry.
	assert.Equal(t, float64(200), recs[1]["status"])
	assert.NotContains(t, recs[1], "error")
	assert.NotContains(t, recs[1], "retry_in")
}

func TestLogging_RetryInReflectsRetryAfter(t *testing.T) {
	// The retryer's delay is zero (noDelayRetryer), so retry_in is exactly
	// what X-Amz-Retry-After makes of it.
	tests := []struct {
		header string
		want   time.Duration
	}{
		{header: "", want: 0},
		{header: "30", want: 30 * time.Millisecond},
		{header: "0", want: 0},
		{header: "abc", want: 0},
		{header: "-5", want: 0},
		{header: "1.5", want: 0},
	}
	for _, tt := range tests {
		t.Run("header "+strconv.Quote(tt.header), func(t *testing.T) {
			logger, buf := debugLogger(slog.LevelDebug)
			first := retryStep{status: 503, body: `{"message":"busy"}`}
			if tt.header != "" {
				first.headers = []string{"X-Amz-Retry-After", tt.header}
			}
			_, c := newTestServer(t, retryScript(first, ok200), func(o *Options) { o.Logger = logger })
			_, err := c.ListTestGridSessions(context.Background(), testInput())
			require.NoError(t, err)
			recs := logRecords(t, buf.String())
			require.Len(t, recs, 2)
			assert.Equal(t, float64(tt.want), recs[0]["retry_in"])
		})
	}
}

func TestLogging_FinalAttempts(t *testing.T) {
	closedURL := closedLoopbackURL(t)
	tests := []struct {
		name        string
		handler     func(w http.ResponseWriter, r *http.Request, body []byte)
		endpoint    string // overrides the test server
		wantRecords int
		wantStatus  float64
		wantRID     string
		wantErr     string
	}{
		{
			name:        "non-retryable service error",
			handler:     retryScript(retryStep{status: 400, body: `{"__type":"NotFoundException","message":"no such project"}`}),
			wantRecords: 1, wantStatus: 400, wantRID: "rid-1", wantErr: "no such project",
		},
		{
			name:        "retries exhausted",
			handler:     retryScript(unavailable),
			wantRecords: 3, wantStatus: 503, wantRID: "rid-3", wantErr: "service unavailable",
		},
		{
			name:        "transport failure",
			endpoint:    closedURL,
			wantRecords: 3, wantStatus: 0, wantRID: "", wantErr: "connect",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, buf := loggedServer(t, tt.handler, tt.endpoint)
			_, err := c.ListTestGridSessions(context.Background(), testInput())
			require.Error(t, err)

			recs := logRecords(t, buf.String())
			require.Len(t, recs, tt.wantRecords)
			for i, r := range recs {
				assert.Equal(t, float64(i+1), r["attempt"])
				if i < len(recs)-1 {
					assert.Contains(t, r, "retry_in", "attempt %d was retried", i+1)
				}
			}
			last := recs[len(recs)-1]
			assert.Equal(t, tt.wantStatus, last["status"])
			assert.Equal(t, tt.wantRID, last["request_id"])
			assert.Contains(t, last["error"], tt.wantErr)
			assert.NotContains(t, last, "retry_in", "no retry follows the last attempt")
		})
	}
}

// loggedServer starts a test server answering with h (ok200 when nil) and
// a client that logs at debug level into the returned buffer; a non-empty
// endpoint points the client elsewhere.
func loggedServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte), endpoint string) (*testServer, *Client, *syncBuffer) {
	t.Helper()
	logger, buf := debugLogger(slog.LevelDebug)
	if h == nil {
		h = retryScript(ok200)
	}
	ts, c := newTestServer(t, h, func(o *Options) {
		o.Logger = logger
		if endpoint != "" {
			o.BaseEndpoint = endpoint
		}
	})
	return ts, c, buf
}

// closedLoopbackURL returns an http URL on a loopback port nothing listens on.
func closedLoopbackURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

func TestLogging_NilLoggerIsSilent(t *testing.T) {
	// A nil Logger must not fall back to slog's default logger.
	buf := &syncBuffer{}
	oldDefault, oldOut, oldFlags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() {
		slog.SetDefault(oldDefault)
		log.SetOutput(oldOut)
		log.SetFlags(oldFlags)
	})

	_, c := newTestServer(t, retryScript(unavailable, ok200))
	require.Nil(t, c.Options().Logger)
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)

	// A typed nil *slog.Logger is treated as no logger, not called.
	var typedNil *slog.Logger
	_, c = newTestServer(t, retryScript(unavailable, ok200), func(o *Options) { o.Logger = typedNil })
	require.Nil(t, c.Options().Logger)
	_, err = c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) { o.Logger = typedNil })
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestLogging_InfoLevelGetsNothing(t *testing.T) {
	logger, buf := debugLogger(slog.LevelInfo)
	_, c := newTestServer(t, retryScript(unavailable, retryStep{status: 400, body: `{"__type":"ArgumentException","message":"bad"}`}),
		func(o *Options) { o.Logger = logger })
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.Error(t, err)
	assert.Empty(t, buf.String())
}

func TestLogging_NoSecretsInLogsOrErrors(t *testing.T) {
	type tc struct {
		name     string
		handler  func(w http.ResponseWriter, r *http.Request, body []byte)
		endpoint string
		ctx      func() (context.Context, context.CancelFunc)
		wantErr  bool
	}
	deadline := newExpiringContext()
	tests := []tc{
		{name: "success", handler: retryScript(ok200)},
		{name: "retry then success", handler: retryScript(unavailable, ok200)},
		{name: "service error", handler: retryScript(retryStep{status: 400, body: `{"__type":"NotFoundException","message":"no such project"}`}), wantErr: true},
		{name: "signature error", handler: retryScript(retryStep{status: 403, body: `{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match the signature you provided."}`}), wantErr: true},
		{name: "retries exhausted", handler: retryScript(unavailable), wantErr: true},
		{name: "non-JSON error body", handler: retryScript(retryStep{status: 502, body: "<html>gateway</html>"}), wantErr: true},
		{name: "undecodable success", handler: retryScript(retryStep{status: 200, body: `{"testGridSessions":"nope"}`}), wantErr: true},
		{name: "connection dropped mid-body", handler: func(w http.ResponseWriter, r *http.Request, _ []byte) { abortMidBody(t)(w) }, wantErr: true},
		{name: "connection refused", endpoint: closedLoopbackURL(t), wantErr: true},
		{name: "deadline", handler: func(w http.ResponseWriter, r *http.Request, _ []byte) {
			deadline.expire() // the deadline passes while the request is at the server
			<-r.Context().Done()
		}, ctx: func() (context.Context, context.CancelFunc) {
			return deadline, func() {}
		}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c, buf := loggedServer(t, tt.handler, tt.endpoint)
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if tt.ctx != nil {
				ctx, cancel = tt.ctx()
			}
			defer cancel()
			_, err := c.ListTestGridSessions(ctx, testInput())
			sigs := receivedSignatures(ts.Requests())

			logs := buf.String()
			require.NotEmpty(t, logs)
			assert.Empty(t, secretLeaks(logs, sigs), "secrets in the log output:\n%s", logs)
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, form := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				assert.Empty(t, secretLeaks(form, sigs), "secrets in the error: %s", form)
			}
		})
	}
}

// TestLogging_NoSecretsWhenServerEchoesThem: AWS services echo parts of the
// request in some signature errors (IncompleteSignatureException quotes the
// Authorization header; InvalidSignatureException quotes the canonical
// request, x-amz-security-token included). The package promises that
// credentials, signatures and session tokens never appear in errors or logs.
func TestLogging_NoSecretsWhenServerEchoesThem(t *testing.T) {
	var n atomic.Int32
	logger, buf := debugLogger(slog.LevelDebug)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		msg := "The request signature we calculated does not match the signature you provided.\n\n" +
			"The Canonical String for this request should have been\n'POST\n/prefix/\n\nx-amz-security-token:" + r.Header.Get("X-Amz-Security-Token") + "\n'"
		if n.Add(1) > 1 {
			msg = "Authorization header requires 'Credential' parameter. Authorization=" + r.Header.Get("Authorization")
		}
		body, _ := json.Marshal(map[string]string{"__type": "InvalidSignatureException", "message": msg})
		respond(w, 403, body)
	}, func(o *Options) { o.Logger = logger })

	for range 2 {
		_, err := c.ListTestGridSessions(context.Background(), testInput())
		require.Error(t, err)
		sigs := receivedSignatures(ts.Requests())
		for _, form := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			assert.Empty(t, secretLeaks(form, sigs), "secrets in the error: %s", form)
		}
		assert.Empty(t, secretLeaks(buf.String(), sigs), "secrets in the log output")
	}
}

// cfg.Logger receives the per-attempt records when cfg.ClientLogMode asks
// for retries, requests or responses.
func TestNewFromConfig_Logger(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		mode aws.ClientLogMode
		want bool
	}{
		{0, false},
		{aws.LogSigning, false},
		{aws.LogRetries, true},
		{aws.LogRequest, true},
		{aws.LogResponseWithBody, true},
	} {
		var lines []string
		logger := logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
			assert.Equal(t, logging.Debug, c)
			lines = append(lines, fmt.Sprintf(format, v...))
		})
		ts, _ := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			respond(w, 200, []byte(`{"testGridSessions":[]}`), "X-Amzn-RequestId", "rid-log")
		})
		c := NewFromConfig(aws.Config{Credentials: testCredentials(), BaseEndpoint: aws.String(ts.URL + testBasePath), Logger: logger, ClientLogMode: tt.mode})
		_, err := c.ListTestGridSessions(context.Background(), testInput())
		require.NoError(t, err)
		if !tt.want {
			assert.Empty(t, lines, "mode %v", tt.mode)
			continue
		}
		require.Len(t, lines, 1, "mode %v", tt.mode)
		assert.True(t, strings.HasPrefix(lines[0], "devicefarm attempt operation=ListTestGridSessions attempt=1 "), lines[0])
		assert.Contains(t, lines[0], " status=200 request_id=rid-log ")
		for _, secret := range []string{testAccessKey, testSecretKey, testSessionToken, "Signature="} {
			assert.NotContains(t, lines[0], secret)
		}
	}
}
