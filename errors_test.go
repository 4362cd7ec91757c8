package devicefarm

import (
	"errors"
	"io"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
)

func TestErrors_ErrorStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&NotFoundException{Message: "gone", RequestID: "rid-1", StatusCode: 400}, "NotFoundException: gone"},
		{&ArgumentException{Message: "bad", RequestID: "rid-2", StatusCode: 400}, "ArgumentException: bad"},
		{&InternalServiceException{Message: "oops", RequestID: "rid-3", StatusCode: 500}, "InternalServiceException: oops"},
		{&APIError{Code: "ThrottlingException", Message: "Rate exceeded", RequestID: "rid-4", StatusCode: 400}, "api error ThrottlingException: Rate exceeded"},
		{&APIError{Code: "UnknownError", StatusCode: 403}, "api error UnknownError"},
		{&ValidationError{Field: "MaxResult", Rule: "must be 1-1000 when set, got 0"}, "invalid ListTestGridSessionsInput.MaxResult: must be 1-1000 when set, got 0"},
		{operationError(3, errors.New("boom")), "operation error Device Farm: ListTestGridSessions, boom"},
		{&ConnectionError{Err: errors.New("EOF")}, "connection error: no response: EOF"},
		{&ConnectionError{StatusCode: 200, RequestID: "rid-5", Err: io.ErrUnexpectedEOF}, "connection error: response body cut off: unexpected EOF"},
		{&ConnectionError{StatusCode: 200, Err: ErrStalled}, "connection error: response body cut off: the server sent nothing within Options.StallTimeout"},
		{&ConnectionError{}, "connection error: no response: <nil>"},
		{&DecodeError{StatusCode: 200, RequestID: "rid-6", Snippet: "[1,2]", Err: errors.New("response is not a JSON object")}, `cannot decode response: response is not a JSON object; body starts "[1,2]"`},
		{&DecodeError{StatusCode: 204, Err: errors.New("x")}, "cannot decode response: x"},
		// Codes and messages from a response, or from a user, are folded to one line.
		{&APIError{Code: "Two\nLines", Message: "a\rb", StatusCode: 400}, "api error Two Lines: a b"},
		{&APIError{Code: "C1\u009b", Message: "x\u0085y\u2028z", StatusCode: 400}, "api error C1 : x y z"},
		{&NotFoundException{Message: "line1\nline2", StatusCode: 400}, "NotFoundException: line1 line2"},
		{&ArgumentException{Message: "line1\r\nX-Injected: 1", StatusCode: 400}, "ArgumentException: line1  X-Injected: 1"},
		{&InternalServiceException{Message: "a\nb", StatusCode: 500}, "InternalServiceException: a b"},
		{&RedirectError{StatusCode: 307, Location: "https://elsewhere.example/"}, "redirect (HTTP 307) to https://elsewhere.example/ not followed: redirects are never followed, since the signed request would go to another host; set BaseEndpoint to the endpoint itself"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}

// Every service error answers smithy.APIError and the status and request
// ID interfaces of the official client's errors.
func TestErrors_ServiceErrorMethods(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err interface {
			smithy.APIError
			HTTPStatusCode() int
			ServiceRequestID() string
		}
		code  string
		fault smithy.ErrorFault
	}{
		{&NotFoundException{Message: "m", RequestID: "r", StatusCode: 400}, "NotFoundException", smithy.FaultClient},
		{&ArgumentException{Message: "m", RequestID: "r", StatusCode: 400}, "ArgumentException", smithy.FaultClient},
		{&InternalServiceException{Message: "m", RequestID: "r", StatusCode: 400}, "InternalServiceException", smithy.FaultServer},
		{&APIError{Code: "C", Message: "m", Fault: smithy.FaultUnknown, RequestID: "r", StatusCode: 400}, "C", smithy.FaultUnknown},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.code, tt.err.ErrorCode())
		assert.Equal(t, "m", tt.err.ErrorMessage())
		assert.Equal(t, tt.fault, tt.err.ErrorFault(), tt.code)
		assert.Equal(t, 400, tt.err.HTTPStatusCode())
		assert.Equal(t, "r", tt.err.ServiceRequestID())
	}
}
