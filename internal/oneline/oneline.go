// Package oneline makes text that comes from outside the program safe to
// print on one line. Fold, Cut and Excerpt blank what cannot be printed in
// what a service sent (an error message, a response header, a transport
// error): the one rule the library's error messages and debug records and
// the testgrid command's messages share. Quote escapes it, visibly, in
// values someone sent (a request member or header, a flag) that a message
// echoes back: the one rule devicefarmtest's error messages and testgrid
// serve's control API share.
package oneline

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold returns s on one line that cannot drive a terminal: every C0 control
// character (newlines included), DEL, C1 control character (U+0080 to
// U+009F, which some terminals obey as escape sequences), LINE SEPARATOR
// and PARAGRAPH SEPARATOR becomes a space, and each byte of invalid UTF-8
// becomes U+FFFD. A string that needs none of this is returned as it is,
// without allocating.
func Fold(s string) string {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if folds(rune(c)) {
				return fold(s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 || folds(r) { // size 1 beyond ASCII: invalid UTF-8
			return fold(s)
		}
		i += size
	}
	return s
}

// fold is Fold for a string that needs it.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2*utf8.UTFMax)
	for _, r := range s { // U+FFFD for each byte of invalid UTF-8
		if folds(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// folds reports whether Fold replaces r with a space.
func folds(r rune) bool {
	return r < 0x20 || 0x7f <= r && r <= 0x9f || r == '\u2028' || r == '\u2029'
}

// Cut folds s and cuts it to at most n bytes, dropping a rune the cut
// splits: for values taken from response headers, which end up in error
// messages and logs.
func Cut(s string, n int) string {
	s = Fold(s) // first: Fold may lengthen s (U+FFFD for an invalid byte)
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// Excerpt returns the start of b as one line for an error message: n bytes
// of text (a rune that starts before the n-th byte is kept whole), valid
// UTF-8, with the characters Fold replaces and runs of spaces collapsed to
// single spaces, and no space at either end.
func Excerpt(b []byte, n int) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(string(b[:min(len(b), n*2)]), "\uFFFD") {
		if folds(r) || r == ' ' {
			if !space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = true
			continue
		}
		if sb.Len() >= n {
			break
		}
		space = false
		sb.WriteRune(r)
	}
	return strings.TrimSpace(sb.String())
}

// Quote prepares a value someone sent to be quoted in a message, so that
// they see what they sent, on one line: s cut to at most n runes (n is at
// least 3; a byte of invalid UTF-8 counts as one rune), a cut value ending
// in "...", then its control characters (\n, \x00, \u0085) and each byte of
// invalid UTF-8 (\xff) escaped Go-style. Other text, quotes and backslashes
// included, is kept, and the caller puts the quotes of its choice around
// it. Pass math.MaxInt as n for no cut. A string that needs neither is
// returned as it is.
func Quote(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		keep, end, runes := max(n-len(ellipsis), 0), 0, 0
		for end = range s {
			if runes == keep {
				break
			}
			runes++
		}
		s = s[:end] + ellipsis
	}
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[s[i]>>4])
			b.WriteByte(hexDigits[s[i]&0xf])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r) // '\n', '\x00', '\u0085'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

const (
	ellipsis  = "..."
	hexDigits = "0123456789abcdef"
)
