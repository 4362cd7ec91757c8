package devicefarmtest

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokenLayout checks the nextToken layout documented in token.go,
// including payloads a client cannot forge (a validly MACed unknown flag
// or version).
func TestTokenLayout(t *testing.T) {
	s := NewServer()
	defer s.Close()
	q := &query{projectArn: "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:x"}
	qh := q.hash()
	after := positionAfter(sessionKey{created: 1709294400123, arn: "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:x/y"})
	start := tokenPosition{start: true}

	for _, pos := range []tokenPosition{after, start} {
		a, b := s.encodeToken(qh, pos), s.encodeToken(qh, pos)
		assert.NotEqual(t, a, b, "each token is a new string")
		for _, tok := range []string{a, b} {
			require.Len(t, tok, base64.RawURLEncoding.EncodedLen(tokenLen))
			got, msg := s.decodeToken(tok, qh, "mismatch")
			require.Empty(t, msg)
			assert.Equal(t, pos, *got)
		}
	}

	raw, err := base64.RawURLEncoding.DecodeString(s.encodeToken(qh, start))
	require.NoError(t, err)
	assert.Equal(t, byte(tokenVersion), raw[0])
	assert.Equal(t, qh[:], raw[tokenQueryOff:tokenSerialOff])
	assert.Equal(t, byte(tokenFlagStart), raw[tokenFlagsOff])
	assert.Equal(t, make([]byte, 24), raw[tokenCreatedOff:tokenPayloadLen])

	// Validly MACed, but not a layout this server issues.
	remac := func(mod func(payload []byte)) string {
		b := append([]byte(nil), raw[:tokenPayloadLen]...)
		mod(b)
		return base64.RawURLEncoding.EncodeToString(append(b, s.tokenMAC(b)...))
	}
	for name, tok := range map[string]string{
		"unknown flag":    remac(func(p []byte) { p[tokenFlagsOff] = 2 }),
		"unknown version": remac(func(p []byte) { p[0] = 1 }),
	} {
		pos, msg := s.decodeToken(tok, qh, "mismatch")
		assert.Nil(t, pos, name)
		assert.Contains(t, msg, "Invalid nextToken: it was not issued by this service", name)
	}
}
