package cmdutil

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-03-01T09:30:00Z", time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)},
		{"2025-03-01T09:30:00.25Z", time.Date(2025, 3, 1, 9, 30, 0, 250e6, time.UTC)},
		{"2025-03-01T09:30:00+01:00", time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)},
		{"2025-03-01T09:30:00.123456789-07:00", time.Date(2025, 3, 1, 16, 30, 0, 123456789, time.UTC)},
		{"2025-03-01", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		{" 2025-03-01 ", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"45s", now.Add(-45 * time.Second)},
		{"90m", now.Add(-90 * time.Minute)},
		{"24h", now.Add(-24 * time.Hour)},
		{"1h30m", now.Add(-90 * time.Minute)},
		{"1.5h", now.Add(-90 * time.Minute)},
		{"7d", now.Add(-7 * 24 * time.Hour)},
		{"2w", now.Add(-14 * 24 * time.Hour)},
		{"1w3d", now.Add(-10 * 24 * time.Hour)},
		{"1d12h", now.Add(-36 * time.Hour)},
		{"1w1d1h1m1s", now.Add(-(8*24*time.Hour + time.Hour + time.Minute + time.Second))},
		{"0d5m", now.Add(-5 * time.Minute)},
		// Epoch seconds, as the AWS CLI takes them.
		{"1741600000", time.Date(2025, 3, 10, 9, 46, 40, 0, time.UTC)},
		{"1741600000.5", time.Date(2025, 3, 10, 9, 46, 40, 500e6, time.UTC)},
		{"1741600000.123456789", time.Date(2025, 3, 10, 9, 46, 40, 123456789, time.UTC)},
		{" 1741600000 ", time.Date(2025, 3, 10, 9, 46, 40, 0, time.UTC)},
		{"946684800", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"253402300799", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, now)
		if assert.NoError(t, err, tt.in) {
			assert.True(t, tt.want.Equal(got), "%s: got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseTimeErrors(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		wantErr string
	}{
		{"", "empty time"},
		{"   ", "empty time"},
		{"yesterday", "is not a time"},
		{"7", `"7" as epoch seconds is 1970-01-01T00:00:07Z, before 2000-01-01; for a duration, add a unit (7d, 7h)`},
		{"90", "before 2000-01-01; for a duration, add a unit (90d, 90h)"},
		{"0", "before 2000-01-01"},
		{"946684799.999", "before 2000-01-01"},
		{"-1741600000", "epoch seconds cannot be negative"},
		{"-7", "epoch seconds cannot be negative"},
		{"1741600000000", "after 9999-12-31 as epoch seconds (milliseconds? divide by 1000)"},
		{"253402300800", "after 9999-12-31"},
		{"99999999999999999999999", "after 9999-12-31"},
		{"1741600000.1234567891", "at most 9 decimals"},
		{"1741600000.5.5", "is not a time"},
		{"1741600000.", "is not a time"},
		{".5", "is not a time"},
		{"1e9", "is not a time"},
		{"-7d", "must be positive"},
		{"-1h", "must be positive"},
		{"0s", "must be positive"},
		{"0d", "must be positive"},
		{"7D", "is not a time"},
		{"1.5d", "is not a time"},
		{"7dd", "is not a time"},
		{"3y", "is not a time"},
		{"99999999999999999999d", "too large"},
		{"100000000w", "too large"},
		{"2025-03-01T09:30:00", "no time zone"},
		{"2025-03-01T09:30:00.5", "no time zone"},
		{"2025-03-01T09:30", "is not a time"},
		{"2025-13-01", "is not a time"},
		{"2025-02-30T00:00:00Z", "is not a time"},
	}
	for _, tt := range tests {
		_, err := ParseTime(tt.in, now)
		if assert.Error(t, err, "%q", tt.in) {
			assert.Contains(t, err.Error(), tt.wantErr, "%q", tt.in)
		}
	}
}

func TestParseTimeHelpMentionsForms(t *testing.T) {
	t.Parallel()
	_, err := ParseTime("soon", time.Now())
	require.Error(t, err)
	for _, form := range []string{"RFC 3339", "7d", "24h"} {
		assert.Contains(t, err.Error(), form)
	}
}
