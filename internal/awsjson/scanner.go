// Package awsjson is the client's codec for the awsJson1.1 wire format: a
// JSON tokenizer for responses, the string and timestamp encoders for
// requests, and the parsers for the scalar values of a response.
//
// Its decoding accepts exactly what encoding/json accepts and resolves
// strings as it does; FuzzScanner holds it to encoding/json's answers, and
// the root package's FuzzDecodeOutput holds the response decoder built on it
// to the same.
package awsjson

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Scanner reads one JSON document from a byte slice, token by token,
// without reflection and without allocating except where a caller turns a
// string into a Go string (and once for a buffer when a string has
// escapes). It accepts exactly what encoding/json accepts (RFC 8259,
// nesting up to 10,000 levels, invalid UTF-8 in strings replaced by
// U+FFFD).
type Scanner struct {
	data    []byte
	pos     int
	depth   int    // nesting depth of the object or array being read
	scratch []byte // unescaped text of the last string read with its escapes
}

// NewScanner returns a Scanner that reads data.
func NewScanner(data []byte) *Scanner { return &Scanner{data: data} }

// Len returns the length of the whole input, for sizing what is decoded
// from it.
func (s *Scanner) Len() int { return len(s.data) }

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

var errEnd = errors.New("unexpected end of JSON input")

// syntaxError describes the byte at the scanner's position.
func (s *Scanner) syntaxError(context string) error {
	if s.pos >= len(s.data) {
		return errEnd
	}
	return fmt.Errorf("invalid character %s %s at offset %d", quoteByte(s.data[s.pos]), context, s.pos)
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f && c != '\'' {
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}

// Peek skips white space and returns the next byte, or 0 at the end (a NUL
// byte, never valid where a token starts, reads the same).
func (s *Scanner) Peek() byte {
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

// End returns an error unless only white space remains: the check after
// the top-level value.
func (s *Scanner) End() error {
	if s.Peek(); s.pos < len(s.data) {
		return s.syntaxError("after top-level value")
	}
	return nil
}

// Literal consumes the literal lit (null, true or false) that must be next.
func (s *Scanner) Literal(lit string) error {
	s.Peek()
	for i := 0; i < len(lit); i++ {
		if s.pos >= len(s.data) || s.data[s.pos] != lit[i] {
			return s.syntaxError("in literal " + lit)
		}
		s.pos++
	}
	return nil
}

// Object reads the object that must be next. For each member it calls
// member with the unescaped key, which is only valid until the next read,
// and with the scanner at the member's value, which member must read (or
// skip with SkipValue). It returns the first error, member's or its own.
func (s *Scanner) Object(member func(key []byte) error) error {
	if err := s.open('{', "object"); err != nil {
		return err
	}
	for first := true; ; first = false {
		if more, err := s.next(first, '}', "after object key:value pair"); !more || err != nil {
			return err
		}
		if s.Peek() != '"' {
			return s.syntaxError("looking for beginning of object key string")
		}
		key, err := s.StringBytes()
		if err != nil {
			return err
		}
		if s.Peek() != ':' {
			return s.syntaxError("after object key")
		}
		s.pos++
		if err := member(key); err != nil {
			return err
		}
	}
}

// Array reads the array that must be next, calling element with the
// scanner at each element, which element must read (or skip with
// SkipValue). It returns the first error, element's or its own.
func (s *Scanner) Array(element func() error) error {
	if err := s.open('[', "array"); err != nil {
		return err
	}
	for first := true; ; first = false {
		if more, err := s.next(first, ']', "after array element"); !more || err != nil {
			return err
		}
		if err := element(); err != nil {
			return err
		}
	}
}

// open consumes the '{' or '[' that must be next, one level deeper.
func (s *Scanner) open(c byte, kind string) error {
	if s.Peek() != c {
		return s.syntaxError("looking for beginning of " + kind)
	}
	s.pos++
	s.depth++
	return nil
}

// next moves past the ',' before the next member or element of the object
// or array being read (none before the first), or past its closing byte
// end, one level up; more is false then. after names what a wrong byte
// follows, for the error.
func (s *Scanner) next(first bool, end byte, after string) (more bool, err error) {
	switch c := s.Peek(); {
	case c == end:
		s.pos++
		s.depth--
		return false, nil
	case !first && c == ',':
		s.pos++
	case !first:
		return false, s.syntaxError(after)
	}
	return true, nil
}

// Number reads the JSON number that must be next and returns its text,
// which is only valid until the input changes.
func (s *Scanner) Number() ([]byte, error) {
	s.Peek()
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

// SkipValue reads and discards the value that must be next, checking it as
// encoding/json would, nesting limit included.
func (s *Scanner) SkipValue() error {
	switch c := s.Peek(); {
	case c == '{' || c == '[':
		if s.depth >= maxDepth {
			return errors.New("exceeded max depth")
		}
		if c == '{' {
			return s.Object(func([]byte) error { return s.SkipValue() })
		}
		return s.Array(s.SkipValue)
	case c == '"':
		_, err := s.StringBytes()
		return err
	case c == '-' || '0' <= c && c <= '9':
		_, err := s.Number()
		return err
	case c == 't':
		return s.Literal("true")
	case c == 'f':
		return s.Literal("false")
	case c == 'n':
		return s.Literal("null")
	default:
		return s.syntaxError("looking for beginning of value")
	}
}

// TypeError reports that the value that is next, wanted as want for
// member, is of another kind ("member: expected want, found array"); a
// position where no value starts is a syntax error instead.
func (s *Scanner) TypeError(member, want string) error {
	var kind string
	switch c := s.Peek(); {
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

// MatchMember returns which of names the object key selects, as
// encoding/json matches a key to struct fields: the exact name, else the
// one equal under its case folding, else "".
func MatchMember(key []byte, names ...string) string {
	for _, n := range names {
		if string(key) == n {
			return n
		}
	}
	var buf [64]byte
	folded := foldKey(buf[:0], key)
	for _, n := range names {
		var nbuf [32]byte
		if string(folded) == string(foldKey(nbuf[:0], []byte(n))) {
			return n
		}
	}
	return ""
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
