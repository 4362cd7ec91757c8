package stats

import (
	"fmt"
	"math"
	"time"
)

// TimeLayout formats times in the table and the HTML report.
const TimeLayout = "2006-01-02 15:04:05 MST"

// Percent formats a share as "12.5%".
func Percent(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

// MinutesText formats billing minutes with two decimals.
func MinutesText(m float64) string {
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return OutOfRange
	}
	return fmt.Sprintf("%.2f", m)
}

// OutOfRange stands for a number past what the summary can hold (billing
// minutes that add up past the largest float64); a note says which.
const OutOfRange = "out of range"

// DurationText formats d to the second ("30m12s"), or to the millisecond
// under a second.
func DurationText(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
