package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"
	"github.com/testgridkit/devicefarm"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1   // service, network or output error
	exitUsage       = 2   // bad command line or unusable configuration
	exitInterrupted = 130 // 128 + SIGINT, as shells report Ctrl-C
)

// usageError is a problem with the command line or the configuration that
// the user has to fix; it exits with exitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// outputError is a failure to write to standard output.
type outputError struct{ err error }

func (e *outputError) Error() string { return "writing output: " + e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }

// usageFailure prints err and a pointer to cmd's help, and returns
// exitUsage.
func usageFailure(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "%s: %s\nrun '%s --help' for usage\n", cmd, oneLine(err.Error()), cmd)
	return exitUsage
}

// describeError turns an error from listing into one line of text (no
// trailing newline, no "testgrid:" prefix) and an exit code.
//
// Service errors become "CODE: message (HTTP 400 Bad Request, request id
// RID, after 3 attempts)". A call that failed before anything was sent
// (devicefarm.OperationError.Attempts == 0: invalid input, a region
// DeviceFarm does not serve, an unusable endpoint) and a missing shared
// config profile are usage errors.
func describeError(err error) (string, int) {
	var (
		opErr    *devicefarm.OperationError
		valErr   *devicefarm.ValidationError
		apiErr   smithy.APIError
		repErr   *devicefarm.RepeatedNextTokenError
		usageErr *usageError
		outErr   *outputError
		decErr   *devicefarm.DecodeError
		connErr  *devicefarm.ConnectionError
		profErr  config.SharedConfigProfileNotExistError
	)
	attempts := 0
	if errors.As(err, &opErr) {
		attempts = opErr.Attempts
	}
	switch {
	case errors.As(err, &usageErr):
		return usageErr.msg, exitUsage
	case errors.As(err, &profErr):
		return fmt.Sprintf("AWS profile %q not found in the shared config files", profErr.Profile), exitUsage
	case errors.As(err, &valErr):
		return "invalid input: " + valErr.Field + ": " + valErr.Rule, exitUsage
	case errors.As(err, &outErr):
		return outErr.Error(), exitFailure
	case errors.As(err, &apiErr):
		msg := describeAPIError(apiErr, attempts)
		if errors.Is(err, devicefarm.ErrRetryQuotaExceeded) {
			msg += "; not retried: the client-side retry quota of this process is exhausted"
		}
		return msg, exitFailure
	case errors.As(err, &decErr):
		return trimLibPrefix(decErr.Error()), exitFailure
	case errors.As(err, &connErr) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		msg := trimLibPrefix(connErr.Error())
		if attempts > 1 {
			msg += fmt.Sprintf(" (after %d attempts)", attempts)
		}
		return msg, exitFailure
	case errors.As(err, &repErr):
		return fmt.Sprintf("the service repeated a pagination token on page %d (request id %s); stopped to avoid looping forever",
			repErr.Page, orDash(repErr.RequestID)), exitFailure
	case opErr != nil && attempts == 0 && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		// Nothing was sent: the client's configuration cannot work.
		return trimLibPrefix(opErr.Err.Error()), exitUsage
	}
	return trimLibPrefix(err.Error()), exitFailure
}

// describeAPIError formats a service error on one line with its code,
// message, HTTP status and request ID.
func describeAPIError(e smithy.APIError, attempts int) string {
	var b strings.Builder
	b.WriteString(e.ErrorCode())
	if msg := e.ErrorMessage(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	var details []string
	var withStatus interface{ HTTPStatusCode() int }
	if errors.As(e, &withStatus) && withStatus.HTTPStatusCode() != 0 {
		status := withStatus.HTTPStatusCode()
		details = append(details, strings.TrimSpace(fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))))
	}
	var withID interface{ ServiceRequestID() string }
	rid := ""
	if errors.As(e, &withID) {
		rid = withID.ServiceRequestID()
	}
	details = append(details, "request id "+orDash(rid))
	if attempts > 1 {
		details = append(details, fmt.Sprintf("after %d attempts", attempts))
	}
	b.WriteString(" (")
	b.WriteString(strings.Join(details, ", "))
	b.WriteString(")")
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// trimLibPrefix removes the library's "devicefarm: " prefix, which reads
// oddly after "testgrid: ".
func trimLibPrefix(s string) string {
	return strings.TrimPrefix(s, "devicefarm: ")
}

// oneLine replaces control characters (newlines, escape sequences) with
// spaces, so that a message is one line and cannot drive the terminal.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}
