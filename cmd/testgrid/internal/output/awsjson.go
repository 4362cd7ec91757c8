package output

import (
	"bufio"
	"fmt"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/wiresession"
	"github.com/testgridkit/devicefarm/internal/awsjson"
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
	buf       []byte // reused by writeSession
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

// writeSession writes one session object with awsjson.AppendSession: the
// service's members in the service model's order, times in epoch seconds,
// a billingMinutes that is NaN or infinite as the string "NaN",
// "Infinity" or "-Infinity", as the service sends it. Members the service
// leaves out are left out: ended while a session is active,
// seleniumProperties when empty (and arn, status or created if ever
// absent).
func (a *awsJSONWriter) writeSession(s *devicefarm.TestGridSession) {
	a.w.WriteString(awsIndent2)
	a.buf = awsjson.AppendSession(a.buf[:0], wiresession.Of(s), awsjson.Layout{
		String: appendJSONString, Indent: awsIndent3, CloseIndent: awsIndent2,
		NameSeparator: ": ", OmitEmptyStrings: true,
	})
	a.w.Write(a.buf)
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
		a.w.Write(appendJSONString(nil, a.nextToken))
	}
	a.w.WriteString("\n}\n")
	return a.w.Flush()
}

// appendJSONString appends s as a JSON string as Python's json.dumps does with
// ensure_ascii=False (the AWS CLI's setting): quote, backslash and the
// control characters below U+0020 escaped (\n, \r, \t, \b, \f by name,
// others as \u00XX), everything else as is. Bytes that are not UTF-8
// become U+FFFD.
func appendJSONString(b []byte, s string) []byte {
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
