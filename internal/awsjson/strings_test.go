package awsjson

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	smithyjson "github.com/aws/smithy-go/encoding/json"
	"github.com/stretchr/testify/assert"
)

// jsonStringCases are tricky strings for the JSON string encoder.
var jsonStringCases = []string{
	"",
	"plain",
	`quote " and backslash \ and slash /`,
	"\\\"",
	"new\nline\rreturn\ttab",
	"\x00\x01\x07\x08\x0b\x0c\x1b\x1f",
	"\x7f del",
	"<script>&amp;</script>",
	"line sep \u2028 para sep \u2029",
	"é ü ß 日本語 🙂 \U0010FFFF",
	"\uFFFD literal replacement char",
	"\xff",
	"\xff\xfe two invalid bytes",
	"a\xc3",             // truncated 2-byte sequence at end
	"\xe2\x82 trunc",    // truncated 3-byte sequence
	"\xed\xa0\x80",      // UTF-16 surrogate encoded in UTF-8 (invalid)
	"\xc0\xaf overlong", // overlong encoding of '/'
	"\xf4\x90\x80\x80",  // above U+10FFFF
	"mixed \x80 é \xbf \u2028 \" \x05",
	strings.Repeat("long \u2029 ", 100),
}

// validUTF8PerByte replaces every byte of invalid UTF-8 with U+FFFD, as
// encoding/json and the official SDK's encoder do (strings.ToValidUTF8
// folds a run of invalid bytes into one U+FFFD, which they do not).
func validUTF8PerByte(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func officialJSONString(s string) string {
	enc := smithyjson.NewEncoder()
	enc.Value.String(s)
	return enc.String()
}

// checkJSONString checks AppendString(s) against three oracles. It fails
// with t.Fatalf rather than testify's require, which costs the fuzzer
// most of its speed.
func checkJSONString(t *testing.T, s string) {
	t.Helper()
	got := AppendString(nil, s)
	if !json.Valid(got) || !utf8.Valid(got) {
		t.Fatalf("invalid JSON or UTF-8 %q for input %q", got, s)
	}
	var decoded, stdDecoded string
	if err := json.Unmarshal(got, &decoded); err != nil {
		t.Fatalf("unmarshal %q: %v", got, err)
	}

	// Oracle 1: encoding/json round trip (it escapes <>& differently, so
	// compare decoded values, not bytes).
	stdBytes, _ := json.Marshal(s)
	if err := json.Unmarshal(stdBytes, &stdDecoded); err != nil || decoded != stdDecoded {
		t.Fatalf("round trip of %q: got %q, encoding/json %q (%v)", s, decoded, stdDecoded, err)
	}

	// Oracle 2: per-byte replacement of invalid UTF-8 (strings.ToValidUTF8
	// folds a run of invalid bytes into one U+FFFD; the encoder, like
	// encoding/json and the official SDK, replaces each byte), and valid
	// input unchanged.
	if want := validUTF8PerByte(s); decoded != want || utf8.ValidString(s) && decoded != s {
		t.Fatalf("round trip of %q: got %q, want %q", s, decoded, want)
	}

	// Oracle 3: byte-exact with the official SDK's JSON encoder.
	if want := officialJSONString(s); string(got) != want {
		t.Fatalf("encoding of %q: got %q, official SDK %q", s, got, want)
	}

	// No raw control characters, U+2028 or U+2029 in the output.
	if strings.ContainsFunc(string(got), func(r rune) bool { return r < 0x20 || r == '\u2028' || r == '\u2029' }) {
		t.Fatalf("unescaped character in %q", got)
	}
}

// A few exact encodings, pinned beside the oracles.
func TestAppendString_Exact(t *testing.T) {
	t.Parallel()
	exact := map[string]string{
		`a"b\c`:                `"a\"b\\c"`,
		"\n\r\t\x00\x1f":       `"\n\r\t\u0000\u001f"`,
		"\b\f":                 `"\u0008\u000c"`,
		"\u2028\u2029":         `"\u2028\u2029"`,
		"<>&":                  `"<>&"`,
		"\xff\xfe":             `"\ufffd\ufffd"`,
		"é日🙂":                  `"é日🙂"`,
		"tail\\":               `"tail\\"`,
		"x\x7fy":               "\"x\x7fy\"",
		"arn:aws:devicefarm:a": `"arn:aws:devicefarm:a"`,
	}
	for in, want := range exact {
		assert.Equal(t, want, string(AppendString(nil, in)), "input %q", in)
	}
	// It appends, keeping the existing buffer.
	assert.Equal(t, `x"y"`, string(AppendString([]byte("x"), "y")))
}

// FuzzAppendJSONString holds AppendString to encoding/json and to the
// official SDK's encoder (checkJSONString); go test runs the cases above
// as its seeds.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringCases {
		f.Add(s)
	}
	f.Fuzz(checkJSONString)
}
