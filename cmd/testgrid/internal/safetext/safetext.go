// Package safetext makes text safe to show: on a terminal (TerminalText,
// Cell), in a spreadsheet (CSVSafeCell), in a one-line message (OneLine,
// QuoteEcho, EscapeControl); and Plural for the nouns that follow counts.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// TerminalText returns s with every character that a terminal would not
// simply print shown escaped, Go style: tab, newline and carriage return
// as \t, \n and \r, other ASCII control characters and DEL as \xNN (ESC is
// \x1b), and C1 controls, line and paragraph separators, bidirectional
// overrides and other invisible formatting characters as \uNNNN. Bytes that
// are not UTF-8 are shown as \xNN. A backslash is doubled, so that the
// escaped text reads back unambiguously. Other printable text, spaces
// included, is kept as is.
//
// The tables of "testgrid sessions" and "testgrid summary" show the
// service's strings through it (see Cell), so that none can move the
// cursor, change colours or reorder what is displayed.
func TerminalText(s string) string {
	return escapeText(s, false)
}

// escapeText is TerminalText, or with cell (CSVSafeCell's rule) one that
// keeps backslashes, tabs and newlines: a quoted CSV cell holds them, and
// they cannot drive a terminal.
func escapeText(s string, cell bool) string {
	if isPlainText(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case cell && (r == '\\' || r == '\t' || r == '\n'):
			b.WriteRune(r)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && !printable(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case !printable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// Cell makes text from the service safe for one cell of a table on a
// terminal (the sessions table, the summary's tables): TerminalText, so
// that no tab or newline breaks the row and nothing the service sent can
// move the cursor or change colours; "-" for the empty string.
func Cell(s string) string {
	if s == "" {
		return "-"
	}
	return TerminalText(s)
}

// printable reports whether a terminal prints r as itself: a graphic
// character or the ASCII space. (unicode.IsPrint excludes formatting
// characters such as U+202E, the right-to-left override.)
func printable(r rune) bool {
	return r == ' ' || unicode.IsPrint(r)
}

// isPlainText reports whether s is printable ASCII without a backslash,
// which TerminalText returns unchanged (the common case, checked without
// allocating).
func isPlainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f || s[i] == '\\' {
			return false
		}
	}
	return true
}

// CSVFormulaStarts are the first characters that make a spreadsheet run a
// cell as a formula (OWASP, "CSV Injection").
const CSVFormulaStarts = "=+-@\t\r"

// CSVSafeCell makes a CSV cell safe to show. Characters a terminal would
// not simply print (control, C1 and bidirectional formatting characters,
// carriage returns included) are escaped as TerminalText escapes them in
// the tables, so that printing the file cannot drive a terminal or reorder
// text; backslashes, tabs and newlines are kept (a quoted cell holds them
// and they drive nothing). Then a cell a spreadsheet would run as a
// formula is neutralised by prefixing a single quote, as OWASP recommends:
// a cell starting with =, +, -, @ or a tab (a carriage return is escaped
// by then). The quote stays in the file and
// shows in the spreadsheet, the price of the protection. The numbers
// testgrid writes (durations, billing minutes) are never negative unless
// the service sent nonsense, so in practice only text is changed. The CSV
// writer then quotes the cell as RFC 4180 requires. Every cell of the csv
// output of "testgrid sessions" and "testgrid summary" goes through it.
func CSVSafeCell(s string) string {
	s = escapeText(s, true)
	if s != "" && strings.IndexByte(CSVFormulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Plural returns one for n == 1, else many: the noun that follows n.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// OneLine folds a message to one line that cannot drive the terminal, by
// the rule the library's own messages follow (internal/oneline).
func OneLine(s string) string { return oneline.Fold(s) }
