package awsjson

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDouble(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text    string
		str     bool // the text of a JSON string, else of a JSON number
		check   func(float64) bool
		wantErr string
	}{
		{text: `3.28`, check: func(f float64) bool { return f == 3.28 }},
		{text: `0`, check: func(f float64) bool { return f == 0 }},
		{text: `1e2`, check: func(f float64) bool { return f == 100 }},
		{text: `-0.5`, check: func(f float64) bool { return f == -0.5 }},
		{text: `1e400`, wantErr: "1e400 is not a number"},
		{text: "NaN", str: true, check: math.IsNaN},
		{text: "nan", str: true, check: math.IsNaN},
		{text: "Infinity", str: true, check: func(f float64) bool { return math.IsInf(f, 1) }},
		{text: "INFINITY", str: true, check: func(f float64) bool { return math.IsInf(f, 1) }},
		{text: "-Infinity", str: true, check: func(f float64) bool { return math.IsInf(f, -1) }},
		{text: "-infinity", str: true, check: func(f float64) bool { return math.IsInf(f, -1) }},
		{text: "1.5", str: true, wantErr: `"1.5" is not a number`},
		{text: "Inf", str: true, wantErr: "not a number"},
		{text: "+Infinity", str: true, wantErr: "not a number"},
		{text: "", str: true, wantErr: `"" is not a number`},
		{text: "three", str: true, wantErr: "not a number"},
	}
	for _, tt := range tests {
		if got, ok := checkParse(t, tt.text, tt.str, tt.wantErr, ParseDouble, ParseDoubleString); ok {
			assert.True(t, tt.check(got), "text %q: got %v", tt.text, got)
		}
	}
}
