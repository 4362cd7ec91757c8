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
