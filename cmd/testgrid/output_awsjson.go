package main

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm"
)

// awsJSONWriter writes what "aws devicefarm list-test-grid-sessions
// --output json" prints: the service's response document,
//
//	{"testGridSessions":[...],"nextToken":"..."}
//
// with the service's member names and values (see writeSession), laid out
// as the AWS CLI lays it out (Python's json.dumps with indent=4 and
// ensure_ascii=False), so that a script reading the AWS CLI's output reads
// this unchanged. Unlike the AWS CLI, it covers the whole listing, not one
// page, and writes it page by page as pages arrive. "nextToken", when
// present, is a testgrid resume token (for --starting-token or its alias
// --next-token), not the service's.
type awsJSONWriter struct {
	w         *bufio.Writer
	opened    bool
	n         int
	nextToken string
}

// Indentation of the AWS CLI's JSON output.
const (
	awsIndent1 = "\n    "
	awsIndent2 = "\n        "
	awsIndent3 = "\n            "
)

func (a *awsJSONWriter) WritePage(sessions []devicefarm.TestGridSession) error {
	if !a.opened {
		a.opened = true
		a.w.WriteString("{" + awsIndent1 + `"testGridSessions": [`)
	}
	for i := range sessions {
		if a.n > 0 {
			a.w.WriteByte(',')
		}
		a.writeSession(&sessions[i])
		a.n++
	}
	return a.w.Flush()
}

// writeSession writes one session object with the service's members, in
// the service model's order: arn, status, created, ended, billingMinutes,
// seleniumProperties. Times are epoch seconds (epochText); members the
// service leaves out are left out: ended while a session is active,
// seleniumProperties when empty (and arn, status or created if ever
// absent). A billingMinutes that is NaN or infinite is written as the
// service sends it, the string "NaN", "Infinity" or "-Infinity".
func (a *awsJSONWriter) writeSession(s *devicefarm.TestGridSession) {
	first := true
	member := func(name, value string) {
		if !first {
			a.w.WriteByte(',')
		}
		first = false
		a.w.WriteString(awsIndent3)
		a.w.Write(jsonString(name))
		a.w.WriteString(": ")
		a.w.WriteString(value)
	}
	a.w.WriteString(awsIndent2 + "{")
	if s.Arn != "" {
		member("arn", string(jsonString(s.Arn)))
	}
	if s.Status != "" {
		member("status", string(jsonString(string(s.Status))))
	}
	if !s.Created.IsZero() {
		member("created", epochText(s.Created))
	}
	if !s.Ended.IsZero() {
		member("ended", epochText(s.Ended))
	}
	member("billingMinutes", wireFloat(s.BillingMinutes))
	if s.SeleniumProperties != "" {
		member("seleniumProperties", string(jsonString(s.SeleniumProperties)))
	}
	a.w.WriteString(awsIndent2 + "}")
}

func (a *awsJSONWriter) SetNextToken(token string) bool {
	a.nextToken = token
	return a.opened
}

func (a *awsJSONWriter) Close() error {
	if !a.opened {
		return nil
	}
	if a.n > 0 {
		a.w.WriteString(awsIndent1)
	}
	a.w.WriteByte(']')
	if a.nextToken != "" {
		a.w.WriteString("," + awsIndent1 + `"nextToken": `)
		a.w.Write(jsonString(a.nextToken))
	}
	a.w.WriteString("\n}\n")
	return a.w.Flush()
}

// epochText renders t as the service sends a timestamp: epoch seconds at
// millisecond precision, a whole number when there are no milliseconds,
// else up to three decimals without trailing zeros (1740821400,
// 1740821400.25). It is exact decimal arithmetic, and equals the
// devicefarmtest fake's rendering of the same instant.
func epochText(t time.Time) string {
	ms := t.UnixMilli()
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	s := sign + strconv.FormatInt(ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%03d", frac), "0")
	}
	return s
}

// wireFloat renders f as the service sends a double: the shortest decimal
// that reads back exactly, and the strings "NaN", "Infinity" and
// "-Infinity" for what JSON numbers cannot hold.
func wireFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"Infinity"`
	case math.IsInf(f, -1):
		return `"-Infinity"`
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// jsonString encodes s as a JSON string as Python's json.dumps does with
// ensure_ascii=False (the AWS CLI's setting): quote, backslash and the
// control characters below U+0020 escaped (\n, \r, \t, \b, \f by name,
// others as \u00XX), everything else as is. Bytes that are not UTF-8
// become U+FFFD.
func jsonString(s string) []byte {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for _, r := range s { // ranging replaces invalid bytes with U+FFFD
		switch r {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		default:
			if r < 0x20 {
				b = fmt.Appendf(b, `\u%04x`, r)
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return append(b, '"')
}
