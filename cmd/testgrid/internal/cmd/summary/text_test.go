package summary

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSummaryUnicodeTerminal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"LANG": "en_US.UTF-8"}, true},
		{map[string]string{"LANG": "de_DE.utf8"}, true},
		{map[string]string{"LANG": "C"}, false},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "C"}, false},
		{map[string]string{"LANG": "C", "LC_CTYPE": "C.UTF-8"}, true},
		{map[string]string{"LANG": "C", "LC_ALL": "en_GB.UTF-8"}, true},
		{map[string]string{"LANG": "en_US.ISO-8859-1"}, false},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "dumb"}, false},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "xterm-256color"}, true},
	}
	for _, tt := range tests {
		got := unicodeTerminal(func(k string) string { return tt.env[k] })
		assert.Equal(t, tt.want, got, "%v", tt.env)
	}
}

func TestSummaryBar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value, full float64
		width       int
		ascii       bool
		want        string
	}{
		{0, 10, 8, false, ""},
		{10, 10, 8, false, "████████"},
		{5, 10, 8, false, "████"},
		{1, 10, 4, false, "▍"},     // 0.4 cells = 3.2 eighths: 3
		{0.001, 10, 4, false, "▏"}, // a sliver, never nothing
		{3, 10, 4, false, "█▎"},    // 1.2 cells = 9.6 eighths: 10
		{20, 10, 4, false, "████"}, // capped
		{5, 10, 8, true, "####"},
		{0.001, 10, 8, true, "#"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, bar(tt.value, tt.full, tt.width, tt.ascii), "%+v", tt)
	}
	assert.False(t, strings.ContainsFunc(bar(7, 10, 40, true), func(r rune) bool { return r > 0x7f }))
}
