package safetext

import "strings"

// MarkdownCell makes text from the service safe for one cell of a
// GitHub-flavoured Markdown table, or for running text: Cell first (so no
// newline or control character is left, and "" becomes "-"), then a
// backslash before every ASCII punctuation character. CommonMark allows
// escaping any of them, and escaped they are all literal: "|" cannot end
// the cell, "[", "<", "!" and "`" cannot open a link, an image, HTML or
// code, "*" and "_" cannot emphasise, and "www.", "://" and "@" no longer
// form the bare links that GFM's autolinks would make.
func MarkdownCell(s string) string {
	s = Cell(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isASCIIPunct(c) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isASCIIPunct reports whether c is ASCII punctuation as CommonMark
// defines it: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
