package devicefarm

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// errorBodyReference reads an error body the way the library did before its
// scanner-based parseErrorBody, through encoding/json and a map: the oracle
// FuzzParseErrorBody holds parseErrorBody to.
func errorBodyReference(body []byte) (typ, code, message string, ok bool) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return "", "", "", false
	}
	field := func(name string) string {
		raw, found := fields[name]
		if !found {
			best := ""
			for k, v := range fields {
				if strings.EqualFold(k, name) && (!found || k < best) {
					best, raw, found = k, v, true
				}
			}
		}
		var s string
		if !found || json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return s
	}
	return field("__type"), field("code"), field("message"), true
}

func errorBodySeeds(t testing.TB) [][]byte {
	t.Helper()
	seeds := [][]byte{
		[]byte(`{"__type":"com.amazonaws.devicefarm#NotFoundException","message":"nope"}`),
		[]byte(`{"__TYPE":"b","__Type":"a","__type":1,"Code":"c","CODE":"d","Message":null,"message":"m","MESSAGE":"M"}`),
		[]byte(`{"__type":"x","__type":"y","code":"a","code":{"z":[1]},"meſſage":"folded"}`),
		[]byte(`{"\u005f_type":"escaped key","messag\u0065":"caf\u00e9 \ud800"}`),
		[]byte("{\"message\":\"bad \xff utf8\"}"),
		[]byte(`null`), []byte(`[]`), []byte(`"x"`), []byte(`{}`), []byte(`{} x`), []byte(`{"a":}`),
		[]byte("<html><body>502 Bad Gateway</body></html>"),
	}
	return append(seeds, fixtures(t, "error-*.json")...)
}

func checkErrorBody(t *testing.T, body []byte) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return
	}
	wantType, wantCode, wantMsg, wantOK := errorBodyReference(body)
	got, ok := parseErrorBody(body)
	require.Equal(t, wantOK, ok, "is a JSON object; body %q", body)
	if ok {
		require.Equal(t, wantType, got.typ.value(), "__type; body %q", body)
		require.Equal(t, wantCode, got.code.value(), "code; body %q", body)
		require.Equal(t, wantMsg, got.message.value(), "message; body %q", body)
	}
}

// FuzzParseErrorBody holds the error-body reader to encoding/json's answers.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range errorBodySeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkErrorBody)
}
