package devicefarm

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSession_ID(t *testing.T) {
	t.Parallel()
	tests := []struct{ arn, want string }{
		{decSession1Arn, "5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d"},
		{"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:only-id", "only-id"},
		{"plain", "plain"},
		{"", ""},
		{"arn:a/b/c", "c"},
		{"trailing/", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, TestGridSession{Arn: tt.arn}.ID(), "arn %q", tt.arn)
	}
}

func TestSession_Duration(t *testing.T) {
	t.Parallel()
	created := utcMillis(1709294400123)
	ended := utcMillis(1709294597456)
	assert.Equal(t, 197333*time.Millisecond, TestGridSession{Created: created, Ended: ended}.Duration())
	assert.Zero(t, TestGridSession{Created: created}.Duration(), "unended session")
	assert.Zero(t, TestGridSession{Ended: ended}.Duration(), "unknown creation time")
	assert.Zero(t, TestGridSession{}.Duration())

	// From the decoded spec example.
	out, _, err := decodeCall(t, 200, fixture(t, "decode-page1.json"))
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 2)
	assert.Equal(t, 197333*time.Millisecond, out.TestGridSessions[0].Duration())
	assert.Equal(t, 61500*time.Millisecond, out.TestGridSessions[1].Duration())

	last, _, err := decodeCall(t, 200, fixture(t, "decode-last-page.json"))
	require.NoError(t, err)
	require.Len(t, last.TestGridSessions, 1)
	assert.Zero(t, last.TestGridSessions[0].Duration(), "ACTIVE session without ended")
}

func TestSession_DecodeSeleniumProperties(t *testing.T) {
	t.Parallel()
	t.Run("object", func(t *testing.T) {
		t.Parallel()
		s := TestGridSession{SeleniumProperties: `{"browserName":"chrome","browserVersion":"latest","goog:chromeOptions":{"args":["--headless"]},"acceptInsecureCerts":true,"n":2}`}
		m, err := s.DecodeSeleniumProperties()
		require.NoError(t, err)
		assert.Equal(t, map[string]any{
			"browserName":         "chrome",
			"browserVersion":      "latest",
			"goog:chromeOptions":  map[string]any{"args": []any{"--headless"}},
			"acceptInsecureCerts": true,
			"n":                   2.0,
		}, m)
	})
	t.Run("empty object", func(t *testing.T) {
		t.Parallel()
		m, err := TestGridSession{SeleniumProperties: "{}"}.DecodeSeleniumProperties()
		require.NoError(t, err)
		assert.NotNil(t, m)
		assert.Empty(t, m)
	})
	t.Run("empty string", func(t *testing.T) {
		t.Parallel()
		for _, s := range []string{"", "   ", "\n\t"} {
			m, err := TestGridSession{SeleniumProperties: s}.DecodeSeleniumProperties()
			assert.NoError(t, err)
			assert.Nil(t, m)
		}
	})
	t.Run("not an object", func(t *testing.T) {
		t.Parallel()
		for _, props := range []string{`[1,2]`, `"chrome"`, `42`, `true`, `{`, `{"a":1} trailing`, `browserName=chrome`} {
			s := TestGridSession{Arn: decSession1Arn, SeleniumProperties: props}
			m, err := s.DecodeSeleniumProperties()
			require.Error(t, err, "props %q", props)
			assert.Nil(t, m)
			assert.Contains(t, err.Error(), "not a JSON object")
			assert.Contains(t, err.Error(), s.ID(), "the error names the session")
		}
	})
	t.Run("literal null is not an object", func(t *testing.T) {
		t.Parallel()
		m, err := TestGridSession{SeleniumProperties: "null"}.DecodeSeleniumProperties()
		assert.Error(t, err)
		assert.Nil(t, m)
	})
}

func TestStatus_ValuesAndKnown(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []TestGridSessionStatus{"ACTIVE", "CLOSED", "ERRORED"}, TestGridSessionStatus("").Values())
	// Values returns a fresh slice each time.
	v := TestGridSessionStatusActive.Values()
	v[0] = "MUTATED"
	assert.Equal(t, TestGridSessionStatusActive, TestGridSessionStatus("x").Values()[0])

	for _, s := range TestGridSessionStatus("").Values() {
		assert.True(t, s.Known(), "%s", s)
	}
	for _, s := range []TestGridSessionStatus{"", "PAUSED", "active", "Closed", " ERRORED", "ERRORED "} {
		assert.False(t, s.Known(), "%q", s)
	}
	assert.Equal(t, TestGridSessionStatus("ACTIVE"), TestGridSessionStatusActive)
	assert.Equal(t, TestGridSessionStatus("CLOSED"), TestGridSessionStatusClosed)
	assert.Equal(t, TestGridSessionStatus("ERRORED"), TestGridSessionStatusErrored)

}
