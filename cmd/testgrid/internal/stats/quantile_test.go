package stats

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// assertWithinRelErr asserts that got is within durationRelErr of want,
// the sketch's stated bound.
func assertWithinRelErr(t *testing.T, want, got time.Duration, msgAndArgs ...any) {
	t.Helper()
	diff := math.Abs(float64(got - want))
	assert.LessOrEqual(t, diff, DurationRelErr*float64(want)+1, msgAndArgs...)
}

func TestSummaryDurationSketch(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func(n int, f func() time.Duration) []time.Duration {
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = f()
		}
		return out
	}
	tests := []struct {
		name      string
		durations []time.Duration
	}{
		{"one", []time.Duration{42 * time.Second}},
		{"two", []time.Duration{time.Second, time.Hour}},
		{"zeros and ms", []time.Duration{0, 0, time.Millisecond, 2 * time.Millisecond, 0}},
		{"uniform 3s-60m", gen(5000, func() time.Duration {
			return 3*time.Second + time.Duration(rng.Int64N(int64(57*time.Minute)))*time.Millisecond/time.Millisecond
		})},
		{"log-normal", gen(5000, func() time.Duration {
			return time.Duration(math.Exp(rng.NormFloat64()*2 + 20)) // around 0.5s, heavy tail
		})},
		{"huge", []time.Duration{time.Duration(math.MaxInt64), time.Duration(math.MaxInt64 / 3), time.Nanosecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s durationSketch
			for _, d := range tt.durations {
				s.add(d)
			}
			for _, q := range []float64{0.01, 0.25, 0.5, 0.9, 0.95, 0.99} {
				assertWithinRelErr(t, refQuantile(tt.durations, q), s.quantile(q), "q=%v", q)
			}
			assert.Equal(t, refQuantile(tt.durations, 1), s.quantile(1), "the maximum is exact")
			assert.Equal(t, refQuantile(tt.durations, 1), s.max)
		})
	}
}

func TestSummaryDurationSketchEmptyAndNegative(t *testing.T) {
	t.Parallel()
	var s durationSketch
	assert.Zero(t, s.quantile(0.5))
	s.add(-time.Second)
	assert.Zero(t, s.n, "a negative duration is not counted")
}

func TestSummaryBucketBoundaries(t *testing.T) {
	t.Parallel()
	// Every value is within the bound of its bucket's representative.
	for d := time.Duration(1); d < time.Duration(math.MaxInt64/13); d = d*13/10 + 1 {
		i := bucketOf(d)
		rep := 2 * math.Pow(sketchGamma, float64(i)) / (sketchGamma + 1)
		assert.LessOrEqual(t, math.Abs(rep-float64(d)), DurationRelErr*float64(d)+1e-9*float64(d), "d=%d bucket %d", d, i)
	}
	assert.Less(t, bucketOf(time.Duration(math.MaxInt64)), sketchBuckets)
}
