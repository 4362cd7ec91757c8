package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// maxControlBody caps a control request body (sessions added in bulk).
const maxControlBody = 64 << 20

// controlError is a control request that fails: an HTTP status and a
// message, sent as {"error":message}.
type controlError struct {
	status int
	msg    string
}

func (e *controlError) Error() string { return e.msg }

func badRequest(format string, args ...any) *controlError {
	return &controlError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// decodeControlBody decodes a control request's body, a JSON object, into
// dst, refusing unknown members, values of the wrong type and anything
// after the object. An empty body leaves dst as it is when optional, and
// is an error otherwise.
func decodeControlBody(w http.ResponseWriter, r *http.Request, dst any, optional bool) *controlError {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &controlError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("the body exceeds %d bytes", maxControlBody)}
		}
		return badRequest("reading the body: %v", err)
	}
	return decodeControlJSON(data, dst, optional)
}

// decodeControlJSON is decodeControlBody once the body is read.
func decodeControlJSON(data []byte, dst any, optional bool) *controlError {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		if optional {
			return nil
		}
		return badRequest("the body is empty: send a JSON object")
	}
	if trimmed[0] != '{' {
		return badRequest("the body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return badRequest("%v", describeJSONError(err, data))
	}
	if skipSpace(data, int(dec.InputOffset())) < len(data) {
		line, col := position(data, int(dec.InputOffset()))
		return badRequest("unexpected data after the JSON object at line %d, column %d", line, col)
	}
	return nil
}

// describeJSONError rewrites an encoding/json error about data as a
// message for people: where malformed JSON is, which member has the wrong
// type, which member is unknown. Values are quoted escaped.
func describeJSONError(err error, data []byte) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		line, col := position(data, int(syn.Offset)-1) // Offset is just past the bad byte
		return fmt.Errorf("malformed JSON at line %d, column %d: %s", line, col, syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("malformed JSON: unexpected end of the body")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		} else {
			field = "member " + safetext.QuoteEcho(field)
		}
		return fmt.Errorf("%s must be %s, not a JSON %s", field, jsonTypeName(typ.Type), typ.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return fmt.Errorf("unknown member %s", name)
	}
	return errors.New(safetext.EscapeControl(msg))
}

// jsonTypeName names the JSON type that decodes into t.
func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return "an object"
}

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only our own types are sent: a bug
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": "encoding the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeControlError sends e as {"error":message}.
func writeControlError(w http.ResponseWriter, e *controlError) {
	writeJSON(w, e.status, map[string]string{"error": safetext.EscapeControl(e.msg)})
}
