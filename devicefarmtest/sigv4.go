package devicefarmtest

import (
	"net/http"

	"github.com/testgridkit/devicefarm/internal/sigv4check"
)

// verifySignature checks the request's SigV4 Authorization header against
// the server's Options (Region, AccessKeyID, SecretAccessKey,
// SessionToken, AnyCredentials, and Now, which bounds X-Amz-Date to 5
// minutes either way: with the Date header, this lets a client detect
// clock skew, correct it and retry). The failures and their responses are
// those of sigv4check.Verify, the verifier the library's own tests use too.
func (s *Server) verifySignature(r *http.Request, body []byte) *apiError {
	f := sigv4check.Verify(r, body, sigv4check.Options{
		Region:          s.opts.Region,
		AccessKeyID:     s.opts.AccessKeyID,
		SecretAccessKey: s.opts.SecretAccessKey,
		SessionToken:    s.opts.SessionToken,
		AnyCredentials:  s.opts.AnyCredentials,
		Now:             s.opts.Now,
		Signer:          s.signer,
		Echo:            echo,
	})
	if f == nil {
		return nil
	}
	return &apiError{status: f.Status, code: f.Code, message: f.Message}
}
