package devicefarm

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/smithy-go"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// Service error codes modelled for ListTestGridSessions.
const (
	CodeNotFoundException        = "NotFoundException"
	CodeArgumentException        = "ArgumentException"
	CodeInternalServiceException = "InternalServiceException"
	// CodeUnknownError is the code of an *APIError whose response named no
	// error code.
	CodeUnknownError = "UnknownError"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrResponseTooLarge is wrapped by the error returned when a response
	// body exceeds Options.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("response body exceeds the size limit")

	// ErrRetryQuotaExceeded is wrapped by the error returned when a retry was
	// needed but the retryer's client-side retry quota (a token bucket local
	// to this process, not a service limit) had no tokens left.
	ErrRetryQuotaExceeded = errors.New("client-side retry quota exhausted (a limit inside this process, not a service error)")
)

// NotFoundException is returned when the specified entity (usually the
// project) was not found. The service sends it with HTTP 400.
type NotFoundException struct {
	Message    string
	RequestID  string
	StatusCode int
}

// ArgumentException is returned when an argument was invalid. The service
// sends it with HTTP 400.
type ArgumentException struct {
	Message    string
	RequestID  string
	StatusCode int
}

// InternalServiceException is returned for an internal error in the service.
// It is a server fault; when it arrives with a 5xx status it is retried.
type InternalServiceException struct {
	Message    string
	RequestID  string
	StatusCode int
}

// APIError is any service error whose code is not one of the three modelled
// for ListTestGridSessions (for example ThrottlingException or
// AccessDeniedException), or an error response that could not be parsed
// (Code is then CodeUnknownError and Message holds a short excerpt of the body).
type APIError struct {
	Code       string
	Message    string
	Fault      smithy.ErrorFault
	RequestID  string
	StatusCode int
}

// Compile-time checks: every service error satisfies smithy.APIError, which
// users (and aws-sdk-go-v2's retryer) already match with errors.As.
var (
	_ smithy.APIError = (*NotFoundException)(nil)
	_ smithy.APIError = (*ArgumentException)(nil)
	_ smithy.APIError = (*InternalServiceException)(nil)
	_ smithy.APIError = (*APIError)(nil)
)

func (e *NotFoundException) Error() string {
	return formatServiceError(CodeNotFoundException, e.Message)
}

// ErrorCode returns "NotFoundException".
func (e *NotFoundException) ErrorCode() string { return CodeNotFoundException }

// ErrorMessage returns the service's message.
func (e *NotFoundException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *NotFoundException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns the HTTP status of the response.
func (e *NotFoundException) HTTPStatusCode() int { return e.StatusCode }

// ServiceRequestID returns the x-amzn-RequestId of the response.
func (e *NotFoundException) ServiceRequestID() string { return e.RequestID }

func (e *ArgumentException) Error() string {
	return formatServiceError(CodeArgumentException, e.Message)
}

// ErrorCode returns "ArgumentException".
func (e *ArgumentException) ErrorCode() string { return CodeArgumentException }

// ErrorMessage returns the service's message.
func (e *ArgumentException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *ArgumentException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns the HTTP status of the response.
func (e *ArgumentException) HTTPStatusCode() int { return e.StatusCode }

// ServiceRequestID returns the x-amzn-RequestId of the response.
func (e *ArgumentException) ServiceRequestID() string { return e.RequestID }

func (e *InternalServiceException) Error() string {
	return formatServiceError(CodeInternalServiceException, e.Message)
}

// ErrorCode returns "InternalServiceException".
func (e *InternalServiceException) ErrorCode() string { return CodeInternalServiceException }

// ErrorMessage returns the service's message.
func (e *InternalServiceException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultServer.
func (e *InternalServiceException) ErrorFault() smithy.ErrorFault { return smithy.FaultServer }

// HTTPStatusCode returns the HTTP status of the response.
func (e *InternalServiceException) HTTPStatusCode() int { return e.StatusCode }

// ServiceRequestID returns the x-amzn-RequestId of the response.
func (e *InternalServiceException) ServiceRequestID() string { return e.RequestID }

// Error renders "api error CODE: message", as smithy.GenericAPIError (the
// official client's error for such codes) does.
func (e *APIError) Error() string {
	return "api error " + formatServiceError(e.Code, e.Message)
}

// ErrorCode returns the error code the service sent, or CodeUnknownError.
func (e *APIError) ErrorCode() string { return e.Code }

// ErrorMessage returns the service's message.
func (e *APIError) ErrorMessage() string { return e.Message }

// ErrorFault returns the fault derived from the HTTP status: FaultClient for
// 4xx, FaultServer for 5xx, FaultUnknown otherwise. (The official client's
// smithy.GenericAPIError always says FaultUnknown; the status tells more.)
func (e *APIError) ErrorFault() smithy.ErrorFault { return e.Fault }

// HTTPStatusCode returns the HTTP status of the response.
func (e *APIError) HTTPStatusCode() int { return e.StatusCode }

// ServiceRequestID returns the x-amzn-RequestId of the response.
func (e *APIError) ServiceRequestID() string { return e.RequestID }

// formatServiceError renders the one-line form shared by all service errors,
// as the official SDK's exceptions render it: "CODE: message". The HTTP
// status and request ID are not repeated here: a call's error wraps the
// exception in an *awshttp.ResponseError, whose text gives both.
func formatServiceError(code, msg string) string {
	code = oneline.Fold(code)
	if msg == "" {
		return code
	}
	return code + ": " + oneline.Fold(msg)
}

// ValidationError reports input, or an option, that breaks a constraint:
// one of the service model's for ListTestGridSessionsInput, or a negative
// numeric option that has no meaning. It is returned before any network
// I/O, so Attempts of the call's error is 0.
type ValidationError struct {
	// Struct is the type holding Field: "Options" for a client option;
	// empty for ListTestGridSessionsInput.
	Struct string
	// Field is the input member or option, e.g. "ProjectArn".
	Field string
	// Rule says which constraint was broken, e.g. "length must be 32-1011, got 5".
	Rule string
}

func (e *ValidationError) Error() string {
	s := e.Struct
	if s == "" {
		s = "ListTestGridSessionsInput"
	}
	return "invalid " + s + "." + e.Field + ": " + e.Rule
}

// DecodeError is returned when a successful (2xx) response could not be
// decoded. It is not retried.
type DecodeError struct {
	StatusCode int
	RequestID  string
	// Snippet is the start of the body (at most 256 bytes, control
	// characters replaced), for diagnosis.
	Snippet string
	Err     error
}

func (e *DecodeError) Error() string {
	s := "cannot decode response: " + e.Err.Error()
	if e.Snippet != "" {
		s += "; body starts " + strconv.Quote(e.Snippet)
	}
	return s
}

func (e *DecodeError) Unwrap() error { return e.Err }

// HTTPStatusCode returns the HTTP status of the response.
func (e *DecodeError) HTTPStatusCode() int { return e.StatusCode }

// ConnectionError reports that the exchange with the service broke below
// HTTP: the request could not be sent or no response arrived (a refused,
// reset or dropped connection, a DNS or TLS failure, http.Client.Timeout),
// a response began and its body was cut off, or nothing arrived for
// Options.StallTimeout (Err then wraps ErrStalled). ListTestGridSessions only
// reads, so a ConnectionError is retried, except when the server's TLS
// certificate was rejected, which no retry can fix.
//
// Err is the transport's error: usually a *url.Error (a net.Error) when no
// response arrived, and io.ErrUnexpectedEOF or a net.Error for a cut body.
// A cancelled or expired context is reported as the context's error instead.
type ConnectionError struct {
	// StatusCode and RequestID are those of the response whose body was cut
	// off; both are zero when no response arrived.
	StatusCode int
	RequestID  string
	Err        error
}

func (e *ConnectionError) Error() string {
	cause := "<nil>"
	if e.Err != nil {
		cause = e.Err.Error()
	}
	if e.StatusCode == 0 {
		return "connection error: no response: " + cause
	}
	return "connection error: response body cut off: " + cause
}

func (e *ConnectionError) Unwrap() error { return e.Err }

// HTTPStatusCode returns the status of the response whose body was cut off,
// or 0 when no response arrived.
func (e *ConnectionError) HTTPStatusCode() int { return e.StatusCode }

// ConnectionError reports whether aws-sdk-go-v2's retryer should treat the
// error as a connection error and retry it: true unless the server's
// certificate failed verification.
func (e *ConnectionError) ConnectionError() bool {
	var certErr *tls.CertificateVerificationError
	return !errors.As(e.Err, &certErr)
}

// RedirectError reports a response that sent the request elsewhere.
// Redirects are never followed: the signed request, with its session token,
// would go to another host. It is not retried.
//
// With an *http.Client or an *awshttp.BuildableClient as Options.HTTPClient
// (or the default), the redirect is refused and Followed is false. Another
// HTTPClient implementation is the caller's responsibility: if it follows a
// redirect, the call fails with Followed true, because the request has
// already been sent to Location.
type RedirectError struct {
	// StatusCode is the redirect's status (301, 302, 307, 308...), or, when
	// Followed, the status of the response from Location.
	StatusCode int
	// Location is where the redirect pointed, cut to 256 bytes.
	Location string
	// Followed reports that the HTTPClient followed the redirect.
	Followed bool
}

func (e *RedirectError) Error() string {
	if e.Followed {
		return "the HTTPClient followed a redirect to " + e.Location +
			", so the signed request reached another host; make it stop at redirects (an *http.Client with CheckRedirect returning http.ErrUseLastResponse)"
	}
	return "redirect (HTTP " + strconv.Itoa(e.StatusCode) + ") to " + e.Location +
		" not followed: redirects are never followed, since the signed request would go to another host; set BaseEndpoint to the endpoint itself"
}

// ErrNoMorePages is returned by NextPage after the last page, and yielded
// once by a range over Pages or Sessions that starts after it.
var ErrNoMorePages = errors.New("devicefarm: no more pages available")

// ErrRepeatedNextToken is wrapped by the *RepeatedNextTokenError that ends a
// walk in which the service sent a nextToken already seen (a repeat, or a
// cycle such as A, B, A), rather than loop forever. Match it with errors.Is.
var ErrRepeatedNextToken = errors.New("devicefarm: service returned a nextToken already seen in this pagination")

// ErrPaginatorInUse is returned by NextPage, and yielded once by Pages and
// Sessions, when another NextPage call or range loop over the same paginator
// is in progress. The paginator's state is left untouched.
var ErrPaginatorInUse = errors.New("devicefarm: paginator already in use: a paginator is not safe for concurrent use; create one per goroutine")

// ErrStalled is wrapped by the *ConnectionError of an attempt abandoned
// because nothing arrived from the server for Options.StallTimeout.
var ErrStalled = errors.New("the server sent nothing within Options.StallTimeout")

// ErrWatcherInUse is yielded by a SessionWatcher's Events loop that started
// while another loop of the same watcher was running.
var ErrWatcherInUse = errors.New("devicefarm: session watcher already in use by another loop")

// ErrInvalidWatchToken is wrapped by the error of a SessionWatcher given a
// resume token that is malformed or was issued for another project.
var ErrInvalidWatchToken = errors.New("devicefarm: invalid session watcher resume token")

// RepeatedNextTokenError reports which page repeated a token. It matches
// ErrRepeatedNextToken with errors.Is.
type RepeatedNextTokenError struct {
	// Page is the 1-based number of the page whose response repeated a token.
	Page int
	// RequestID is that response's request ID.
	RequestID string
}

func (e *RepeatedNextTokenError) Error() string {
	if e.RequestID == "" {
		return fmt.Sprintf("%v (page %d)", ErrRepeatedNextToken, e.Page)
	}
	return fmt.Sprintf("%v (page %d, request id %s)", ErrRepeatedNextToken, e.Page, e.RequestID)
}

func (e *RepeatedNextTokenError) Unwrap() error { return ErrRepeatedNextToken }
