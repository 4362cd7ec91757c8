package serve

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeBilling checks billingMinutes as serve reads it: the awsJson
// doubles (internal/awsjson, so the special strings in any case, as the
// client accepts them), absent as 0 and null as NaN.
func TestDecodeBilling(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw     string
		check   func(float64) bool
		wantErr string
	}{
		{raw: ``, check: func(f float64) bool { return f == 0 }},
		{raw: `null`, check: math.IsNaN},
		{raw: `3.29`, check: func(f float64) bool { return f == 3.29 }},
		{raw: `1e21`, check: func(f float64) bool { return f == 1e21 }},
		{raw: `"NaN"`, check: math.IsNaN},
		{raw: `"nan"`, check: math.IsNaN},
		{raw: `"Infinity"`, check: func(f float64) bool { return math.IsInf(f, 1) }},
		{raw: `"-Infinity"`, check: func(f float64) bool { return math.IsInf(f, -1) }},
		{raw: `"lots\n"`, wantErr: `"lots\n" is not a number, "NaN", "Infinity" or "-Infinity"`},
		{raw: `1e400`, wantErr: `"1e400" is not a number`},
		{raw: `true`, wantErr: `"true" is not a number`},
	} {
		got, err := decodeBilling(json.RawMessage(tc.raw))
		if tc.wantErr != "" {
			require.EqualError(t, err, tc.wantErr, "raw %s", tc.raw)
			continue
		}
		require.NoError(t, err, "raw %s", tc.raw)
		assert.True(t, tc.check(got), "raw %s: got %v", tc.raw, got)
	}
}
