package stats

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

func TestSummaryParseBrowserInfo(t *testing.T) {
	t.Parallel()
	unknown := browserInfo{Name: UnknownLabel, Platform: UnknownLabel}
	tests := []struct {
		name  string
		props string
		want  browserInfo
	}{
		{"empty", "", unknown},
		{"blank", "  \n", unknown},
		{"not JSON", "browserName=chrome", unknown},
		{"broken JSON", `{"browserName":"chrome"`, unknown},
		{"null", "null", unknown},
		{"array", `["chrome"]`, unknown},
		{"W3C", `{"browserName":"chrome","browserVersion":"122.0","platformName":"windows"}`, browserInfo{"chrome", "122.0", "windows"}},
		{"no version", `{"browserName":"firefox","platformName":"linux"}`, browserInfo{"firefox", "", "linux"}},
		{"no browser", `{"platformName":"linux"}`, browserInfo{UnknownLabel, "", "linux"}},
		{"JSON Wire", `{"browserName":"chrome","version":"99","platform":"WINDOWS"}`, browserInfo{"chrome", "99", "WINDOWS"}},
		{"W3C wins", `{"browserName":"chrome","version":"1","browserVersion":"2","platform":"x","platformName":"y"}`, browserInfo{"chrome", "2", "y"}},
		{"number version", `{"browserName":"chrome","browserVersion":120}`, browserInfo{"chrome", "120", UnknownLabel}},
		{"object name", `{"browserName":{"x":1},"platformName":null}`, unknown},
		{"trimmed", `{"browserName":"  chrome "}`, browserInfo{"chrome", "", UnknownLabel}},
		{"escapes kept", `{"browserName":"chr\u001bome"}`, browserInfo{"chr\x1bome", "", UnknownLabel}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, parseBrowserInfo(tt.props, nil))
			assert.Equal(t, tt.want, parseBrowserInfo(tt.props, &interner{}))
		})
	}
}

func TestSummaryLabelIsBounded(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 200) // 2 bytes each
	got := parseBrowserInfo(`{"browserName":"`+long+`"}`, nil).Name
	assert.LessOrEqual(t, len(got), maxLabelBytes)
	assert.True(t, strings.HasSuffix(got, "…"))
	assert.True(t, strings.HasPrefix(long, strings.TrimSuffix(got, "…")), "cut at a character boundary")
}

func TestSummaryMixRowsAreBounded(t *testing.T) {
	t.Parallel()
	a := NewAggregator(testNow, time.UTC)
	for i := range maxMixRows + 50 {
		s := closedSession("x", at(0), at(0))
		s.SeleniumProperties = `{"browserName":"b","browserVersion":"` + strconv.Itoa(i) + `"}`
		a.add(&s)
	}
	assert.Len(t, a.browsers, maxMixRows+1, "the limit, plus (other)")
	assert.Equal(t, 50, a.browsers[browserKey{name: OtherLabel}].sessions)
	assert.Len(t, a.platforms, 1)
}

func TestSummaryInternerSharesLabels(t *testing.T) {
	t.Parallel()
	in := &interner{}
	a := parseBrowserInfo(`{"browserName":"chrome","platformName":"linux"}`, in)
	b := parseBrowserInfo(`{"platformName":"linux","browserName":"chrome","x":1}`, in)
	assert.Equal(t, a, b)
	assert.Equal(t, unsafe.StringData(a.Name), unsafe.StringData(b.Name), "one string per label")
	for i := range maxInterned + 10 {
		in.text([]byte(strconv.Itoa(i)))
	}
	assert.Len(t, in.m, maxInterned, "bounded")
	assert.Equal(t, "12345678", in.text([]byte("12345678")), "still right beyond the bound")
}
