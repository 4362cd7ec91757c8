package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxEchoRunes caps a user-supplied value quoted in a message.
const maxEchoRunes = 128

// quoteEcho quotes a user-supplied value for a message: cut to
// maxEchoRunes runes, then Go-quoted, so control characters and invalid
// UTF-8 are escaped (\n, \x00, \xff) and the message stays one line.
func quoteEcho(v string) string {
	if utf8.RuneCountInString(v) > maxEchoRunes {
		n := 0
		for i := range v {
			if n == maxEchoRunes-3 {
				v = v[:i] + "..."
				break
			}
			n++
		}
	}
	return strconv.Quote(v)
}

// escapeControl escapes, Go-style, the control characters (\n, \x00,
// \u0085) and invalid UTF-8 bytes (\xff) of v, leaving other text as it is,
// for echoing request data (paths, headers) in control API answers.
func escapeControl(v string) string {
	if utf8.ValidString(v) && !strings.ContainsFunc(v, unicode.IsControl) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, v[i])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(v[i : i+size])
		}
		i += size
	}
	return b.String()
}
