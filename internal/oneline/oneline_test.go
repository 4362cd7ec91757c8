package oneline

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFold(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text, é 日本 🙂 \uFFFD", "plain text, é 日本 🙂 \uFFFD"},
		{"line1\nline2\r\n", "line1 line2  "},
		{"\x00\x01\x1b[31mred\x1b[0m\x7f", "   [31mred [0m "},
		{"C1 \u0080\u0085\u009b31m\u009f end", "C1    31m  end"},
		{"\u00a0 kept (no-break space is not a control)", "\u00a0 kept (no-break space is not a control)"},
		{"sep\u2028para\u2029", "sep para "},
		{"bad \xff\xfe utf8 \xe2\x82", "bad \uFFFD\uFFFD utf8 \uFFFD\uFFFD"},
		{"bad \xc2\x85 is NEL, \x85 alone is invalid", "bad   is NEL, \uFFFD alone is invalid"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Fold(tt.in), "input %q", tt.in)
	}
}

// Every rune Fold keeps is printable on one line, and every string it
// returns is valid UTF-8 with the input's rune count.
func TestFold_EveryRune(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		b.WriteRune(r)
	}
	in := b.String()
	out := Fold(in)
	require.True(t, utf8.ValidString(out))
	require.Equal(t, utf8.RuneCountInString(in), utf8.RuneCountInString(out))
	for i, r := range []rune(out) {
		folded := r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029
		require.False(t, folded, "U+%04X kept", i)
	}
}

func TestFold_CleanStringIsReturnedWithoutAllocating(t *testing.T) {
	s := "4b0d9c1e-7f2a-4e55-9d3b-1a2b3c4d5e6f é 🙂"
	allocs := testing.AllocsPerRun(100, func() { _ = Fold(s) })
	assert.Zero(t, allocs)
}

// Cut and Excerpt side by side: Cut keeps the text as it is but for the
// folded characters, and never exceeds n bytes or splits a rune; Excerpt
// collapses white space, and keeps a rune that starts before the n-th byte
// whole.
func TestCutAndExcerpt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in           string
		n            int
		cut, excerpt string
	}{
		{"", 10, "", ""},
		{"rid-1", 128, "rid-1", "rid-1"},
		{"a\nb\rc\x00d", 128, "a b c d", "a b c d"},
		{"0123456789abcdef", 10, "0123456789", "0123456789"},
		{strings.Repeat("x", 127) + "é" + "tail", 128, strings.Repeat("x", 127), strings.Repeat("x", 127) + "é"},
		{"é\n", 2, "é", "é"},
		{"  <html>\n\t<head>  \r\n<title>502</title>", 64, "  <html>  <head>    <title>502</title>", "<html> <head> <title>502</title>"},
		{"bad \xff\xfe utf8", 64, "bad \uFFFD\uFFFD utf8", "bad \uFFFD utf8"},
		{"C1\u0085\u009bend", 64, "C1  end", "C1 end"},
		{strings.Repeat("\xff", 10), 10, strings.Repeat("\uFFFD", 3), "\uFFFD"}, // never more than n bytes
	}
	for _, tt := range tests {
		assert.Equal(t, tt.cut, Cut(tt.in, tt.n), "Cut(%q, %d)", tt.in, tt.n)
		assert.Equal(t, tt.excerpt, Excerpt([]byte(tt.in), tt.n), "Excerpt(%q, %d)", tt.in, tt.n)
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 200)
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 128, ""},
		{"plain 'text' \"quoted\" \\ é 日本 🙂", 128, "plain 'text' \"quoted\" \\ é 日本 🙂"},
		{"A\x00\n\t\x1b[31m\u0085\u2028", 128, `A\x00\n\t\x1b[31m\u0085` + "\u2028"}, // U+2028 is not a control character
		{"\x7f bad \xff\xfe utf8 \xe2\x82", 128, `\x7f bad \xff\xfe utf8 \xe2\x82`},
		{long[:2*128], 128, long[:2*128]},                                                   // 128 runes: not cut
		{long, 128, long[:2*125] + "..."},                                                   // cut to 128 runes
		{strings.Repeat("\xff", 10), 5, `\xff\xff...`},                                      // an invalid byte is one rune
		{"abc\ndef", 5, `ab...`},                                                            // cut before escaping
		{"abcd", 2, "..."},                                                                  // n below 3
		{strings.Repeat("x", 1<<16) + "\n", math.MaxInt, strings.Repeat("x", 1<<16) + `\n`}, // no cut
	}
	for _, tt := range tests {
		got := Quote(tt.in, tt.n)
		assert.Equal(t, tt.want, got, "Quote(%q, %d)", tt.in, tt.n)
		assert.True(t, utf8.ValidString(got))
		assert.False(t, strings.ContainsFunc(got, unicode.IsControl), "%q", got)
	}
}

func TestQuote_CleanStringIsReturnedWithoutAllocating(t *testing.T) {
	s := "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:x é 🙂"
	allocs := testing.AllocsPerRun(100, func() { _ = Quote(s, 128) })
	assert.Zero(t, allocs)
}
