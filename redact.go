package devicefarm

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const redacted = "[REDACTED]"

// minRedactLen is the shortest value redacted. Real AWS keys, secrets,
// tokens and signatures are far longer; replacing a one- or two-letter
// stand-in used by a fake would shred every message containing that letter.
const minRedactLen = 8

// redactSecrets removes the request's credentials and signature from the
// text of an error built from a response. AWS signature errors quote the
// canonical request (session token included) and the Authorization header
// back to the caller; those texts must not reach logs through our errors.
func redactSecrets(err error, creds aws.Credentials, authorization string) {
	var pairs []string
	for _, secret := range []string{creds.SecretAccessKey, creds.SessionToken, creds.AccessKeyID, signatureOf(authorization)} {
		if len(secret) >= minRedactLen {
			pairs = append(pairs, secret, redacted)
		}
	}
	if len(pairs) == 0 {
		return
	}
	r := strings.NewReplacer(pairs...)
	switch e := err.(type) {
	case *NotFoundException:
		e.Message = r.Replace(e.Message)
	case *ArgumentException:
		e.Message = r.Replace(e.Message)
	case *InternalServiceException:
		e.Message = r.Replace(e.Message)
	case *APIError:
		e.Code = r.Replace(e.Code)
		e.Message = r.Replace(e.Message)
	case *DecodeError:
		e.Snippet = r.Replace(e.Snippet)
	}
}

// signatureOf returns the hex signature of a SigV4 Authorization header.
func signatureOf(authorization string) string {
	_, sig, ok := strings.Cut(authorization, "Signature=")
	if !ok {
		return ""
	}
	return sig
}
