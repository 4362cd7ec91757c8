package listing

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	clock := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	p := NewProgress(&buf, true, func() time.Time { return clock })
	p.tick = 0 // draw only when told

	p.Update(1, 7, false)
	assert.Empty(t, buf.String(), "a listing of one page shows nothing")

	clock = clock.Add(1500 * time.Millisecond)
	p.Update(1, 7, true)
	assert.Equal(t, EraseLine+"/ 1 page, 7 sessions, 1.5s", buf.String())

	buf.Reset()
	p.Hide()
	assert.Equal(t, EraseLine, buf.String(), "hidden while a page is written")
	buf.Reset()
	p.Hide()
	assert.Empty(t, buf.String(), "already hidden")

	clock = clock.Add(62 * time.Second)
	p.Update(2, 14, true)
	assert.Equal(t, EraseLine+"- 2 pages, 14 sessions, 1m4s", buf.String())

	buf.Reset()
	p.Stop()
	assert.Equal(t, EraseLine, buf.String())
	buf.Reset()
	p.Stop()
	p.Update(3, 21, true)
	assert.Empty(t, buf.String(), "nothing after stop")
}

func TestElapsedText(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0:                        "0.0s",
		40 * time.Millisecond:    "0.0s",
		160 * time.Millisecond:   "0.2s",
		59900 * time.Millisecond: "59.9s",
		time.Minute:              "1m0s",
		time.Hour + 2*time.Second + 600*time.Millisecond: "1h0m3s",
	} {
		assert.Equal(t, want, elapsedText(d), d)
	}
}

func TestProgressDisabled(t *testing.T) {
	t.Parallel()
	p := NewProgress(&bytes.Buffer{}, false, time.Now)
	assert.Nil(t, p)
	// A nil progress does nothing.
	p.Update(1, 1, true)
	p.Hide()
	p.Stop()
}

func TestProgressRedrawsWhileWaiting(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	p := NewProgress(&buf, true, time.Now)
	p.tick = time.Millisecond
	p.Update(1, 50, true)
	// Wait for a redraw by the goroutine (the spinner moves on).
	for !strings.Contains(buf.String(), "- 1 page, 50 sessions") {
		time.Sleep(time.Millisecond)
	}
	p.Stop()
	out := buf.String()
	assert.True(t, strings.HasSuffix(out, EraseLine), "%q", out)
	// Nothing is drawn after stop returned.
	time.Sleep(5 * time.Millisecond)
	assert.Equal(t, out, buf.String())
}
