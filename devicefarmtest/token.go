package devicefarmtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strconv"
)

// nextToken layout, before base64url (no padding):
//
//	version   1 byte  (tokenVersion)
//	query    16 bytes SHA-256 of the project ARN and the filters (not maxResult)
//	created   8 bytes big-endian Unix milliseconds of the last session returned
//	arn      16 bytes SHA-256 of that session's ARN
//	mac      16 bytes HMAC-SHA256 of the above under the server's random key
//
// The position is a keyset (Created, Arn), so pages stay stable when
// sessions are added: the next page starts after the last session returned,
// wherever it now sits.
const (
	tokenVersion    = 1
	tokenPayloadLen = 1 + 16 + 8 + 16
	tokenMACLen     = 16
	tokenLen        = tokenPayloadLen + tokenMACLen
)

type queryHash [16]byte

// tokenPosition is where a nextToken resumes.
type tokenPosition struct {
	created int64
	arn     arnHash
}

// hash binds a token to the project and filters of the request.
func (q *query) hash() queryHash {
	h := sha256.New()
	field := func(name, v string) {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{0})
		h.Write([]byte(v))
	}
	bound := func(name string, v *int64) {
		if v != nil {
			field(name, strconv.FormatInt(*v, 10))
		}
	}
	field("projectArn", q.projectArn)
	field("status", q.status)
	bound("creationTimeAfter", q.createdAfter)
	bound("creationTimeBefore", q.createdBefore)
	bound("endTimeAfter", q.endedAfter)
	bound("endTimeBefore", q.endedBefore)
	var out queryHash
	copy(out[:], h.Sum(nil))
	return out
}

func (s *Server) tokenMAC(payload []byte) []byte {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write(payload)
	return m.Sum(nil)[:tokenMACLen]
}

// encodeToken returns the nextToken that resumes after k.
func (s *Server) encodeToken(qh queryHash, k sessionKey) string {
	b := make([]byte, 0, tokenLen)
	b = append(b, tokenVersion)
	b = append(b, qh[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(k.created))
	ah := hashArn(k.arn)
	b = append(b, ah[:]...)
	b = append(b, s.tokenMAC(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken checks a nextToken and returns its position, or the
// ArgumentException message explaining why it is refused.
func (s *Server) decodeToken(tok string, qh queryHash) (*tokenPosition, string) {
	const invalid = "Invalid nextToken: it was not issued by this service, or it was modified or truncated."
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenLen || b[0] != tokenVersion {
		return nil, invalid
	}
	payload, mac := b[:tokenPayloadLen], b[tokenPayloadLen:]
	if !hmac.Equal(mac, s.tokenMAC(payload)) {
		return nil, invalid
	}
	if !hmac.Equal(payload[1:17], qh[:]) {
		return nil, "Invalid nextToken: it was issued for a different projectArn, status or time filter; repeat the request that returned it, changing only nextToken (and maxResult if you like)."
	}
	pos := &tokenPosition{created: int64(binary.BigEndian.Uint64(payload[17:25]))}
	copy(pos.arn[:], payload[25:41])
	return pos, ""
}
