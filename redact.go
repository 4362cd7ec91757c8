package devicefarm

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

const redacted = "[REDACTED]"

// minRedactLen is the shortest value redacted. Real AWS keys, secrets,
// tokens and signatures are far longer; replacing a one- or two-letter
// stand-in used by a fake would shred every message containing that letter.
const minRedactLen = 8

// secrets holds the values of one signed request that must never be shown:
// secret key, session token, access key ID and signature, longest first, so
// that a value containing another is replaced whole. Scrubbing a string that
// holds none of them allocates nothing.
type secrets struct {
	values [4]string
	n      int
}

func newSecrets(creds aws.Credentials, authorization string) secrets {
	var s secrets
	for _, v := range []string{creds.SecretAccessKey, creds.SessionToken, creds.AccessKeyID, signatureOf(authorization)} {
		if len(v) < minRedactLen {
			continue
		}
		i := s.n
		for ; i > 0 && len(s.values[i-1]) < len(v); i-- {
			s.values[i] = s.values[i-1]
		}
		s.values[i] = v
		s.n++
	}
	return s
}

// scrub returns text with every secret replaced by [REDACTED].
func (s *secrets) scrub(text string) string {
	for _, v := range s.values[:s.n] {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, redacted)
		}
	}
	return text
}

// scrubBytes is scrub for an error response body. It returns b itself and
// false when b holds no secret, and a scrubbed copy and true otherwise.
func (s *secrets) scrubBytes(b []byte) ([]byte, bool) {
	changed := false
	for _, v := range s.values[:s.n] {
		if bytes.Contains(b, []byte(v)) {
			b, changed = bytes.ReplaceAll(b, []byte(v), []byte(redacted)), true
		}
	}
	return b, changed
}

// scrubError removes the secrets from the text of an error built from a
// response. AWS signature errors quote the canonical request (session token
// included) and the Authorization header back to the caller, and a proxy may
// echo anything; those texts must not reach logs through our errors. The
// body was already scrubbed before parsing; this catches values the parser
// decoded from JSON escapes, and headers (error code, request ID).
func (s *secrets) scrubError(err error) {
	switch e := err.(type) {
	case *NotFoundException:
		e.Message, e.RequestID = s.scrub(e.Message), s.scrub(e.RequestID)
	case *ArgumentException:
		e.Message, e.RequestID = s.scrub(e.Message), s.scrub(e.RequestID)
	case *InternalServiceException:
		e.Message, e.RequestID = s.scrub(e.Message), s.scrub(e.RequestID)
	case *APIError:
		e.Code, e.Message, e.RequestID = s.scrub(e.Code), s.scrub(e.Message), s.scrub(e.RequestID)
	}
}

// wrap returns err unchanged when its text holds no secret, and otherwise an
// error whose text is scrubbed and which still unwraps to err. Transport
// errors can quote what a server sent, such as a malformed status line.
func (s *secrets) wrap(err error) error {
	text := err.Error()
	if clean := s.scrub(text); clean != text {
		return &retextedError{text: clean, err: err}
	}
	return err
}

// oneLineError returns err unchanged when its text is one line, and
// otherwise an error whose text is folded to one line (errors.Join's, a
// caller's resolver's) and which still unwraps to err.
func oneLineError(err error) error {
	if text := err.Error(); oneline.Fold(text) != text {
		return &retextedError{text: oneline.Fold(text), err: err}
	}
	return err
}

// retextedError shows err with another text: scrubbed of secrets, or
// folded to one line.
type retextedError struct {
	text string
	err  error
}

func (e *retextedError) Error() string { return e.text }
func (e *retextedError) Unwrap() error { return e.err }

// signatureOf returns the hex signature of a SigV4 Authorization header.
func signatureOf(authorization string) string {
	_, sig, ok := strings.Cut(authorization, "Signature=")
	if !ok {
		return ""
	}
	return sig
}

// scrubHeader returns h itself when none of its values holds a secret, and
// otherwise a copy with the secrets replaced.
func (s *secrets) scrubHeader(h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		for i, v := range vs {
			if clean := s.scrub(v); clean != v {
				if out == nil {
					out = h.Clone()
				}
				out[k][i] = clean
			}
		}
	}
	if out == nil {
		return h
	}
	return out
}
