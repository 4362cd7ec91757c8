package devicefarm

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// Logger is what a Client writes its debug records to. *slog.Logger
// satisfies it, and so can an adapter to any other logging library.
//
// The package does not import log/slog itself: a program that never logs
// does not link slog and its JSON handler (about 0.3 MB).
type Logger interface {
	DebugContext(ctx context.Context, msg string, args ...any)
}

// logAttempt writes one debug record per attempt. retryIn < 0 means no retry
// follows. Only non-secret fields are logged: never headers or credentials.
func logAttempt(ctx context.Context, logger Logger, call *callState, attempt int, res *attemptResult, latency, retryIn time.Duration) {
	if logger == nil {
		return
	}
	args := make([]any, 0, 18)
	args = append(args,
		"operation", operationName,
		"attempt", attempt,
		"max_attempts", call.maxAttempts,
		"invocation_id", call.invocationID,
		"status", res.status,
		"request_id", res.requestID,
		"latency", latency,
	)
	if res.err != nil {
		args = append(args, "error", res.err.Error())
	}
	if retryIn >= 0 {
		args = append(args, "retry_in", retryIn)
	}
	logger.DebugContext(ctx, "devicefarm attempt", args...)
}

// isNilPointer reports whether l holds a nil pointer, such as a nil
// *slog.Logger.
func isNilPointer(l Logger) bool {
	if l == nil {
		return false
	}
	v := reflect.ValueOf(l)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// loggerFromConfig adapts aws.Config's smithy logger to Logger when mode
// asks for retry, request or response logging; nil otherwise. The records
// are this package's per-attempt summaries, never headers or bodies, even
// when mode asks for them.
func loggerFromConfig(l logging.Logger, mode aws.ClientLogMode) Logger {
	const wanted = aws.LogRetries | aws.LogRequest | aws.LogRequestWithBody | aws.LogResponse | aws.LogResponseWithBody
	if l == nil || mode&wanted == 0 {
		return nil
	}
	return smithyLogger{l}
}

// smithyLogger writes debug records to a smithy logging.Logger as one line:
// the message, then key=value pairs.
type smithyLogger struct{ l logging.Logger }

func (s smithyLogger) DebugContext(ctx context.Context, msg string, args ...any) {
	var b strings.Builder
	b.WriteString(msg)
	for i := 0; i+1 < len(args); i += 2 {
		fmt.Fprintf(&b, " %v=%v", args[i], args[i+1])
	}
	logging.WithContext(ctx, s.l).Logf(logging.Debug, "%s", oneline.Fold(b.String()))
}
