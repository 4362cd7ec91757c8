package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRatioF(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 0.5, ratioF(1, 2))
	assert.Zero(t, ratioF(1, 0), "nothing to divide by")
	assert.Zero(t, ratioF(1, -1))
}

func TestLabelEvery(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 1, labelEvery(0), "no width: every slot")
	assert.Equal(t, 1, labelEvery(minLabelGap), "slots as wide as the gap")
	assert.Equal(t, 2, labelEvery(minLabelGap/2))
	assert.Equal(t, 1, labelEvery(minLabelGap*3))
}

func TestReportNiceScale(t *testing.T) {
	t.Parallel()
	tests := []struct{ v, top, step float64 }{
		{0, 1, 1}, {1, 1, 1}, {3, 3, 1}, {13, 15, 5}, {28, 30, 10}, {405, 600, 200}, {1999, 2000, 500},
	}
	for _, tt := range tests {
		top, step := niceScale(tt.v)
		assert.Equal(t, tt.top, top, "top of %v", tt.v)
		assert.Equal(t, tt.step, step, "step of %v", tt.v)
	}
}
