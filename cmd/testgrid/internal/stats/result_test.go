package stats

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSummaryNonFiniteMinutes(t *testing.T) {
	t.Parallel()
	a := closedSession("a", at(0), at(time.Minute))
	b := closedSession("b", at(time.Minute), at(2*time.Minute))
	b.BillingMinutes = math.NaN()
	s := summarize(time.UTC, a, b)
	assert.Equal(t, 1.0, s.BillingMinutes, "NaN is left out of the sums")
	assert.Equal(t, 2, s.Sessions)
}
