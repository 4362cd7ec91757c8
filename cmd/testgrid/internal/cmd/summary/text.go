package summary

import (
	"math"
	"strings"
)

// unicodeTerminal reports whether the terminal can be assumed to show
// Unicode block characters: TERM is not "dumb", and the locale's character
// set is UTF-8. The locale is the first non-empty of LC_ALL, LC_CTYPE and
// LANG, as in POSIX; none set means the "C" locale, which is ASCII.
func unicodeTerminal(getenv func(string) string) bool {
	if getenv("TERM") == "dumb" {
		return false
	}
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(name); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// barEighths are the Unicode blocks one to seven eighths wide.
var barEighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// bar draws value on a scale where full is width cells: Unicode full
// blocks with an eighth-block tip, or '#' rounded to whole cells when
// ascii. A positive value always shows at least a sliver (or one '#'), so
// that a day with few sessions is told apart from a day with none.
func bar(value, full float64, width int, ascii bool) string {
	if value <= 0 || full <= 0 || width <= 0 {
		return ""
	}
	cells := min(value/full, 1) * float64(width)
	if ascii {
		n := max(int(math.Round(cells)), 1)
		return strings.Repeat("#", n)
	}
	eighths := max(int(math.Round(cells*8)), 1)
	return strings.Repeat("█", eighths/8) + barEighths[eighths%8]
}
