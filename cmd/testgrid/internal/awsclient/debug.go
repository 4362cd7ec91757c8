package awsclient

import (
	"io"
	"log/slog"

	"github.com/testgridkit/devicefarm"
)

// WithDebugLogger returns a client option that sends the library's debug
// records to w: one record per HTTP attempt, with the attempt number,
// status, request ID, latency, the error if any and the delay before the
// retry if one follows (see devicefarm.Options.Logger). The library never
// puts credentials, signatures, headers or bodies in them. They are
// written by a log/slog text handler, one key=value line per record, which
// quotes values holding control characters, so a service's text cannot
// drive the terminal.
func WithDebugLogger(w io.Writer) func(*devicefarm.Options) {
	logger := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return func(o *devicefarm.Options) { o.Logger = logger }
}
