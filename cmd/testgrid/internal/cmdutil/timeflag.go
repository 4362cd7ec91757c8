package cmdutil

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// timeHelp describes the accepted time syntax; it ends error messages.
const timeHelp = "use an RFC 3339 time (2025-03-01T09:30:00Z), a date (2025-03-01), epoch seconds (1740821400) or a duration before now (90m, 24h, 7d, 2w)"

// ParseTime parses the value of a time flag such as --created-after:
//
//   - an RFC 3339 time, with optional fractional seconds and a mandatory
//     zone: 2025-03-01T09:30:00Z, 2025-03-01T09:30:00.250+01:00;
//   - a date, meaning midnight UTC: 2025-03-01;
//   - epoch seconds, as the AWS CLI accepts them, whole or with a fraction:
//     1740821400, 1740821400.5 (see parseEpochSeconds for the range);
//   - a positive duration before now: Go duration syntax (45s, 90m, 36h,
//     1h30m) optionally preceded by whole weeks and days (7d, 2w, 1w3d,
//     1d12h). A day is 24 hours and a week 7 days.
//
// A bare number is always epoch seconds, never a duration without a unit.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty time; " + timeHelp)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, ok, err := parseEpochSeconds(s); ok {
		return t, err
	}
	// Parsing accepts fractional seconds after the seconds field even
	// though the layout does not show them.
	if _, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return time.Time{}, fmt.Errorf("%q has no time zone; add Z (UTC) or an offset such as +02:00", s)
	}
	if d, ok, err := parseAgo(s); ok {
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: %v", s, err)
		}
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time; %s", s, timeHelp)
}

// parseAgo parses a relative duration: [Nw][Nd][Go duration]. ok is false
// when s does not look like a duration at all (so another error message
// fits better).
func parseAgo(s string) (d time.Duration, ok bool, err error) {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return 0, false, nil
	}
	if s[0] == '-' {
		return 0, true, errors.New("a duration must be positive: it is counted back from now")
	}
	rest := s
	var total time.Duration
	for _, unit := range []struct {
		suffix byte
		size   time.Duration
	}{{'w', 7 * 24 * time.Hour}, {'d', 24 * time.Hour}} {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) || rest[i] != unit.suffix {
			continue
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil || n > int64(math.MaxInt64/unit.size) || total > math.MaxInt64-time.Duration(n)*unit.size {
			return 0, true, errors.New("duration too large")
		}
		total += time.Duration(n) * unit.size
		rest = rest[i+1:]
	}
	if rest != "" {
		gd, err := time.ParseDuration(rest)
		if err != nil {
			return 0, false, nil
		}
		if gd < 0 || total > math.MaxInt64-gd {
			return 0, true, errors.New("duration too large")
		}
		total += gd
	}
	if total <= 0 {
		return 0, true, errors.New("a duration must be positive: it is counted back from now")
	}
	return total, true, nil
}

// Bounds of epoch seconds. Before minEpoch, a number is far more likely a
// duration missing its unit ("7" for 7d) or a typo than a filter the user
// means, since test grid sessions date from 2020 on; after maxEpoch it is
// probably milliseconds (or a typo), and the service refuses years after
// 9999 anyway.
var (
	minEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxEpoch = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// parseEpochSeconds parses s as epoch seconds: digits, optionally a
// fraction (at most 9 decimals), optionally preceded by a minus sign so that
// a negative number gets its own message. ok is false when s is not such a
// number. A number outside minEpoch..maxEpoch is an error that says what it
// would mean.
func parseEpochSeconds(s string) (t time.Time, ok bool, err error) {
	digits := strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(digits, ".")
	if !isDigits(whole) || (hasFrac && !isDigits(frac)) {
		return time.Time{}, false, nil
	}
	if s[0] == '-' {
		return time.Time{}, true, fmt.Errorf("%q: epoch seconds cannot be negative", s)
	}
	if len(frac) > 9 {
		return time.Time{}, true, fmt.Errorf("%q: epoch seconds take at most 9 decimals", s)
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > maxEpoch.Unix() {
		return time.Time{}, true, fmt.Errorf("%q is after %s as epoch seconds (milliseconds? divide by 1000)", s, maxEpoch.Format(time.DateOnly))
	}
	nsec, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
	t = time.Unix(sec, nsec).UTC()
	if t.Before(minEpoch) {
		return time.Time{}, true, fmt.Errorf("%q as epoch seconds is %s, before %s; for a duration, add a unit (%sd, %sh)",
			s, FormatTime(t), minEpoch.Format(time.DateOnly), whole, whole)
	}
	return t, true, nil
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// FormatTime formats t as RFC 3339 in UTC, with fractional seconds only
// when there are any.
func FormatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
