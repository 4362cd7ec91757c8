package wiresession

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

func TestJSON(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 3, 1, 9, 30, 0, 250e6, time.UTC)
	s := devicefarm.TestGridSession{
		Arn: "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s", Status: devicefarm.TestGridSessionStatusClosed,
		Created: created, Ended: created.Add(time.Minute), BillingMinutes: 1.5, SeleniumProperties: `{"a":"<&>"}`,
	}
	assert.Equal(t, `{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s","status":"CLOSED",`+
		`"created":1740821400.25,"ended":1740821460.25,"billingMinutes":1.5,"seleniumProperties":"{\"a\":\"\u003c\u0026\u003e\"}"}`,
		string(JSON(&s)), "strings escaped as encoding/json escapes them")

	active := devicefarm.TestGridSession{Arn: s.Arn, Status: devicefarm.TestGridSessionStatusActive, Created: created, BillingMinutes: math.Inf(1)}
	var back map[string]any
	require.NoError(t, json.Unmarshal(JSON(&active), &back))
	assert.Equal(t, map[string]any{"arn": s.Arn, "status": "ACTIVE", "created": 1740821400.25, "billingMinutes": "Infinity"}, back,
		"no ended while active, no empty properties, infinity as the service sends it")
}

func TestOfCopiesEveryMember(t *testing.T) {
	t.Parallel()
	s := devicefarm.TestGridSession{Arn: "a", Status: "S", Created: time.Unix(1, 0), Ended: time.Unix(2, 0), BillingMinutes: 3, SeleniumProperties: "p"}
	w := Of(&s)
	assert.Equal(t, []any{"a", "S", time.Unix(1, 0), time.Unix(2, 0), 3.0, "p"},
		[]any{w.Arn, w.Status, w.Created, w.Ended, w.BillingMinutes, w.SeleniumProperties})
}
