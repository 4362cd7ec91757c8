package devicefarm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
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
// status and a short excerpt.
func parseErrorResponse(status int, header http.Header, body []byte) error {
	requestID := requestIDFrom(header)
	code := header.Get("X-Amzn-Errortype")
	var msg string

	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &fields); err != nil || fields == nil {
			// Not a JSON object: keep what we know, and an excerpt.
			msg = "non-JSON error response: " + snippet(trimmed, errorExcerptBytes)
		} else {
			if code == "" {
				code = jsonStringField(fields, "__type")
			}
			if code == "" {
				code = jsonStringField(fields, "code")
			}
			msg = jsonStringField(fields, "message")
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

// sanitizeErrorCode keeps the text before the first ':' and then the text
// after the first '#', as the official SDK's restjson.SanitizeErrorCode does:
// "com.amazonaws.devicefarm#NotFoundException:http://..." becomes
// "NotFoundException".
func sanitizeErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(code)
}

// jsonStringField returns the string value of the member named name, matching
// the name case-insensitively (an exact match wins, then the smallest of the
// other spellings, so the choice is deterministic), or "" when the member is
// absent or not a JSON string.
func jsonStringField(fields map[string]json.RawMessage, name string) string {
	raw, ok := fields[name]
	if !ok {
		best := ""
		for k, v := range fields {
			if strings.EqualFold(k, name) && (!ok || k < best) {
				best, raw, ok = k, v, true
			}
		}
	}
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// requestIDFrom returns the service request ID from the x-amzn-RequestId
// header, else from X-Amz-RequestId, as the official SDK does.
func requestIDFrom(h http.Header) string {
	if v := h.Get("X-Amzn-Requestid"); v != "" {
		return v
	}
	return h.Get("X-Amz-Requestid")
}
