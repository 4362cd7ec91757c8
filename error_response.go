package devicefarm

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/testgridkit/devicefarm/internal/awsjson"
	"github.com/testgridkit/devicefarm/internal/oneline"
)

// errorExcerptBytes bounds the body excerpt kept in an error message.
const errorExcerptBytes = 256

// parseErrorResponse turns a non-2xx response into a service error.
//
// The code is taken from the X-Amzn-Errortype header, else the body's
// "__type", else its "code" (when a string); it is then sanitised as the
// awsJson protocol says (text before the first ':', then after the first '#')
// and matched case-insensitively against the three modelled codes. The
// message comes from "message" (any case). A body that is not a JSON object
// (an HTML page from a proxy, say) still yields an *APIError carrying the
// status and a short excerpt. requestID is the response's, as the attempt
// read it with requestIDFrom.
func parseErrorResponse(status int, header http.Header, requestID string, body []byte) error {
	code := header.Get("X-Amzn-Errortype")
	var msg string

	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 {
		fields, ok := parseErrorBody(trimmed)
		if !ok {
			// Not a JSON object: keep what we know, and an excerpt.
			msg = "non-JSON error response: " + oneline.Excerpt(trimmed, errorExcerptBytes)
		} else {
			if code == "" {
				code = fields.typ.value()
			}
			if code == "" {
				code = fields.code.value()
			}
			msg = fields.message.value()
		}
	}
	code = sanitizeErrorCode(code)

	switch {
	case strings.EqualFold(code, CodeNotFoundException):
		return &NotFoundException{Message: msg, RequestID: requestID, StatusCode: status}
	case strings.EqualFold(code, CodeArgumentException):
		return &ArgumentException{Message: msg, RequestID: requestID, StatusCode: status}
	case strings.EqualFold(code, CodeInternalServiceException):
		return &InternalServiceException{Message: msg, RequestID: requestID, StatusCode: status}
	}
	if code == "" {
		code = CodeUnknownError
	}
	return &APIError{
		Code:       code,
		Message:    msg,
		Fault:      faultForStatus(status),
		RequestID:  requestID,
		StatusCode: status,
	}
}

// maxErrorCodeLen bounds an error code taken from a response.
const maxErrorCodeLen = 128

// sanitizeErrorCode keeps the text before the first ':' and then the text
// after the first '#', as the official SDK's restjson.SanitizeErrorCode does:
// "com.amazonaws.devicefarm#NotFoundException:http://..." becomes
// "NotFoundException". The result is then folded to one line and cut to
// maxErrorCodeLen bytes.
func sanitizeErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(oneline.Cut(code, maxErrorCodeLen))
}

// errorBody holds the members of an error body that name the error.
type errorBody struct {
	typ, code, message stringMember
}

// stringMember finds one string member of a JSON object by name, as
// encoding/json would find it in a map: an exact match of the name wins,
// else the smallest of the case-insensitive spellings; later duplicates
// replace earlier ones; a value that is not a string reads as "".
type stringMember struct {
	name              string
	exact, folded     bool
	exactVal, foldVal string
	foldKey           string
}

func (m *stringMember) value() string {
	if m.exact {
		return m.exactVal
	}
	return m.foldVal
}

// parseErrorBody reads the __type, code and message members of a JSON
// object; ok is false when body is not one JSON object.
func parseErrorBody(body []byte) (fields errorBody, ok bool) {
	fields.typ.name, fields.code.name, fields.message.name = "__type", "code", "message"
	members := []*stringMember{&fields.typ, &fields.code, &fields.message}
	s := awsjson.NewScanner(body)
	err := s.Object(func(key []byte) error {
		var m *stringMember
		exact := false
		for _, cand := range members {
			if string(key) == cand.name {
				m, exact = cand, true
				break
			}
			if strings.EqualFold(string(key), cand.name) {
				m = cand
				break
			}
		}
		if m == nil {
			return s.SkipValue()
		}
		var foldKey string
		if !exact {
			foldKey = string(key) // key is only valid until the value is read
		}
		val := ""
		if s.Peek() == '"' {
			b, err := s.StringBytes()
			if err != nil {
				return err
			}
			val = string(b)
		} else if err := s.SkipValue(); err != nil {
			return err
		}
		switch {
		case exact:
			m.exact, m.exactVal = true, val
		case !m.folded || foldKey <= m.foldKey:
			m.folded, m.foldKey, m.foldVal = true, foldKey, val
		}
		return nil
	})
	return fields, err == nil && s.End() == nil
}

// maxRequestIDLen bounds a request ID taken from a response; real ones are
// 36 characters.
const maxRequestIDLen = 128

// requestIDFrom returns the service request ID from the x-amzn-RequestId
// header, else from X-Amz-RequestId, as the official SDK does. It is folded
// to one line and cut to maxRequestIDLen bytes, since it ends up in error
// strings and logs.
func requestIDFrom(h http.Header) string {
	v := h.Get("X-Amzn-Requestid")
	if v == "" {
		v = h.Get("X-Amz-Requestid")
	}
	return oneline.Cut(v, maxRequestIDLen)
}

// faultForStatus derives the fault of an unmodelled error from its status.
func faultForStatus(status int) smithy.ErrorFault {
	switch {
	case status >= 400 && status < 500:
		return smithy.FaultClient
	case status >= 500 && status < 600:
		return smithy.FaultServer
	}
	return smithy.FaultUnknown
}
