package awsjson

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds JSON strings both ways: StringBytes resolves them as
// encoding/json does, AppendString writes them as the official SDK does.

// StringBytes reads the string that must be next and returns its text with
// escapes resolved and invalid UTF-8 replaced, as encoding/json does. The
// result aliases the input when the string is plain ASCII without escapes,
// and the scanner's scratch buffer otherwise; either way it is only valid
// until the next read.
func (s *Scanner) StringBytes() ([]byte, error) {
	if s.Peek() != '"' {
		return nil, s.syntaxError("looking for beginning of string")
	}
	start := s.pos + 1
	i := start
	for i < len(s.data) && plainStringByte[s.data[i]] {
		i++
	}
	if i < len(s.data) && s.data[i] == '"' {
		s.pos = i + 1
		return s.data[start:i], nil
	}
	if s.scratch == nil {
		s.scratch = make([]byte, 0, 256) // fits a typical seleniumProperties
	}
	return s.rewriteString(append(s.scratch[:0], s.data[start:i]...), i)
}

// plainStringByte marks the bytes a string body may hold as they are: not
// '"', '\\', a control character or part of a multi-byte sequence.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// rewriteString continues a string from data[i] in one pass, checking and
// resolving escapes into out: a \u escape becomes UTF-8 (a valid surrogate
// pair one rune, an unpaired surrogate U+FFFD), and each byte of invalid
// UTF-8 becomes U+FFFD, exactly as encoding/json decodes strings.
func (s *Scanner) rewriteString(out []byte, i int) ([]byte, error) {
	data := s.data
	for {
		j := i
		for j < len(data) && plainStringByte[data[j]] {
			j++
		}
		out = append(out, data[i:j]...)
		if i = j; i >= len(data) {
			s.pos = i
			return nil, errEnd
		}
		switch c := data[i]; {
		case c == '"':
			s.pos = i + 1
			s.scratch = out
			return out, nil
		case c == '\\':
			if i+1 >= len(data) {
				s.pos = i + 1
				return nil, errEnd
			}
			switch e := data[i+1]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(data[i+2:])
				if !ok {
					s.pos = i + 2
					for s.pos < len(data) && s.pos < i+6 && isHex(data[s.pos]) {
						s.pos++
					}
					return nil, s.syntaxError("in \\u hexadecimal character escape")
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if len(data)-i >= 6 && data[i] == '\\' && data[i+1] == 'u' {
						if r2, ok := hex4(data[i+2:]); ok {
							if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
								out = utf8.AppendRune(out, dec)
								i += 6
								continue
							}
						}
					}
					r = unicode.ReplacementChar
				}
				out = utf8.AppendRune(out, r)
				continue
			default:
				s.pos = i + 1
				return nil, s.syntaxError("in string escape code")
			}
			i += 2
		case c < 0x20:
			s.pos = i
			return nil, s.syntaxError("in string literal")
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, data[i:i+size]...)
			}
			i += size
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// hex4 decodes the four hexadecimal digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, byte for byte as the official
// SDK's encoder writes it: invalid UTF-8 becomes U+FFFD, as in encoding/json,
// and U+2028 and U+2029 are escaped, but '<', '>' and '&' are not (a request
// body is never embedded in HTML).
func AppendString(b []byte, s string) []byte {
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
