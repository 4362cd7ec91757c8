package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// timeHelp describes the accepted time syntax; it ends error messages.
const timeHelp = "use an RFC 3339 time (2025-03-01T09:30:00Z), a date (2025-03-01) or a duration before now (90m, 24h, 7d, 2w)"

// parseTime parses the value of a time flag such as --created-after:
//
//   - an RFC 3339 time, with optional fractional seconds and a mandatory
//     zone: 2025-03-01T09:30:00Z, 2025-03-01T09:30:00.250+01:00;
//   - a date, meaning midnight UTC: 2025-03-01;
//   - a positive duration before now: Go duration syntax (45s, 90m, 36h,
//     1h30m) optionally preceded by whole weeks and days (7d, 2w, 1w3d,
//     1d12h). A day is 24 hours and a week 7 days.
func parseTime(s string, now time.Time) (time.Time, error) {
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
		if strings.TrimLeft(rest, "0123456789") == "" {
			return 0, true, errors.New("missing unit: use s, m, h, d or w (e.g. 90m, 24h, 7d)")
		}
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
