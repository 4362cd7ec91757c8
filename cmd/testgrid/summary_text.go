package main

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// termText makes a string from the service safe to print on a terminal:
// control characters (C0, DEL, C1), invalid UTF-8, line and paragraph
// separators and bidirectional controls (which can reorder what is shown,
// as in "Trojan Source") are escaped Go-style: \x1b, \xff, \u202e. A
// backslash is doubled, so that the escaped text reads back unambiguously.
// The empty string becomes "-".
func termText(s string) string {
	if s == "" {
		return "-"
	}
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r == '\\' || unsafeRune(r) {
			return true
		}
	}
	return false
}

// unsafeRune reports whether r must not reach a terminal as is.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0: // C0, DEL, C1
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, // bidirectional marks
		r >= 0x202a && r <= 0x202e, // embeddings and overrides
		r >= 0x2066 && r <= 0x2069: // isolates
		return true
	}
	return false
}

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
