package devicefarmtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strconv"
)

// A nextToken is base64url (no padding) of a payload and its HMAC-SHA256,
// cut to 128 bits, under a random key of the Server: a forged, modified or
// truncated token fails the MAC, and so does a token from another Server
// (a restarted one included), whose key differs. The payload binds the
// project and the filters (status and the four bounds, but not maxResult,
// which may change from page to page), so a token used with others is
// refused too. It holds a keyset position, (Created, hash of Arn) of the
// last session returned, or, for a token of FaultEmptyPage, possibly the
// start of the listing: the next page starts strictly after the position,
// wherever that session now sits, so pages stay stable while sessions are
// added. A serial number makes every token issued a new string, even two
// for the same position (FaultEmptyPage relies on it); it plays no part in
// where the token resumes. Nothing in a token expires, so it may be used
// any number of times.
//
// The token before base64url:
//
//	version   1 byte  (tokenVersion)
//	query    16 bytes SHA-256 of the project ARN and the filters (not maxResult)
//	serial    8 bytes big-endian issue serial, unique per token the server issues
//	flags     1 byte  0: resume after (created, arn); tokenFlagStart: resume at
//	                  the start of the listing (created and arn are then zero)
//	created   8 bytes big-endian Unix milliseconds of the last session returned
//	arn      16 bytes SHA-256 of that session's ARN
//	mac      16 bytes HMAC-SHA256 of the above under the server's random key
const (
	tokenVersion    = 2
	tokenFlagStart  = 1
	tokenPayloadLen = 1 + 16 + 8 + 1 + 8 + 16
	tokenMACLen     = 16
	tokenLen        = tokenPayloadLen + tokenMACLen

	// Offsets in the payload.
	tokenQueryOff   = 1
	tokenSerialOff  = tokenQueryOff + 16
	tokenFlagsOff   = tokenSerialOff + 8
	tokenCreatedOff = tokenFlagsOff + 1
	tokenArnOff     = tokenCreatedOff + 8
)

type queryHash [16]byte

// tokenPosition is where a nextToken resumes: at the start of the listing,
// or after the session (created, arn).
type tokenPosition struct {
	start   bool
	created int64
	arn     arnHash
}

// positionAfter returns the position just after the session with key k.
func positionAfter(k sessionKey) tokenPosition {
	return tokenPosition{created: k.created, arn: hashArn(k.arn)}
}

// hash binds a token to the project and filters of the request.
func (q *query) hash() queryHash {
	fields := []string{"projectArn", q.projectArn, "status", q.status}
	bound := func(name string, v *int64) {
		if v != nil {
			fields = append(fields, name, strconv.FormatInt(*v, 10))
		}
	}
	bound("creationTimeAfter", q.createdAfter)
	bound("creationTimeBefore", q.createdBefore)
	bound("endTimeAfter", q.endedAfter)
	bound("endTimeBefore", q.endedBefore)
	return hashFields(fields...)
}

// hashFields hashes name, value pairs unambiguously (each length-prefixed),
// binding a token to the request that gets it.
func hashFields(pairs ...string) queryHash {
	h := sha256.New()
	for _, v := range pairs {
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{0})
		h.Write([]byte(v))
	}
	var out queryHash
	copy(out[:], h.Sum(nil))
	return out
}

func (s *Server) tokenMAC(payload []byte) []byte {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write(payload)
	return m.Sum(nil)[:tokenMACLen]
}

// encodeToken returns a fresh nextToken that resumes at pos: each call
// returns a different string, even for the same position.
func (s *Server) encodeToken(qh queryHash, pos tokenPosition) string {
	b := make([]byte, 0, tokenLen)
	b = append(b, tokenVersion)
	b = append(b, qh[:]...)
	b = binary.BigEndian.AppendUint64(b, s.tokenSerial.Add(1))
	if pos.start {
		b = append(b, tokenFlagStart)
		b = append(b, make([]byte, 8+16)...)
	} else {
		b = append(b, 0)
		b = binary.BigEndian.AppendUint64(b, uint64(pos.created))
		b = append(b, pos.arn[:]...)
	}
	b = append(b, s.tokenMAC(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken checks a nextToken and returns its position, or the
// ArgumentException message explaining why it is refused: mismatch when
// the token was issued for another request.
func (s *Server) decodeToken(tok string, qh queryHash, mismatch string) (*tokenPosition, string) {
	const invalid = "Invalid nextToken: it was not issued by this service, or it was modified or truncated."
	// The exact length also refuses copies with line breaks, which the
	// decoder would skip.
	if len(tok) != base64.RawURLEncoding.EncodedLen(tokenLen) {
		return nil, invalid
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenLen || b[0] != tokenVersion {
		return nil, invalid
	}
	payload, mac := b[:tokenPayloadLen], b[tokenPayloadLen:]
	if !hmac.Equal(mac, s.tokenMAC(payload)) {
		return nil, invalid
	}
	if !hmac.Equal(payload[tokenQueryOff:tokenSerialOff], qh[:]) {
		return nil, mismatch
	}
	if binary.BigEndian.Uint64(payload[tokenSerialOff:tokenFlagsOff]) <= s.resetSerial.Load() {
		return nil, "Invalid nextToken: the data was reset after it was issued; start the listing again without a nextToken."
	}
	pos := &tokenPosition{}
	switch payload[tokenFlagsOff] {
	case 0:
		pos.created = int64(binary.BigEndian.Uint64(payload[tokenCreatedOff:tokenArnOff]))
		copy(pos.arn[:], payload[tokenArnOff:])
	case tokenFlagStart:
		pos.start = true
	default: // never issued: the MAC would not match
		return nil, invalid
	}
	return pos, ""
}
