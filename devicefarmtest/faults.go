package devicefarmtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
)

// FaultKind selects what an injected Fault does.
type FaultKind int

// Fault kinds.
const (
	// FaultError sends an AWS-style error: Status (default 500),
	// X-Amzn-ErrorType Code (default InternalServiceException) and the body
	// {"__type":Code,"message":Message}.
	FaultError FaultKind = iota
	// FaultTruncatedBody sends 200 with a Content-Length that matches the
	// body, but the body is a page of JSON cut short.
	FaultTruncatedBody
	// FaultMalformedBody sends 200 with a JSON content type and a body that
	// is not JSON.
	FaultMalformedBody
	// FaultCloseBeforeResponse closes the connection without sending
	// anything.
	FaultCloseBeforeResponse
	// FaultCloseMidBody sends 200 headers with the full Content-Length and
	// part of the body, then closes the connection.
	FaultCloseMidBody
	// FaultHTML sends a proxy-style HTML error page (text/html), status
	// default 502.
	FaultHTML
	// FaultHang sends nothing until the request's context ends or the
	// server is closed, then drops the connection.
	FaultHang
	// FaultOversizedBody sends 200 with a valid JSON page of Size bytes
	// (default devicefarm.DefaultMaxResponseBytes+1, at least 23) padded
	// with an unknown member, so it decodes when the client allows that
	// size.
	FaultOversizedBody
	// FaultEmptyPage sends 200 with an empty page and a fresh nextToken,
	// {"testGridSessions":[],"nextToken":T}. T resumes exactly where the
	// call started (at the request's nextToken, or at the start of the
	// listing when it had none), so following T returns the page the call
	// would have returned: a client that follows tokens loses and repeats
	// nothing, it only makes one more call. T is a new string, different
	// from the request's nextToken and from every token issued before. The
	// call's input, nextToken and project are still checked, and a call
	// that fails them gets its normal error response (the fault is consumed
	// all the same). Status is ignored.
	FaultEmptyPage
	// FaultRepeatToken sends the call's normal page (the sessions it would
	// get), but with the request's own nextToken, byte for byte, as the
	// response's nextToken, even on the last page: a service stuck on a
	// page. A request without a nextToken (a first page) gets its normal
	// response unchanged, so aim it at the second page or later. As with
	// FaultEmptyPage, a call that fails its input, nextToken or project
	// checks gets its normal error response, and Status is ignored.
	FaultRepeatToken
	// FaultStallMidBody sends 200 headers with the full Content-Length and
	// part of the body, then sends nothing more until the request's context
	// ends or the server is closed, and drops the connection: a server that
	// stalls without closing, which only a timeout can end.
	FaultStallMidBody
)

// noFault asks listTestGridSessions for the normal response.
const noFault FaultKind = -1

var faultKindNames = [...]string{
	FaultError:               "FaultError",
	FaultTruncatedBody:       "FaultTruncatedBody",
	FaultMalformedBody:       "FaultMalformedBody",
	FaultCloseBeforeResponse: "FaultCloseBeforeResponse",
	FaultCloseMidBody:        "FaultCloseMidBody",
	FaultHTML:                "FaultHTML",
	FaultHang:                "FaultHang",
	FaultOversizedBody:       "FaultOversizedBody",
	FaultEmptyPage:           "FaultEmptyPage",
	FaultRepeatToken:         "FaultRepeatToken",
	FaultStallMidBody:        "FaultStallMidBody",
}

// String returns the constant's name, e.g. "FaultHang".
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultKindNames) {
		return faultKindNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText returns the constant's name, e.g. "FaultHang", so that a
// FaultKind reads as its name in JSON. It fails for an unknown kind.
func (k FaultKind) MarshalText() ([]byte, error) {
	if k < 0 || int(k) >= len(faultKindNames) {
		return nil, fmt.Errorf("devicefarmtest: unknown fault kind %d", int(k))
	}
	return []byte(faultKindNames[k]), nil
}

// UnmarshalText sets k to the kind named text, one of the constants' names
// ("FaultError" to "FaultStallMidBody"), exactly as String writes them.
func (k *FaultKind) UnmarshalText(text []byte) error {
	if i := slices.Index(faultKindNames[:], string(text)); i >= 0 {
		*k = FaultKind(i)
		return nil
	}
	return fmt.Errorf(`unknown fault kind "%s" (one of %s)`, echo(string(text)), strings.Join(faultKindNames[:], ", "))
}

// Fault describes a failure to inject into a service call (see Inject) in
// place of the normal response. Zero fields take the defaults of the Kind.
type Fault struct {
	Kind FaultKind
	// Status is the HTTP status: default 500 for FaultError, 502 for
	// FaultHTML, 200 for the body faults. FaultEmptyPage and
	// FaultRepeatToken ignore it: they answer 200, or the call's normal
	// error status.
	Status int
	// Code and Message are the error code and message of a FaultError
	// (defaults InternalServiceException and "Internal error (injected
	// fault)").
	Code, Message string
	// Delay is waited before the fault acts; the wait ends early, with no
	// response, when the request's context ends or the server is closed.
	Delay time.Duration
	// Size is the body size of a FaultOversizedBody.
	Size int
}

// Throttling returns a 400 ThrottlingException "Rate exceeded" fault, which
// aws-sdk-go-v2's retryer retries as a throttle.
func Throttling() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: "ThrottlingException", Message: "Rate exceeded"}
}

// ServiceUnavailable returns a 503 ServiceUnavailableException fault.
func ServiceUnavailable() Fault {
	return Fault{Kind: FaultError, Status: http.StatusServiceUnavailable, Code: "ServiceUnavailableException", Message: "Service Unavailable"}
}

// InternalError returns a 500 InternalServiceException fault, the service's
// modelled server error.
func InternalError() Fault {
	return Fault{Kind: FaultError, Status: http.StatusInternalServerError, Code: devicefarm.CodeInternalServiceException, Message: "Internal error (injected fault)"}
}

// AccessDenied returns a 400 AccessDeniedException fault, which is not
// retried.
func AccessDenied() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "User is not authorized to perform this action (injected fault)"}
}

// NotFound returns a 400 NotFoundException fault, the modelled error for
// a project or session that does not exist.
func NotFound() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: devicefarm.CodeNotFoundException, Message: "The specified entity was not found (injected fault)"}
}

// Argument returns a 400 ArgumentException fault, the modelled error for
// invalid input.
func Argument() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: devicefarm.CodeArgumentException, Message: "An invalid argument was specified (injected fault)"}
}

// LimitExceeded returns a 400 LimitExceededException fault, the modelled
// error of CreateTestGridProject and UpdateTestGridProject.
func LimitExceeded() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: "LimitExceededException", Message: "A limit was exceeded (injected fault)"}
}

// ServiceAccount returns a 400 ServiceAccountException fault, the
// service's error for a problem with the account.
func ServiceAccount() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: "ServiceAccountException", Message: "There was a problem with the service account (injected fault)"}
}

// CannotDelete returns a 400 CannotDeleteException fault, the modelled
// error of DeleteTestGridProject.
func CannotDelete() Fault {
	return Fault{Kind: FaultError, Status: http.StatusBadRequest, Code: "CannotDeleteException", Message: "The requested object could not be deleted (injected fault)"}
}

// presets are the functions above, by name.
var presets = map[string]func() Fault{
	"AccessDenied":       AccessDenied,
	"Argument":           Argument,
	"CannotDelete":       CannotDelete,
	"InternalError":      InternalError,
	"LimitExceeded":      LimitExceeded,
	"NotFound":           NotFound,
	"ServiceAccount":     ServiceAccount,
	"ServiceUnavailable": ServiceUnavailable,
	"Throttling":         Throttling,
}

// Preset returns the fault of a preset function named in any case
// ("throttling" for Throttling), or by the error code it sends, with or
// without its "Exception" suffix ("InternalService" and
// "InternalServiceException" for InternalError).
func Preset(name string) (Fault, bool) {
	for n, build := range presets {
		f := build()
		if strings.EqualFold(name, n) || strings.EqualFold(name, f.Code) ||
			strings.EqualFold(name+"Exception", f.Code) && name != "" {
			return f, true
		}
	}
	return Fault{}, false
}

// PresetNames returns the names of the preset functions, sorted.
func PresetNames() []string { return slices.Sorted(maps.Keys(presets)) }

// sampleSession is the session inside the bodies of body faults.
var sampleSession = devicefarm.TestGridSession{
	Arn:                "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d",
	Status:             devicefarm.TestGridSessionStatusClosed,
	Created:            time.UnixMilli(1709294400123).UTC(),
	Ended:              time.UnixMilli(1709294597456).UTC(),
	BillingMinutes:     3.29,
	SeleniumProperties: `{"browserName":"chrome","browserVersion":"latest","platformName":"windows"}`,
}

// serveFault answers call c of operation op with fault f.
func (s *Server) serveFault(rw *responder, f Fault, op *operation, c *call) {
	if !s.wait(rw.r.Context(), f.Delay) {
		rw.abort()
		return
	}
	status := func(def int) int {
		if f.Status != 0 {
			return f.Status
		}
		return def
	}
	page := appendPage(nil, []devicefarm.TestGridSession{sampleSession, sampleSession}, "")
	switch f.Kind {
	case FaultError:
		code, msg := f.Code, f.Message
		if code == "" {
			code = devicefarm.CodeInternalServiceException
		}
		if msg == "" {
			msg = "Internal error (injected fault)"
		}
		rw.sendError(&apiError{status: status(http.StatusInternalServerError), code: code, message: msg})
	case FaultTruncatedBody:
		rw.send(status(http.StatusOK), "", jsonContentType, page[:len(page)/2])
	case FaultMalformedBody:
		rw.send(status(http.StatusOK), "", jsonContentType, []byte("this is not JSON: <testGridSessions>"))
	case FaultCloseBeforeResponse:
		rw.abort()
	case FaultCloseMidBody:
		rw.sendPartial(status(http.StatusOK), page, len(page)/2)
		rw.abort()
	case FaultHTML:
		st := status(http.StatusBadGateway)
		text := strconv.Itoa(st) + " " + http.StatusText(st)
		body := "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text + "</h1></center>\r\n</body>\r\n</html>\r\n"
		rw.send(st, "", "text/html", []byte(body))
	case FaultHang:
		s.hold(rw)
	case FaultStallMidBody:
		rw.sendPartial(status(http.StatusOK), page, len(page)/2)
		s.hold(rw)
	case FaultOversizedBody:
		size := f.Size
		if size <= 0 {
			size = devicefarm.DefaultMaxResponseBytes + 1
		}
		rw.sendPadded(status(http.StatusOK), size)
	case FaultEmptyPage, FaultRepeatToken:
		c.kind = f.Kind
		page, e := op.serve(s, c)
		if e != nil {
			rw.sendError(e)
			return
		}
		rw.send(http.StatusOK, "", jsonContentType, page)
	default:
		rw.sendError(&apiError{status: http.StatusInternalServerError, code: devicefarm.CodeInternalServiceException, message: "unknown injected fault kind " + f.Kind.String()})
	}
}

// hold waits until the request's context ends or the server is closed, then
// drops the connection.
func (s *Server) hold(rw *responder) {
	select {
	case <-rw.r.Context().Done():
	case <-s.done:
	}
	rw.abort()
}
