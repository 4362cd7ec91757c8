// Package cmdutil holds what every testgrid command shares: its environment
// (Env), exit codes and the errors that choose them, the one-line failure
// messages, and the flag, time, endpoint and project ARN checks.
package cmdutil

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailure     = 1   // service, network or output error
	ExitUsage       = 2   // bad command line or unusable configuration
	ExitInterrupted = 130 // 128 + SIGINT, as shells report Ctrl-C
)

// UsageError is a problem with the command line or the configuration that
// the user has to fix; it exits with ExitUsage.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

// Usagef returns a *UsageError with the formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}

// OutputError is a failure to write to standard output.
type OutputError struct{ Err error }

func (e *OutputError) Error() string { return "writing output: " + e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// UsageFailure prints err and a pointer to cmd's help, and returns
// ExitUsage.
func UsageFailure(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "%s: %s\nrun '%s --help' for usage\n", cmd, safetext.OneLine(err.Error()), cmd)
	return ExitUsage
}

// HelpOrUsage ends command cmd when parsing its arguments returned err:
// help asked for (flag.ErrHelp) prints usage on stdout, exit 0; any other
// error is a usage failure. It reports whether the command ends, and its
// exit code; a nil err does not end it.
func HelpOrUsage(err error, stdout, stderr io.Writer, cmd, usage string) (code int, end bool) {
	switch {
	case err == nil:
		return ExitOK, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return ExitOK, true
	default:
		return UsageFailure(stderr, cmd, err), true
	}
}

// Failure prints err as one line and returns its exit code; usage errors
// get a pointer to cmd's help.
func Failure(stderr io.Writer, cmd string, err error) int {
	msg, code := DescribeError(err)
	if code == ExitUsage {
		return UsageFailure(stderr, cmd, errors.New(msg))
	}
	fmt.Fprintf(stderr, "testgrid: %s\n", safetext.OneLine(msg))
	return code
}

// Interrupted reports an interruption and returns ExitInterrupted. what
// says how far the command got: "2 pages; 20 sessions written".
func Interrupted(stderr io.Writer, what string) int {
	fmt.Fprintf(stderr, "testgrid: interrupted after %s\n", what)
	return ExitInterrupted
}

// DescribeError turns an error from listing into one line of text (no
// trailing newline, no "testgrid:" prefix) and an exit code.
//
// Service errors become "CODE: message (HTTP 400 Bad Request, request id
// RID, after 3 attempts)", with the status and request ID taken from the
// aws-sdk-go-v2 error chain (*awshttp.ResponseError). A call that failed
// before anything was sent (devicefarm.Attempts == 0: invalid input, a
// region DeviceFarm does not serve, an unusable endpoint) and a missing
// shared config profile are usage errors.
func DescribeError(err error) (string, int) {
	var (
		opErr    *smithy.OperationError
		valErr   *devicefarm.ValidationError
		apiErr   smithy.APIError
		repErr   *devicefarm.RepeatedNextTokenError
		usageErr *UsageError
		outErr   *OutputError
		decErr   *devicefarm.DecodeError
		connErr  *devicefarm.ConnectionError
		redirErr *devicefarm.RedirectError
		profErr  config.SharedConfigProfileNotExistError
	)
	errors.As(err, &opErr)
	attempts := devicefarm.Attempts(err)
	ended := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	switch {
	case errors.As(err, &usageErr):
		return usageErr.msg, ExitUsage
	case errors.As(err, &profErr):
		return profileNotFound(profErr.Profile), ExitUsage
	case errors.As(err, &valErr):
		return "invalid input: " + valErr.Field + ": " + valErr.Rule, ExitUsage
	case errors.As(err, &outErr):
		return outErr.Error(), ExitFailure
	case errors.As(err, &apiErr):
		msg := apiErr.ErrorCode()
		if m := apiErr.ErrorMessage(); m != "" {
			msg += ": " + m
		}
		msg += responseDetails(err, attempts)
		if errors.Is(err, devicefarm.ErrRetryQuotaExceeded) {
			msg += "; not retried: the client-side retry quota of this process is exhausted"
		}
		return msg, ExitFailure
	case errors.As(err, &decErr):
		return decErr.Error() + responseDetails(err, attempts), ExitFailure
	case errors.As(err, &redirErr):
		return redirErr.Error() + responseDetails(err, attempts), ExitFailure
	case errors.As(err, &connErr) && !ended:
		return connErr.Error() + responseDetails(err, attempts), ExitFailure
	case errors.As(err, &repErr):
		return fmt.Sprintf("the service repeated a pagination token on page %d (request id %s); stopped to avoid looping forever",
			repErr.Page, orDash(repErr.RequestID)), ExitFailure
	case opErr != nil && attempts == 0 && !ended:
		// Nothing was sent: the client's configuration cannot work.
		return configHint(trimLibPrefix(opErr.Err.Error())), ExitUsage
	case opErr != nil:
		return trimLibPrefix(opErr.Err.Error()), ExitFailure
	}
	return trimLibPrefix(err.Error()), ExitFailure
}

// responseDetails renders " (HTTP 400 Bad Request, request id RID, after 3
// attempts)" from the aws-sdk-go-v2 error chain: the status and request ID
// ("-" when the service sent none) of the response the error came with,
// when there was one, and the attempts when more than one. It is "" when
// there is nothing to say.
func responseDetails(err error, attempts int) string {
	var details []string
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		if status := respErr.HTTPStatusCode(); status != 0 {
			details = append(details, strings.TrimSpace(fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))))
		}
		details = append(details, "request id "+orDash(respErr.ServiceRequestID()))
	}
	if attempts > 1 {
		details = append(details, fmt.Sprintf("after %d attempts", attempts))
	}
	if len(details) == 0 {
		return ""
	}
	return " (" + strings.Join(details, ", ") + ")"
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
