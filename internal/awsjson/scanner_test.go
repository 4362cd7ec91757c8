package awsjson

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scannerSeeds reach every branch of the scanner: encoding/json's corner
// cases of syntax, strings and numbers. (The nesting limit has its own
// test: documents 10,000 levels deep would slow the fuzzer down.)
var scannerSeeds = []string{
	`{"testGridSessions":[{"arn":"a","created":1709294400.123,"status":"ACTIVE"}],"nextToken":"t"}`,
	`{"a":{"b":[1,-2.5e-3,0,-0,1E+2,true,false,null,"s",{},[]]},"a":"later duplicates win"}`,
	`{"\ud83d\ude00 \ud83d \ude00 \udc00\ud800x \u00e9\u0000\"\\\/\b\f\n\r\t":"\u0041"}`,
	"[\"bad \xff\xfe utf8 \xe2\x82\",\"\xc3\xa9\",\"\xed\xa0\x80\"]",
	" \t\r\n[ 1 , \"x\" ] \n",
	`"top-level string"`, `42`, `-0.5e-7`, `true`, `null`,
	`{"a":1,}`, `[1,]`, `{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, `{1:2}`, `{"a":}`,
	`"\u12"`, `"\u12x4"`, `"\q"`, `{"\q":1}`, `"\u00E9\u00e9 \uD83D\uDE00"`, `"unterminated`, `"\`, "\"\x01\"",
	`01`, `-`, `1.`, `1e`, `1e+`, `.5`, `+1`, `tru`, `trux`, `nul`, `fals`,
	``, ` `, `{} {}`, `[]]`, "\x00", `'a'`,
}

// walk reads the value that is next into the shape encoding/json decodes
// it to with UseNumber: map[string]any (later duplicates win), []any,
// string, json.Number, bool or nil.
func walk(s *Scanner) (any, error) {
	switch c := s.Peek(); {
	case c == '{':
		m := map[string]any{}
		err := s.Object(func(key []byte) error {
			k := string(key)
			v, err := walk(s)
			m[k] = v
			return err
		})
		return m, err
	case c == '[':
		a := []any{}
		err := s.Array(func() error {
			v, err := walk(s)
			a = append(a, v)
			return err
		})
		return a, err
	case c == '"':
		b, err := s.StringBytes()
		return string(b), err
	case c == '-' || '0' <= c && c <= '9':
		b, err := s.Number()
		return json.Number(b), err
	case c == 't':
		return true, s.Literal("true")
	case c == 'f':
		return false, s.Literal("false")
	case c == 'n':
		return nil, s.Literal("null")
	}
	return nil, s.SkipValue() // the syntax error
}

// checkScanner holds the scanner to encoding/json: SkipValue and End
// accept exactly the documents json.Valid accepts, and reading a valid one
// token by token gives what json.Decoder gives.
func checkScanner(t *testing.T, data []byte) {
	s := NewScanner(data)
	err := s.SkipValue()
	if err == nil {
		err = s.End()
	}
	if valid := json.Valid(data); (err == nil) != valid {
		t.Fatalf("scanner error = %v, json.Valid = %v\ndata: %.200q", err, valid, data)
	}
	if err != nil {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var want any
	require.NoError(t, dec.Decode(&want))
	got, err := walk(NewScanner(data))
	require.NoError(t, err)
	require.Equal(t, want, got, "data: %.200q", data)
}

// FuzzScanner holds the scanner to encoding/json's answers; go test runs
// scannerSeeds as its seeds.
func FuzzScanner(f *testing.F) {
	for _, s := range scannerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkScanner)
}

// Nesting is limited to encoding/json's 10,000 levels, objects and arrays
// alike.
func TestScanner_NestingLimit(t *testing.T) {
	t.Parallel()
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		checkScanner(t, []byte(strings.Repeat("[", depth)+strings.Repeat("]", depth)))
		checkScanner(t, []byte(strings.Repeat(`{"a":`, depth)+"1"+strings.Repeat("}", depth)))
	}
}

// Syntax errors name the character and the offset, in encoding/json's
// words.
func TestScanner_SyntaxErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ data, want string }{
		{``, "unexpected end of JSON input"},
		{`[1,`, "unexpected end of JSON input"},
		{`tru`, "unexpected end of JSON input"},
		{`trux`, "invalid character 'x' in literal true at offset 3"},
		{`{"a" 1}`, "invalid character '1' after object key at offset 5"},
		{`{"a":1 "b":2}`, `invalid character '"' after object key:value pair at offset 7`},
		{`{1:2}`, "invalid character '1' looking for beginning of object key string at offset 1"},
		{`[1 2]`, "invalid character '2' after array element at offset 3"},
		{`[}`, "invalid character '}' looking for beginning of value at offset 1"},
		{`01`, "invalid character '1' after top-level value at offset 1"},
		{`-x`, "invalid character 'x' in numeric literal at offset 1"},
		{`1.e`, "invalid character 'e' after decimal point in numeric literal at offset 2"},
		{`1e+]`, "invalid character ']' in exponent of numeric literal at offset 3"},
		{`"\q"`, "invalid character 'q' in string escape code at offset 2"},
		{`"\u12x4"`, `invalid character 'x' in \u hexadecimal character escape at offset 5`},
		{"\"a\x01\"", "invalid character 0x01 in string literal at offset 2"},
		{`'a'`, "invalid character 0x27 looking for beginning of value at offset 0"},
		{strings.Repeat("[", maxDepth+1), "exceeded max depth"},
	}
	for _, tt := range tests {
		s := NewScanner([]byte(tt.data))
		err := s.SkipValue()
		if err == nil {
			err = s.End()
		}
		assert.EqualError(t, err, tt.want, "data %q", tt.data)
	}
}

func TestScanner_TypeError(t *testing.T) {
	t.Parallel()
	tests := []struct{ data, want string }{
		{`{}`, "m: expected a string, found object"},
		{`[]`, "m: expected a string, found array"},
		{` "x"`, "m: expected a string, found string"},
		{`true`, "m: expected a string, found bool"},
		{`false`, "m: expected a string, found bool"},
		{`-1`, "m: expected a string, found number"},
		{`}`, "invalid character '}' looking for beginning of value at offset 0"},
		{``, "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		assert.EqualError(t, NewScanner([]byte(tt.data)).TypeError("m", "a string"), tt.want, "data %q", tt.data)
	}
}

// A member and an element that return an error end the read with it.
func TestScanner_CallbackErrorsStopTheRead(t *testing.T) {
	t.Parallel()
	stop := assert.AnError
	s := NewScanner([]byte(`{"a":1,"b":2}`))
	var keys []string
	err := s.Object(func(key []byte) error {
		keys = append(keys, string(key))
		return stop
	})
	assert.Same(t, stop, err)
	assert.Equal(t, []string{"a"}, keys)

	n := 0
	err = NewScanner([]byte(`[1,2]`)).Array(func() error { n++; return stop })
	assert.Same(t, stop, err)
	assert.Equal(t, 1, n)

	assert.Equal(t, 5, NewScanner([]byte(`[1,2]`)).Len())
}

// Object, Array and StringBytes need their own token next.
func TestScanner_WrongTokenIsASyntaxError(t *testing.T) {
	t.Parallel()
	none := func([]byte) error { t.Fatal("called"); return nil }
	assert.EqualError(t, NewScanner([]byte(`[]`)).Object(none), "invalid character '[' looking for beginning of object at offset 0")
	assert.EqualError(t, NewScanner([]byte(`{}`)).Array(func() error { return none(nil) }), "invalid character '{' looking for beginning of array at offset 0")
	_, err := NewScanner([]byte(`1`)).StringBytes()
	assert.EqualError(t, err, "invalid character '1' looking for beginning of string at offset 0")
}

// Member names match as encoding/json matches them to struct fields: the
// exact name first, then under Unicode case folding.
func TestMatchMember(t *testing.T) {
	t.Parallel()
	tests := []struct{ key, want string }{
		{"status", "status"},
		{"Status", "Status"}, // exact beats folded
		{"STATUS", "status"},
		{"ſtatus", "status"}, // U+017F LONG S folds to s
		{"\u212aey", "key"},  // KELVIN SIGN folds to k
		{"stat", ""},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, MatchMember([]byte(tt.key), "status", "Status", "key"), "key %q", tt.key)
	}
	assert.Equal(t, "", MatchMember([]byte("STATUS")), "no names")
}
