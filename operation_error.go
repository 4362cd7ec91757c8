package devicefarm

import (
	"errors"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// ServiceID is the service's identifier in aws-sdk-go-v2: the ServiceID of
// every *smithy.OperationError a call returns, the prefix of its span name
// and the rpc.service of its spans and metrics.
const ServiceID = "Device Farm"

// operationError wraps the cause of a failed call as the official client
// does: a *smithy.OperationError naming the service and operation, around an
// error that remembers how many HTTP attempts were made (see Attempts).
func operationError(attempts int, err error) error {
	return &smithy.OperationError{
		ServiceID:     ServiceID,
		OperationName: operationName,
		Err:           &attemptsError{attempts: attempts, err: err},
	}
}

// attemptsError carries the attempt count of a failed call without changing
// its text: Error is the cause's.
type attemptsError struct {
	attempts int
	err      error
}

func (e *attemptsError) Error() string { return e.err.Error() }
func (e *attemptsError) Unwrap() error { return e.err }

// Attempts returns the number of HTTP requests sent.
func (e *attemptsError) Attempts() int { return e.attempts }

// Attempts returns the number of HTTP requests sent by the call that
// returned err: 0 when it failed before sending anything (a
// *ValidationError, a configuration error, credentials that could not be
// retrieved, a request that could not be signed); an attempt that failed
// that way after a retry is not counted either. It reads the first error in
// err's chain that has an Attempts() int method, so a test double can stand
// in for a call's error; 0 when there is none.
func Attempts(err error) int {
	var ae interface{ Attempts() int }
	if errors.As(err, &ae) {
		return ae.Attempts()
	}
	return 0
}

// responseError wraps an error that arose after a response arrived as the
// official client's deserializers do: an *awshttp.ResponseError carrying the
// request ID, around a *smithyhttp.ResponseError carrying the response,
// around err. The response kept is a copy holding the status line and the
// headers, with no body, and whose request has neither the Authorization
// nor the X-Amz-Security-Token header, so that nothing secret hangs off an
// error that a caller may log or dump.
func responseError(resp *http.Response, requestID string, sec *secrets, err error) error {
	kept := &http.Response{
		Status:        sec.scrub(resp.Status),
		StatusCode:    resp.StatusCode,
		Proto:         resp.Proto,
		ProtoMajor:    resp.ProtoMajor,
		ProtoMinor:    resp.ProtoMinor,
		Header:        sec.scrubHeader(resp.Header),
		ContentLength: resp.ContentLength,
		Body:          http.NoBody,
	}
	if req := resp.Request; req != nil {
		h := req.Header.Clone()
		h.Del("Authorization")
		h.Del("X-Amz-Security-Token")
		kept.Request = &http.Request{Method: req.Method, URL: req.URL, Proto: req.Proto, Header: h, Host: req.Host}
	}
	return &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: kept}, Err: err},
		RequestID:     requestID,
	}
}
