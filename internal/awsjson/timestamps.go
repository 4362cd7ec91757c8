package awsjson

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// This file holds timestamps both ways.
//
// Timestamps arrive as epoch seconds in a JSON number, as the awsJson
// protocol sends them. For robustness a string holding epoch seconds or an
// RFC 3339 time is accepted too. Values are truncated to whole milliseconds
// and set in UTC, as the official SDK does (1709294400.1239 decodes to .123);
// the truncation works on the decimal text, so no binary rounding can move a
// value across a millisecond boundary. They are sent as epoch seconds with
// millisecond precision.
//
// The rounding rule, both ways and for every encoder in this repository
// (requests, the fakes' responses, testgrid's outputs): an instant is
// carried in whole milliseconds truncated toward zero, so before 1970 a
// fraction of a millisecond moves the time forward, toward the epoch
// (-1.2345 s is sent as -1.234, not -1.235), as the official SDK's
// UnixNano()/1e6 does.

// maxEpochSeconds bounds accepted timestamps (year ~33658) so that
// milliseconds never overflow int64.
const maxEpochSeconds = 1e12

// ParseTimestamp decodes the text of a JSON number holding epoch seconds.
func ParseTimestamp(b []byte) (time.Time, error) {
	ms, ok := epochMillisFast(b)
	if !ok {
		ms, ok = parseExponentMillis(string(b))
	}
	if !ok {
		return time.Time{}, fmt.Errorf("timestamp %s is out of range", oneline.Excerpt(b, 64))
	}
	return time.UnixMilli(ms).UTC(), nil
}

// ParseTimestampString decodes the text of a JSON string: RFC 3339, or
// epoch seconds.
func ParseTimestampString(s string) (time.Time, error) {
	if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return ts.Truncate(time.Millisecond).UTC(), nil
	}
	ms, ok := parseEpochMillis(strings.TrimSpace(s))
	if !ok {
		return time.Time{}, fmt.Errorf("timestamp %s is neither epoch seconds nor RFC 3339", oneline.Excerpt([]byte(strconv.Quote(s)), 64))
	}
	return time.UnixMilli(ms).UTC(), nil
}

// parseEpochMillis converts decimal epoch seconds to milliseconds, truncating
// toward zero. Plain decimals ("-12.3456") are handled exactly on their
// digits; exponent forms go through parseExponentMillis.
func parseEpochMillis(s string) (int64, bool) {
	if ms, ok := epochMillisFast([]byte(s)); ok {
		return ms, true
	}
	return parseExponentMillis(s)
}

// epochMillisFast handles -?DIGITS(.DIGITS)? with at most 12 integer digits,
// the form the service sends, without allocating.
func epochMillisFast(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	i, sec := 0, int64(0)
	for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		sec = sec*10 + int64(b[i]-'0')
	}
	if i == 0 || i > 12 {
		return 0, false
	}
	ms := sec * 1000
	if i < len(b) {
		if b[i] != '.' || i+1 == len(b) {
			return 0, false
		}
		scale := int64(100)
		for j := i + 1; j < len(b); j++ {
			c := b[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			ms += int64(c-'0') * scale
			scale /= 10
		}
	}
	if neg {
		ms = -ms
	}
	return ms, true
}

// parseExponentMillis handles the rarer number forms ("1.7092944001e9",
// ".5", "+5") exactly on their decimal digits, truncating toward zero. Texts
// over 64 bytes, exponents beyond ±40 and values beyond maxEpochSeconds are
// refused.
func parseExponentMillis(s string) (int64, bool) {
	if len(s) > 64 {
		return 0, false
	}
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	mant, expText, hasExp := strings.Cut(strings.ReplaceAll(s, "E", "e"), "e")
	exp := 0
	if hasExp {
		t := expText
		if t != "" && (t[0] == '+' || t[0] == '-') {
			t = t[1:]
		}
		if t == "" || !allDigits(t) {
			return 0, false
		}
		var err error
		if exp, err = strconv.Atoi(expText); err != nil || exp > 40 || exp < -40 {
			return 0, false
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if intPart+frac == "" || !allDigits(intPart+frac) {
		return 0, false
	}
	if digits == "" {
		return 0, true
	}
	// The value is digits × 10^(exp-len(frac)); milliseconds shift it by 3.
	var ms int64
	dropped := false // whether a nonzero digit fell below the millisecond
	if shift := exp - len(frac) + 3; shift >= 0 {
		if len(digits)+shift > 16 {
			return 0, false
		}
		ms, _ = strconv.ParseInt(digits+strings.Repeat("0", shift), 10, 64)
	} else {
		keep := max(len(digits)+shift, 0)
		if keep > 16 {
			return 0, false
		}
		ms, _ = strconv.ParseInt("0"+digits[:keep], 10, 64)
		dropped = strings.Trim(digits[keep:], "0") != ""
	}
	if ms > maxEpochSeconds*1000 || ms == maxEpochSeconds*1000 && dropped {
		return 0, false
	}
	if neg {
		ms = -ms
	}
	return ms, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// AppendEpochSeconds appends t as epoch seconds with millisecond precision,
// as smithy-go's FormatEpochSeconds does: milliseconds truncated toward zero,
// divided by 1e3 and printed in the shortest 'f' form (1700000000,
// 1709294400.123).
func AppendEpochSeconds(b []byte, t time.Time) []byte {
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
