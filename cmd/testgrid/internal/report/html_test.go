package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReportGroupDigits(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0": "0", "999": "999", "1000": "1,000", "6823.57": "6,823.57",
		"1234567.891": "1,234,567.891", "-1234.5": "-1,234.5", "200000": "200,000",
	} {
		assert.Equal(t, want, groupDigits(in), in)
	}
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
