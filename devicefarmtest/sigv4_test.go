package devicefarmtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestSignatureFailuresWithClient drives each credential failure through
// the real client: 403, the right code and message, not retried, and no
// secret (nor the canonical request) in the error.
func TestSignatureFailuresWithClient(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) {
		o.SecretAccessKey = canarySecret
		o.SessionToken = canaryToken
	})
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	id := s.Options().AccessKeyID

	_, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err, "the server's own credentials work")
	assert.Equal(t, canaryToken, s.Requests()[0].Header.Get("X-Amz-Security-Token"), "recorded requests keep their headers")

	const (
		unrecognized = "UnrecognizedClientException"
		invalidSig   = "InvalidSignatureException"
	)
	for _, tc := range []struct {
		name string
		opt  func(*devicefarm.Options)
		code string
		msg  string
	}{
		{"wrong access key", withCreds("AKIDWRONG00000000000", canarySecret, canaryToken), unrecognized, "The security token included in the request is invalid."},
		{"wrong session token", withCreds(id, canarySecret, "wrong-token"), unrecognized, "The security token included in the request is invalid."},
		{"missing session token", withCreds(id, canarySecret, ""), unrecognized, "The security token included in the request is invalid."},
		{"wrong secret", withCreds(id, "wrong-secret", canaryToken), invalidSig, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."},
		{"wrong region", func(o *devicefarm.Options) { o.Region = "us-east-1" }, invalidSig, "Credential should be scoped to a valid region, not 'us-east-1'. This endpoint expects 'us-west-2'."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Client(tc.opt).ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
			ae := apiError(t, err)
			assert.Equal(t, tc.code, ae.ErrorCode())
			assert.Equal(t, tc.msg, ae.ErrorMessage()[:len(tc.msg)])
			var apiErr *devicefarm.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
			assert.Equal(t, 1, attempts(t, s), "not retried")
			assert.NotContains(t, err.Error(), canarySecret)
			assert.NotContains(t, err.Error(), canaryToken)
			assert.NotContains(t, err.Error(), "Canonical", "no canonical request in the message")
		})
	}
}

func TestSessionTokenWhenNoneConfigured(t *testing.T) {
	s := newServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	creds := serverCreds(t, s)
	assert.Empty(t, creds.SessionToken)
	_, err := s.Client(withCreds(creds.AccessKeyID, creds.SecretAccessKey, "unexpected")).
		ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	assert.Equal(t, "UnrecognizedClientException", apiError(t, err).ErrorCode())
}

// TestSignatureFailuresRaw covers failures the client cannot produce.
func TestSignatureFailuresRaw(t *testing.T) {
	now := time.Date(2024, 3, 1, 0, 2, 0, 0, time.UTC)
	s := newServer(t, fixedClock(now), func(o *devicefarmtest.Options) {
		o.SecretAccessKey = canarySecret
		o.SessionToken = canaryToken
	})
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	creds := serverCreds(t, s)
	body := `{"projectArn":"` + projectArn + `"}`
	signed := func(mod func(r *http.Request)) rawResponse {
		req := newRawRequest(t, s, body)
		req.Header.Set("X-Custom", "original")
		sign(t, req, body, creds, "devicefarm", "us-west-2", now)
		mod(req)
		return do(t, req)
	}

	t.Run("valid", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, signed(func(*http.Request) {}).Status)
	})
	for _, tc := range []struct {
		name   string
		r      func() rawResponse
		status int
		code   string
		msg    string
	}{
		{"missing authentication", func() rawResponse { return do(t, newRawRequest(t, s, body)) },
			403, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"tampered body", func() rawResponse {
			req := newRawRequest(t, s, body)
			sign(t, req, `{"projectArn":"`+projectArn2+`"}`, creds, "devicefarm", "us-west-2", now) // another body
			return do(t, req)
		}, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided."},
		{"tampered signed header", func() rawResponse {
			return signed(func(r *http.Request) { r.Header.Set("X-Custom", "changed") })
		}, 403, "InvalidSignatureException", "does not match"},
		{"tampered signature", func() rawResponse {
			return signed(func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", a[:len(a)-4]+"0000")
			})
		}, 403, "InvalidSignatureException", "does not match"},
		{"wrong service", func() rawResponse {
			return do(t, signedWith(t, s, body, creds, "execute-api", "us-west-2", now))
		}, 403, "InvalidSignatureException", "Credential should be scoped to correct service: 'devicefarm'."},
		{"wrong region", func() rawResponse {
			return do(t, signedWith(t, s, body, creds, "devicefarm", "eu-west-1", now))
		}, 403, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'. This endpoint expects 'us-west-2'."},
		{"scope date differs", func() rawResponse {
			req := signedWith(t, s, body, creds, "devicefarm", "us-west-2", now.Add(-3*time.Minute)) // 2024-02-29
			req.Header.Set("X-Amz-Date", "20240301T000100Z")
			return do(t, req)
		}, 403, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240229' != '20240301', from '20240301T000100Z'."},
		{"signature expired", func() rawResponse {
			return do(t, signedWith(t, s, body, creds, "devicefarm", "us-west-2", now.Add(-5*time.Minute-time.Second)))
		}, 403, "InvalidSignatureException", "Signature expired: 20240229T235659Z is now earlier than 20240229T235700Z (20240301T000200Z - 5 min.)"},
		{"signature not yet current", func() rawResponse {
			return do(t, signedWith(t, s, body, creds, "devicefarm", "us-west-2", now.Add(5*time.Minute+time.Second)))
		}, 403, "InvalidSignatureException", "Signature not yet current: 20240301T000701Z is still later than 20240301T000700Z (20240301T000200Z + 5 min.)"},
		{"wrong terminator", func() rawResponse {
			return signed(func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/aws4_request,", "/aws5_request,", 1))
			})
		}, 403, "InvalidSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
		{"other algorithm", func() rawResponse {
			return signed(func(r *http.Request) { r.Header.Set("Authorization", "AWS3 whatever") })
		}, 400, "IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS3'"},
		{"no credential", func() rawResponse {
			return signed(func(r *http.Request) {
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00")
			})
		}, 400, "IncompleteSignatureException", "Authorization header requires 'Credential' parameter."},
		{"bad credential", func() rawResponse {
			return signed(func(r *http.Request) {
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240301, SignedHeaders=host, Signature=00")
			})
		}, 400, "IncompleteSignatureException", "Credential must have the form"},
		{"no date", func() rawResponse { return signed(func(r *http.Request) { r.Header.Del("X-Amz-Date") }) },
			400, "IncompleteSignatureException", "requires existence of either a 'X-Amz-Date' or a 'Date' header"},
		{"bad date", func() rawResponse { return signed(func(r *http.Request) { r.Header.Set("X-Amz-Date", "2024-03-01") }) },
			400, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '2024-03-01'."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r()
			requireError(t, r, tc.status, tc.code, tc.msg)
			assert.NotContains(t, string(r.Body), canarySecret)
			assert.NotContains(t, string(r.Body), canaryToken)
			for _, vs := range r.Header {
				for _, v := range vs {
					assert.NotContains(t, v, canarySecret)
					assert.NotContains(t, v, canaryToken)
				}
			}
		})
	}

	t.Run("exactly five minutes is accepted", func(t *testing.T) {
		for _, at := range []time.Time{now.Add(-5 * time.Minute), now.Add(5 * time.Minute)} {
			r := do(t, signedWith(t, s, body, creds, "devicefarm", "us-west-2", at))
			assert.Equal(t, http.StatusOK, r.Status, "signed at %v", at)
		}
	})

	t.Run("Date header is the server clock", func(t *testing.T) {
		r := signed(func(*http.Request) {})
		assert.Equal(t, "Fri, 01 Mar 2024 00:02:00 GMT", r.Header.Get("Date"))
		r = do(t, newRawRequest(t, s, body))
		assert.Equal(t, "Fri, 01 Mar 2024 00:02:00 GMT", r.Header.Get("Date"), "on errors too")
	})

	t.Run("unsigned content-length", func(t *testing.T) {
		// A signer that leaves content-length unsigned is accepted.
		req := newRawRequest(t, s, body)
		req.ContentLength = 0 // v4 signs content-length only when positive
		sign(t, req, body, creds, "devicefarm", "us-west-2", now)
		req.ContentLength = int64(len(body))
		require.NotContains(t, req.Header.Get("Authorization"), "content-length")
		assert.Equal(t, http.StatusOK, do(t, req).Status)
	})
}

// TestClockSkewCorrected skews the server's clock by 10 minutes: the
// client's first attempt is refused as expired (or not yet current), the
// client learns the skew from the Date header and the retry succeeds.
func TestClockSkewCorrected(t *testing.T) {
	for _, skew := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			s := newServer(t, func(o *devicefarmtest.Options) {
				o.Now = func() time.Time { return time.Now().Add(skew) }
			})
			s.Seed(projectArn, 3, 1)
			c := s.Client()
			out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
			require.NoError(t, err)
			assert.Len(t, out.TestGridSessions, 3)

			reqs := s.Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, http.StatusForbidden, reqs[0].StatusCode)
			assert.Equal(t, "InvalidSignatureException", reqs[0].ErrorCode)
			assert.Equal(t, http.StatusOK, reqs[1].StatusCode)

			// The client keeps the learned skew: the next call succeeds at once.
			s.ResetRequests()
			_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
			require.NoError(t, err)
			assert.Len(t, s.Requests(), 1)
		})
	}
}

func TestAnyCredentials(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) { o.AnyCredentials = true })
	s.Seed(projectArn, 3, 1)

	for _, tc := range []struct {
		name string
		opt  func(*devicefarm.Options)
	}{
		{"server's own", func(*devicefarm.Options) {}},
		{"other keys", withCreds("AKIDANYTHING", "any-secret", "")},
		{"other keys and a session token", withCreds("AKIDANYTHING", "any-secret", "any-token")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := s.Client(tc.opt).ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
			require.NoError(t, err)
			assert.Len(t, out.TestGridSessions, 3)
		})
	}

	// The form and the credential scope are still checked.
	body := `{"projectArn":"` + projectArn + `"}`
	creds := aws.Credentials{AccessKeyID: "AKIDANYTHING", SecretAccessKey: "any"}
	now := s.Options().Now()
	for _, tc := range []struct {
		name    string
		req     func() *http.Request
		code    string
		message string
	}{
		{"unsigned", func() *http.Request { return newRawRequest(t, s, body) }, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"wrong region", func() *http.Request {
			return signedWith(t, s, body, creds, "devicefarm", "eu-west-1", now)
		}, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'. This endpoint expects 'us-west-2'."},
		{"wrong service", func() *http.Request {
			return signedWith(t, s, body, creds, "s3", "us-west-2", now)
		}, "InvalidSignatureException", "Credential should be scoped to correct service: 'devicefarm'."},
		{"expired", func() *http.Request {
			return signedWith(t, s, body, creds, "devicefarm", "us-west-2", now.Add(-time.Hour))
		}, "InvalidSignatureException", "Signature expired"},
		{"no access key", func() *http.Request {
			req := signedWith(t, s, body, creds, "devicefarm", "us-west-2", now)
			req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "Credential=AKIDANYTHING/", "Credential=/", 1))
			return req
		}, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"bad signature accepted", func() *http.Request {
			req := signedWith(t, s, body, creds, "devicefarm", "us-west-2", now)
			a := req.Header.Get("Authorization")
			req.Header.Set("Authorization", a[:len(a)-4]+"0000")
			return req
		}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.req())
			if tc.code == "" {
				assert.Equal(t, http.StatusOK, r.Status, "body %s", r.Body)
				return
			}
			assert.Equal(t, tc.code, r.Code, "body %s", r.Body)
			assert.Contains(t, r.Message, tc.message)
		})
	}
}

// TestOtherRegion checks Options.Region: the server's client signs for it,
// and a client signing for the default region is refused.
func TestOtherRegion(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) { o.Region = "eu-central-1" })
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	_, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err, "the client signs for the server's region")
	_, err = s.Client(func(o *devicefarm.Options) { o.Region = "us-west-2" }).ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	assert.Equal(t, "InvalidSignatureException", apiError(t, err).ErrorCode())
}
