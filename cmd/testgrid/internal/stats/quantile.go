package stats

import (
	"math"
	"time"
)

// DurationRelErr is the relative error of the quantiles that a
// durationSketch returns: an estimate e of a true value v satisfies
// |e-v| <= durationRelErr*v.
const DurationRelErr = 0.01

// Bucket geometry of durationSketch: bucket i (i >= 1) holds the durations
// d, in nanoseconds, with gamma^(i-1) < d <= gamma^i, where
// gamma = (1+α)/(1-α). Its representative value 2·gamma^i/(gamma+1) is
// within α of every value in it (the scheme of DDSketch, Masson et al.,
// VLDB 2019). Bucket 0 holds zero durations and is exact.
var (
	sketchGamma   = (1 + DurationRelErr) / (1 - DurationRelErr)
	sketchLnGamma = math.Log(sketchGamma)
)

// sketchBuckets is enough buckets for every positive time.Duration:
// ln(MaxInt64)/ln(gamma) < 2200.
const sketchBuckets = 2200

// durationSketch summarises the durations of ended sessions in fixed
// memory (about 17 KiB whatever the number of sessions): a count per
// log-spaced bucket, plus the exact minimum and maximum. Quantiles are
// within durationRelErr of the exact nearest-rank quantile; the maximum is
// exact. The zero value is ready to use.
type durationSketch struct {
	counts   [sketchBuckets]uint64
	n        uint64
	min, max time.Duration
}

// add records d; negative durations are ignored (see aggregator.add).
func (s *durationSketch) add(d time.Duration) {
	if d < 0 {
		return
	}
	s.counts[bucketOf(d)]++
	if s.n == 0 || d < s.min {
		s.min = d
	}
	if d > s.max {
		s.max = d
	}
	s.n++
}

// bucketOf returns the bucket that holds d (d >= 0).
func bucketOf(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	i := int(math.Ceil(math.Log(float64(d)) / sketchLnGamma))
	return min(max(i, 1), sketchBuckets-1)
}

// quantile returns the nearest-rank q-quantile (the ceil(q·n)-th smallest
// duration, q in (0, 1]) within durationRelErr, or 0 when no duration was
// added. The first and last ranks are the exact minimum and maximum; other
// estimates are clamped to [min, max], which keeps them within the bound.
func (s *durationSketch) quantile(q float64) time.Duration {
	if s.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(s.n)))
	switch {
	case rank <= 1:
		return s.min
	case rank >= s.n:
		return s.max
	}
	var seen uint64
	for i, c := range s.counts {
		seen += c
		if seen < rank {
			continue
		}
		if i == 0 {
			return 0
		}
		est := 2 * math.Pow(sketchGamma, float64(i)) / (sketchGamma + 1)
		switch {
		case est >= float64(s.max): // compared as floats: no overflow
			return s.max
		case est <= float64(s.min):
			return s.min
		}
		return time.Duration(est)
	}
	return s.max
}
