package safetext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTerminalText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"s-closed", "s-closed"},
		{"CLOSED", "CLOSED"},
		{"a b", "a b"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\x1b]0;title\x07", `\x1b]0;title\x07`},
		{"tab\there", `tab\there`},
		{"line\r\nbreak", `line\r\nbreak`},
		{"del\x7f", `del\x7f`},
		{"c1\u009b31m", `c1\u009b31m`},
		{"file\u202egnp.exe", `file\u202egnp.exe`},
		{"iso\u2066late\u2069", `iso\u2066late\u2069`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"sep\u2028ara\u2029tor", `sep\u2028ara\u2029tor`},
		{"bad\xffutf8", `bad\xffutf8`},
		{`back\slash`, `back\\slash`},
		{`\x1b`, `\\x1b`},
		{"café ☃ 日本", "café ☃ 日本"},
		{"Größe 日本", "Größe 日本"},
		{"", ""},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"bidi\u061c\u200e\u200fmarks", `bidi\u061c\u200e\u200fmarks`},
		{"embed\u202aded\u202c", `embed\u202aded\u202c`},
		{"back\\slash\x1b", `back\\slash\x1b`},
	} {
		assert.Equal(t, tt.want, TerminalText(tt.in), "%q", tt.in)
	}
}

func TestCell(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "-", Cell(""), "an empty cell shows as -")
	assert.Equal(t, "chrome", Cell("chrome"))
	assert.Equal(t, `WEIRD\x1b[2J`, Cell("WEIRD\x1b[2J"))
}

func TestCSVSafeCell(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"CLOSED", "CLOSED"},
		{"12.5", "12.5"},
		{"2025-03-01T09:30:00Z", "2025-03-01T09:30:00Z"},
		{`{"browserName":"chrome"}`, `{"browserName":"chrome"}`},
		{"=1+1", "'=1+1"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", `\r=1`},
		// Escaped as in the tables (issue 20, row 7).
		{"a\x1b]0;x\x07b", `a\x1b]0;x\x07b`},
		{"\u202eevil", `\u202eevil`},
		{"c1\u009bx", `c1\u009bx`},
		{"two\nlines\tand \\ kept", "two\nlines\tand \\ kept"},
		{"=\x1b", `'=\x1b`},
		{" =1", " =1"},
		{"a=1", "a=1"},
	} {
		assert.Equal(t, tt.want, CSVSafeCell(tt.in), "%q", tt.in)
	}
}
