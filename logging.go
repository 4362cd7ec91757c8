package devicefarm

import (
	"context"
	"reflect"
	"time"
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
