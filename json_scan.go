package devicefarm

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonScanner reads one JSON document from a byte slice, token by token,
// without reflection and without allocating except where a caller turns a
// string into a Go string. It accepts exactly what encoding/json accepts
// (RFC 8259, nesting up to maxJSONDepth, invalid UTF-8 in strings replaced by
// U+FFFD), which FuzzDecodeOutput checks against encoding/json.
type jsonScanner struct {
	data    []byte
	pos     int
	scratch []byte // unescaped text of the last string read with its escapes
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

var errJSONEnd = errors.New("unexpected end of JSON input")

// syntaxError describes the byte at the scanner's position.
func (s *jsonScanner) syntaxError(context string) error {
	if s.pos >= len(s.data) {
		return errJSONEnd
	}
	return fmt.Errorf("invalid character %s %s at offset %d", quoteByte(s.data[s.pos]), context, s.pos)
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f && c != '\'' {
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}

// peek skips white space and returns the next byte, or 0 at the end (a NUL
// byte, never valid where a token starts, reads the same; atEnd tells them
// apart).
func (s *jsonScanner) peek() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// atEnd skips white space and reports whether the input is exhausted.
func (s *jsonScanner) atEnd() bool {
	s.peek()
	return s.pos >= len(s.data)
}

// literal consumes the literal lit (null, true or false) at the position.
func (s *jsonScanner) literal(lit string) error {
	for i := 0; i < len(lit); i++ {
		if s.pos >= len(s.data) || s.data[s.pos] != lit[i] {
			return s.syntaxError("in literal " + lit)
		}
		s.pos++
	}
	return nil
}

// beginObject consumes the '{' that must be next.
func (s *jsonScanner) beginObject() error {
	if s.peek() != '{' {
		return s.syntaxError("looking for beginning of object")
	}
	s.pos++
	return nil
}

// nextMember moves to the next member of the object being read and returns
// its unescaped key, which is valid until the next string is read. ok is
// false after the closing '}'. first is true for the first call after
// beginObject.
func (s *jsonScanner) nextMember(first bool) (key []byte, ok bool, err error) {
	c := s.peek()
	switch {
	case c == '}':
		s.pos++
		return nil, false, nil
	case !first && c == ',':
		s.pos++
		c = s.peek()
	case !first:
		return nil, false, s.syntaxError("after object key:value pair")
	}
	if c != '"' {
		return nil, false, s.syntaxError("looking for beginning of object key string")
	}
	key, err = s.stringBytes()
	if err != nil {
		return nil, false, err
	}
	if s.peek() != ':' {
		return nil, false, s.syntaxError("after object key")
	}
	s.pos++
	return key, true, nil
}

// beginArray consumes the '[' that must be next.
func (s *jsonScanner) beginArray() error {
	if s.peek() != '[' {
		return s.syntaxError("looking for beginning of array")
	}
	s.pos++
	return nil
}

// nextElement moves to the next element of the array being read; ok is false
// after the closing ']'.
func (s *jsonScanner) nextElement(first bool) (ok bool, err error) {
	c := s.peek()
	switch {
	case c == ']':
		s.pos++
		return false, nil
	case !first && c == ',':
		s.pos++
	case !first:
		return false, s.syntaxError("after array element")
	}
	return true, nil
}

// stringBytes reads the string that must be next and returns its text with
// escapes resolved and invalid UTF-8 replaced, as encoding/json does. The
// result aliases the input when the string is plain ASCII without escapes,
// and the scanner's scratch buffer otherwise; either way it is only valid
// until the next read.
func (s *jsonScanner) stringBytes() ([]byte, error) {
	if s.peek() != '"' {
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
func (s *jsonScanner) rewriteString(out []byte, i int) ([]byte, error) {
	data := s.data
	for {
		j := i
		for j < len(data) && plainStringByte[data[j]] {
			j++
		}
		out = append(out, data[i:j]...)
		if i = j; i >= len(data) {
			s.pos = i
			return nil, errJSONEnd
		}
		switch c := data[i]; {
		case c == '"':
			s.pos = i + 1
			s.scratch = out
			return out, nil
		case c == '\\':
			if i+1 >= len(data) {
				s.pos = i + 1
				return nil, errJSONEnd
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

// number reads the JSON number that must be next and returns its text.
func (s *jsonScanner) number() ([]byte, error) {
	start := s.pos
	i := start
	digits := func() bool {
		n := i
		for i < len(s.data) && '0' <= s.data[i] && s.data[i] <= '9' {
			i++
		}
		return i > n
	}
	fail := func(context string) ([]byte, error) {
		s.pos = i
		return nil, s.syntaxError(context)
	}
	if i < len(s.data) && s.data[i] == '-' {
		i++
	}
	switch {
	case i < len(s.data) && s.data[i] == '0':
		i++
	case !digits():
		return fail("in numeric literal")
	}
	if i < len(s.data) && s.data[i] == '.' {
		i++
		if !digits() {
			return fail("after decimal point in numeric literal")
		}
	}
	if i < len(s.data) && (s.data[i] == 'e' || s.data[i] == 'E') {
		i++
		if i < len(s.data) && (s.data[i] == '+' || s.data[i] == '-') {
			i++
		}
		if !digits() {
			return fail("in exponent of numeric literal")
		}
	}
	s.pos = i
	return s.data[start:i], nil
}

// skipValue reads and discards the value that must be next. depth is the
// nesting depth of that value (1 for the top-level value).
func (s *jsonScanner) skipValue(depth int) error {
	switch c := s.peek(); {
	case c == '{':
		if depth > maxJSONDepth {
			return errors.New("exceeded max depth")
		}
		s.pos++
		for first := true; ; first = false {
			_, ok, err := s.nextMember(first)
			if err != nil || !ok {
				return err
			}
			if err := s.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case c == '[':
		if depth > maxJSONDepth {
			return errors.New("exceeded max depth")
		}
		s.pos++
		for first := true; ; first = false {
			ok, err := s.nextElement(first)
			if err != nil || !ok {
				return err
			}
			if err := s.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case c == '"':
		_, err := s.stringBytes()
		return err
	case c == '-' || '0' <= c && c <= '9':
		_, err := s.number()
		return err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	default:
		return s.syntaxError("looking for beginning of value")
	}
}

// typeError reports that the value at the position, wanted as want for
// member, is of another kind; a position where no value starts is a syntax
// error instead.
func (s *jsonScanner) typeError(member, want string) error {
	var kind string
	switch c := s.peek(); {
	case c == '{':
		kind = "object"
	case c == '[':
		kind = "array"
	case c == '"':
		kind = "string"
	case c == 't' || c == 'f':
		kind = "bool"
	case c == '-' || '0' <= c && c <= '9':
		kind = "number"
	default:
		return s.syntaxError("looking for beginning of value")
	}
	return fmt.Errorf("%s: expected %s, found %s", member, want, kind)
}

// foldKey appends the case-folded form of a member name that encoding/json
// compares when no member matches exactly: ASCII letters upper-cased and
// other runes mapped through ToUpper(ToLower(r)), so "ſ" matches "s" and the
// Kelvin sign matches "k", as encoding/json matches them.
func foldKey(dst, key []byte) []byte {
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(key[i:])
		dst = utf8.AppendRune(dst, unicode.ToUpper(unicode.ToLower(r)))
		i += n
	}
	return dst
}
