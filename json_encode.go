package devicefarm

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendEpochSeconds appends t as epoch seconds with millisecond precision,
// as smithy-go's FormatEpochSeconds does: milliseconds truncated toward zero,
// divided by 1e3 and printed in the shortest 'f' form (1700000000,
// 1709294400.123).
func appendEpochSeconds(b []byte, t time.Time) []byte {
	// Milliseconds truncated toward zero, like the official SDK's
	// UnixNano()/1e6, but without UnixNano's overflow outside 1678-2262.
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	ms := sec*1000 + nsec/1e6
	if sec < 0 && nsec%1e6 != 0 {
		ms++
	}
	f := float64(ms) / 1e3
	if math.Abs(f) >= 1e21 {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does; '<', '>' and '&' are not escaped (the body is never
// embedded in HTML).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
