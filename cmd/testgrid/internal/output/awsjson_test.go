package output

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

func TestAWSJSONOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	w := NewSessionWriter(FormatAWSJSON, &bytes.Buffer{})
	assert.False(t, w.(NextTokenWriter).SetNextToken("T"), "no page yet: the token would not be written")

	var buf bytes.Buffer
	w = NewSessionWriter(FormatAWSJSON, &buf)
	require.NoError(t, w.WritePage(s[:1]))
	require.NoError(t, w.WritePage(nil))
	require.NoError(t, w.WritePage(s[1:]))
	assert.True(t, w.(NextTokenWriter).SetNextToken("eyJ2IjoxfQ"))
	require.NoError(t, w.Close())
	assert.Equal(t, `{
    "testGridSessions": [
        {
            "arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/s-closed",
            "status": "CLOSED",
            "created": 1740821400,
            "ended": 1740822150.25,
            "billingMinutes": 12.5,
            "seleniumProperties": "{\"browserName\":\"chrome\",\"browserVersion\":\"131\"}"
        },
        {
            "arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/s-active",
            "status": "ACTIVE",
            "created": 1740825000,
            "billingMinutes": 0
        },
        {
            "arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/s-errored",
            "status": "ERRORED",
            "created": 1740828600,
            "ended": 1740832205,
            "billingMinutes": 61,
            "seleniumProperties": "not json <&>"
        }
    ],
    "nextToken": "eyJ2IjoxfQ"
}
`, buf.String())

	assert.Empty(t, writeAll(t, FormatAWSJSON), "no page: nothing")
	assert.Equal(t, "{\n    \"testGridSessions\": []\n}\n", writeAll(t, FormatAWSJSON, nil))

	odd := writeAll(t, FormatAWSJSON, []devicefarm.TestGridSession{
		{Arn: testSessionPrefix + "nan", BillingMinutes: math.NaN()},
		{Arn: testSessionPrefix + "inf", BillingMinutes: math.Inf(-1), SeleniumProperties: "a\x1b[2J\"\\\n\u00e9\u2028\xff"},
	})
	assert.Contains(t, odd, `"billingMinutes": "NaN"`, "as the service sends it")
	assert.Contains(t, odd, `"billingMinutes": "-Infinity"`)
	assert.Contains(t, odd, `"seleniumProperties": "a\u001b[2J\"\\\n`+"\u00e9\u2028\ufffd\"", "escaped as Python's json.dumps(ensure_ascii=False)")
	assert.NotContains(t, odd, `"status"`, "absent members stay absent")
	assert.True(t, json.Valid([]byte(odd)), odd)
}
