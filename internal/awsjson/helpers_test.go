package awsjson

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkParse parses text as a scalar member arrives, with fromString when
// str says it is the text of a JSON string and with fromNumber otherwise,
// and checks the error against wantErr (a substring; "" for none). ok
// reports that the value parsed, for the caller to check.
func checkParse[T any](t *testing.T, text string, str bool, wantErr string, fromNumber func([]byte) (T, error), fromString func(string) (T, error)) (v T, ok bool) {
	t.Helper()
	var err error
	if str {
		v, err = fromString(text)
	} else {
		v, err = fromNumber([]byte(text))
	}
	if wantErr != "" {
		assert.ErrorContains(t, err, wantErr, "text %q", text)
		return v, false
	}
	require.NoError(t, err, "text %q", text)
	return v, true
}
