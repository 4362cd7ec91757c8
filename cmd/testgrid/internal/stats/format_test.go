package stats

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormat(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "12.5%", Percent(0.125))
	assert.Equal(t, "3.14", MinutesText(3.14159))
	assert.Equal(t, "30m12s", DurationText(30*time.Minute+12*time.Second+400*time.Millisecond))
	assert.Equal(t, "250ms", DurationText(250*time.Millisecond+400*time.Microsecond), "to the millisecond under a second")
	assert.Equal(t, "0s", DurationText(0))
}

func TestMixRowErrorRate(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 0.25, MixRow{Sessions: 4, Errored: 1}.ErrorRate())
	assert.Zero(t, MixRow{}.ErrorRate(), "no sessions: no rate")
}

func TestAggregatorCloseKeepsTheSummary(t *testing.T) {
	t.Parallel()
	a := NewAggregator(testNow, time.UTC)
	assert.NoError(t, a.WritePage(overlapSessions()))
	assert.NoError(t, a.Close(), "the listing's end does not finish the aggregation")
	assert.Equal(t, 5, a.Summary().Sessions)
}
