package listing

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResumeTokenRoundTrip(t *testing.T) {
	t.Parallel()
	q := ResumeQuery{
		Project:      testProject,
		Status:       "ACTIVE",
		CreatedAfter: &TimeBound{Raw: "24h", At: testNow.Add(-24 * time.Hour)},
		EndedBefore:  &TimeBound{Raw: "1741600000.25", At: time.Date(2025, 3, 10, 9, 46, 40, 250e6, time.UTC)},
	}
	p := ResumePoint{Token: "service/token+=", PageSize: 25, Skip: 7}
	s := EncodeResumeToken(q, p)
	assert.Regexp(t, `^[A-Za-z0-9_-]+$`, s, "base64url without padding: safe in a shell word")
	tok, err := DecodeResumeToken("  " + s + "\n")
	require.NoError(t, err)
	assert.Equal(t, ResumeToken{V: 1, T: p.Token, Skip: 7, PS: 25, Q: q}, *tok)

	again := q
	again.CreatedAfter = &TimeBound{Raw: "24h", At: testNow} // "24h" typed again a day later
	gotQ, gotP, err := ResumeFrom(tok, again, func(name string) string { return "--" + name })
	require.NoError(t, err)
	assert.Equal(t, q, gotQ, "the token's instants")
	assert.Equal(t, p, gotP)

	raw, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"v":1,"t":"service/token+=","skip":7,"ps":25,"q":{"project":"`+testProject+`","status":"ACTIVE",
		"createdAfter":{"raw":"24h","at":"2025-03-09T12:00:00Z"},"endedBefore":{"raw":"1741600000.25","at":"2025-03-10T09:46:40.25Z"}}}`, string(raw))
}
