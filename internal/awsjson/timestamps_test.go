package awsjson

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	smithyjson "github.com/aws/smithy-go/encoding/json"
	smithytime "github.com/aws/smithy-go/time"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// officialEpochSeconds renders t the way the official SDK does:
// smithy-go's FormatEpochSeconds written by its JSON encoder.
func officialEpochSeconds(t time.Time) string {
	enc := smithyjson.NewEncoder()
	enc.Value.Double(smithytime.FormatEpochSeconds(t))
	return enc.String()
}

func TestAppendEpochSeconds_MatchesOfficialSDK(t *testing.T) {
	t.Parallel()
	fixed := []time.Time{
		time.Unix(1709251200, 0),
		time.Unix(1709337600, 500_000_000),
		time.Unix(1709294400, 123_000_000),
		time.Unix(1709294400, 123_456_789),
		time.Unix(1000000000, 500_000_000),
		time.Unix(1700000000, 0),
		time.Unix(0, 1_000_000),
		time.Unix(0, 999_999),
		time.Unix(-1, 0),
		time.Unix(0, -1_500_500),
		time.Unix(-86400*365*50, -7_000_000),
		time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1678, 1, 2, 0, 0, 0, 0, time.UTC),
	}
	for _, ts := range fixed {
		assert.Equal(t, officialEpochSeconds(ts), string(AppendEpochSeconds(nil, ts)), "time %v", ts)
	}

	// Pin the documented examples exactly, not just against the oracle.
	assert.Equal(t, "1709294400.123", string(AppendEpochSeconds(nil, time.Unix(1709294400, 123_000_000))))
	assert.Equal(t, "1709337600.5", string(AppendEpochSeconds(nil, time.Unix(1709337600, 500_000_000))))
	assert.Equal(t, "1709251200", string(AppendEpochSeconds(nil, time.Unix(1709251200, 0))))

	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	for range 5000 {
		ts := time.Unix(0, lo+rng.Int64N(hi-lo))
		require.Equal(t, officialEpochSeconds(ts), string(AppendEpochSeconds(nil, ts)), "time %v (%d ns)", ts, ts.UnixNano())
	}
}

// Timestamps before 1678-09-21 or after 2262-04-11 cannot use UnixNano; the
// rule stays "milliseconds truncated toward zero" (spec §1).
// 1678-12-31 is still inside the UnixNano range, so the official SDK's
// arithmetic is the oracle there.
func TestAppendEpochSeconds_TruncatesTowardZeroAtRangeEdges(t *testing.T) {
	t.Parallel()
	inRange := time.Date(1678, 12, 31, 0, 0, 0, 500_500, time.UTC)
	assert.Equal(t, officialEpochSeconds(inRange), string(AppendEpochSeconds(nil, inRange)))
	// -11676096000 s + 0.0005005 s truncated toward zero to milliseconds.
	assert.Equal(t, "-11676095999.999", string(AppendEpochSeconds(nil, time.Date(1600, 1, 1, 0, 0, 0, 500_500, time.UTC))))
}

// FuzzParseEpochMillis holds the timestamp parser to the big.Rat reference.
func FuzzParseEpochMillis(f *testing.F) {
	for _, s := range []string{"1709294400.123", "1.7092944001239e9", "-0.0019", ".5", "5.", "+5", "1e12", "1000000000000.0001",
		"1e-40", "1e40", "1e+05", "1e", "e5", ".", "", "-", "1..2", "1e5.5", "00001.5e3", "-1.5E-2", "1e++5", "1e--5", "999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotOK := parseEpochMillis(s)
		want, wantOK := parseEpochMillisReference(s)
		if gotOK != wantOK || got != want {
			t.Fatalf("parseEpochMillis(%q) = %d, %v; reference %d, %v", s, got, gotOK, want, wantOK)
		}
	})
}

// parseEpochMillisReference is the timestamp parser the library used before
// its big-number-free one: plain decimals on their digits, other forms with
// big.Rat. FuzzParseEpochMillis holds parseEpochMillis to it.
func parseEpochMillisReference(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(digits, ".")
	if intPart != "" && len(intPart) <= 12 && allDigits(intPart) && (!hasDot || (frac != "" && allDigits(frac))) {
		sec, _ := strconv.ParseInt(intPart, 10, 64)
		ms := sec * 1000
		for i, scale := 0, int64(100); i < 3 && i < len(frac); i, scale = i+1, scale/10 {
			ms += int64(frac[i]-'0') * scale
		}
		if neg {
			ms = -ms
		}
		return ms, true
	}
	if len(s) > 64 || strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, false
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || exp > 40 || exp < -40 {
			return 0, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || new(big.Rat).Abs(r).Cmp(new(big.Rat).SetInt64(maxEpochSeconds)) > 0 {
		return 0, false
	}
	ms := new(big.Int).Mul(r.Num(), big.NewInt(1000))
	ms.Quo(ms, r.Denom())
	return ms.Int64(), true
}

func TestParseTimestamp(t *testing.T) {
	t.Parallel()
	ms := func(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
	tests := []struct {
		text    string
		str     bool      // the text of a JSON string, else of a JSON number
		want    time.Time // zero with wantErr
		wantErr string
	}{
		{text: `1709294400`, want: ms(1709294400000)},
		{text: `1709294400.0`, want: ms(1709294400000)},
		{text: `1709294400.5`, want: ms(1709294400500)},
		{text: `1709294400.123`, want: ms(1709294400123)},
		{text: `1709294400.1239`, want: ms(1709294400123)},
		{text: `1709294400.9999999`, want: ms(1709294400999)},
		{text: `0`, want: ms(0)},
		{text: `-1.5`, want: ms(-1500)},
		{text: `-1709294400.123`, want: ms(-1709294400123)},
		{text: `-0.0009`, want: ms(0)},
		{text: `1.7092944e9`, want: ms(1709294400000)},
		{text: `1.7092944005E9`, want: ms(1709294400500)},
		{text: `-1.5e0`, want: ms(-1500)},
		{text: `1.7092944001e9`, want: ms(1709294400100)},
		{text: `1.709294400123e9`, want: ms(1709294400123)},
		{text: `17092944001E-1`, want: ms(1709294400100)},
		{text: `1e300`, wantErr: "timestamp 1e300 is out of range"},
		{text: `-1e13`, wantErr: "timestamp -1e13 is out of range"},
		{text: "1" + strings.Repeat("0", 64) + "e-60", wantErr: "out of range"}, // over 64 bytes
		{text: "2024-03-01T12:00:00.123Z", str: true, want: time.Date(2024, 3, 1, 12, 0, 0, 123_000_000, time.UTC)},
		{text: "2024-03-01T12:00:00Z", str: true, want: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)},
		{text: "2024-03-01T13:00:00.1239+01:00", str: true, want: time.Date(2024, 3, 1, 12, 0, 0, 123_000_000, time.UTC)},
		{text: "1709294400.123", str: true, want: ms(1709294400123)},
		{text: " 1709294400.5 ", str: true, want: ms(1709294400500)},
		{text: "yesterday", str: true, wantErr: `timestamp "yesterday" is neither epoch seconds nor RFC 3339`},
		{text: "2024-03-01", str: true, wantErr: "neither"},
		{text: "", str: true, wantErr: "neither"},
		{text: "NaN", str: true, wantErr: "neither"},
		{text: "Infinity", str: true, wantErr: "neither"},
		{text: "1/3", str: true, wantErr: "neither"},
		{text: "0x1p30", str: true, wantErr: "neither"},
		{text: "1e999999999", str: true, wantErr: "neither"},
		{text: "line\nbreak", str: true, wantErr: `timestamp "line\nbreak" is neither`}, // quoted: one line
	}
	for _, tt := range tests {
		if got, ok := checkParse(t, tt.text, tt.str, tt.wantErr, ParseTimestamp, ParseTimestampString); ok {
			assert.Equal(t, tt.want, got, "text %q: got %d ms", tt.text, got.UnixMilli())
			assert.Equal(t, time.UTC, got.Location())
		}
	}
}

// TestAppendEpochSeconds_ServiceForm is the table that pinned testgrid's
// aws-json timestamps before they were written here.
func TestAppendEpochSeconds_ServiceForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC), "1740821400"},
		{time.Date(2025, 3, 1, 9, 30, 0, 500e6, time.UTC), "1740821400.5"},
		{time.Date(2025, 3, 1, 9, 30, 0, 250e6, time.UTC), "1740821400.25"},
		{time.Date(2025, 3, 1, 9, 30, 0, 123e6, time.UTC), "1740821400.123"},
		{time.Date(2025, 3, 1, 9, 30, 0, 1e6, time.UTC), "1740821400.001"},
		{time.Date(2025, 3, 1, 9, 30, 0, 999999999, time.UTC), "1740821400.999"},
		{time.Date(2025, 3, 1, 10, 30, 0, 0, time.FixedZone("CET", 3600)), "1740821400"},
		{time.Unix(0, 0), "0"},
		{time.UnixMilli(-1500), "-1.5"},
	} {
		assert.Equal(t, tt.want, string(AppendEpochSeconds(nil, tt.t)), tt.t.String())
	}
}
