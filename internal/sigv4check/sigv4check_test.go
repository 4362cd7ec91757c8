package sigv4check

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testKey    = "AKIDCANARY0000000001"
	testSecret = "SECRETCANARY/0000000000000000000000000001"
	testToken  = "TOKENCANARY0000000000000000000000000000001"
	testBody   = `{"projectArn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:x","maxResult":5}`
)

var signedAt = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// signed returns a ListTestGridSessions request signed as the library
// signs it, for region, with the canary credentials.
func signed(t *testing.T, region string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(testBody))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "DeviceFarm_20150623.ListTestGridSessions")
	sum := sha256.Sum256([]byte(testBody))
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret, SessionToken: testToken}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), SigningService, region, signedAt))
	return r
}

func canary(now func() time.Time) Options {
	return Options{Region: "us-west-2", AccessKeyID: testKey, SecretAccessKey: testSecret, SessionToken: testToken, Now: now}
}

func TestVerify_Accepts(t *testing.T) {
	t.Parallel()
	assert.Nil(t, Verify(signed(t, "us-west-2"), []byte(testBody), canary(nil)), "no clock check")
	assert.Nil(t, Verify(signed(t, "us-west-2"), []byte(testBody), canary(func() time.Time { return signedAt.Add(4 * time.Minute) })))
	anyCreds := Options{Region: "us-west-2", AnyCredentials: true}
	assert.Nil(t, Verify(signed(t, "us-west-2"), []byte(testBody), anyCreds), "any credentials")
}

// TestVerify_RejectsTampering: the verifier the tests rely on can fail,
// with the service's status, code and message.
func TestVerify_RejectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		region   string
		opts     func(*Options)
		mutate   func(r *http.Request, body []byte) []byte
		status   int
		code     string
		contains string
	}{
		{name: "tampered body", mutate: func(_ *http.Request, b []byte) []byte {
			return bytes.Replace(b, []byte(`"maxResult":5`), []byte(`"maxResult":6`), 1)
		}, status: 403, code: "InvalidSignatureException", contains: "does not match"},
		{name: "wrong region", region: "us-east-1", status: 403, code: "InvalidSignatureException",
			contains: "Credential should be scoped to a valid region, not 'us-east-1'. This endpoint expects 'us-west-2'."},
		{name: "tampered signed header", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Set("X-Amz-Target", "DeviceFarm_20150623.ListTestGridProjects")
			return b
		}, status: 403, code: "InvalidSignatureException", contains: "does not match"},
		{name: "tampered date same day", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Set("X-Amz-Date", signedAt.Add(time.Second).Format(amzDateFormat))
			return b
		}, status: 403, code: "InvalidSignatureException", contains: "does not match"},
		{name: "tampered path", mutate: func(r *http.Request, b []byte) []byte {
			r.URL.Path = "/other/"
			return b
		}, status: 403, code: "InvalidSignatureException", contains: "does not match"},
		{name: "wrong secret", opts: func(o *Options) { o.SecretAccessKey = "other" }, status: 403, code: "InvalidSignatureException", contains: "does not match"},
		{name: "unknown key", opts: func(o *Options) { o.AccessKeyID = "AKIDOTHER" }, status: 403, code: "UnrecognizedClientException", contains: "security token"},
		{name: "other session token", opts: func(o *Options) { o.SessionToken = "" }, status: 403, code: "UnrecognizedClientException", contains: "security token"},
		{name: "expired", opts: func(o *Options) { o.Now = func() time.Time { return signedAt.Add(6 * time.Minute) } },
			status: 403, code: "InvalidSignatureException", contains: "Signature expired: 20240301T120000Z is now earlier than 20240301T120100Z"},
		{name: "not yet current", opts: func(o *Options) { o.Now = func() time.Time { return signedAt.Add(-6 * time.Minute) } },
			status: 403, code: "InvalidSignatureException", contains: "Signature not yet current"},
		{name: "no authorization", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Del("Authorization")
			return b
		}, status: 403, code: "MissingAuthenticationTokenException", contains: "Missing Authentication Token"},
		{name: "no date", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Del("X-Amz-Date")
			return b
		}, status: 400, code: "IncompleteSignatureException", contains: "'X-Amz-Date'"},
		{name: "other algorithm", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA512 "+strings.TrimPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "))
			return b
		}, status: 400, code: "IncompleteSignatureException", contains: "'AWS4-HMAC-SHA512'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			region := tt.region
			if region == "" {
				region = "us-west-2"
			}
			r := signed(t, region)
			b := []byte(testBody)
			if tt.mutate != nil {
				b = tt.mutate(r, b)
			}
			o := canary(nil)
			if tt.opts != nil {
				tt.opts(&o)
			}
			f := Verify(r, b, o)
			require.NotNil(t, f)
			assert.Equal(t, tt.status, f.Status)
			assert.Equal(t, tt.code, f.Code)
			assert.Contains(t, f.Message, tt.contains)
			assert.NotContains(t, f.Error(), testSecret)
			assert.NotContains(t, f.Error(), testToken)
		})
	}
}
