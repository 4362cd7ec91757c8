package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecrets_ScrubErrors(t *testing.T) {
	t.Parallel()
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: testSessionToken}
	auth := "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20240301/us-west-2/devicefarm/aws4_request, SignedHeaders=host, Signature=0123456789abcdef"
	sec := newSecrets(creds, auth)
	echo := "token " + testSessionToken + " key " + testAccessKey + " secret " + testSecretKey + " sig 0123456789abcdef"
	const want = "token [REDACTED] key [REDACTED] secret [REDACTED] sig [REDACTED]"

	tests := []struct {
		name string
		err  error
		got  func(error) []string
	}{
		{"NotFoundException", &NotFoundException{Message: echo, RequestID: echo}, func(e error) []string {
			return []string{e.(*NotFoundException).Message, e.(*NotFoundException).RequestID}
		}},
		{"ArgumentException", &ArgumentException{Message: echo, RequestID: echo}, func(e error) []string {
			return []string{e.(*ArgumentException).Message, e.(*ArgumentException).RequestID}
		}},
		{"InternalServiceException", &InternalServiceException{Message: echo, RequestID: echo}, func(e error) []string {
			return []string{e.(*InternalServiceException).Message, e.(*InternalServiceException).RequestID}
		}},
		{"APIError", &APIError{Code: echo, Message: echo, RequestID: echo}, func(e error) []string {
			return []string{e.(*APIError).Code, e.(*APIError).Message, e.(*APIError).RequestID}
		}},
	}
	for _, tt := range tests {
		sec.scrubError(tt.err)
		for _, got := range tt.got(tt.err) {
			assert.Equal(t, want, got, tt.name)
		}
	}

	body, changed := sec.scrubBytes([]byte(echo))
	assert.True(t, changed)
	assert.Equal(t, want, string(body))
	clean := []byte("nothing secret here")
	body, changed = sec.scrubBytes(clean)
	assert.False(t, changed)
	assert.Same(t, &clean[0], &body[0], "a clean body is not copied")

	// A transport error quoting a secret is wrapped: scrubbed text, same chain.
	cause := errors.Join(io.ErrUnexpectedEOF, errors.New("malformed HTTP status line "+testSecretKey))
	wrapped := sec.wrap(cause)
	assert.NotContains(t, wrapped.Error(), testSecretKey)
	assert.ErrorIs(t, wrapped, io.ErrUnexpectedEOF)
	plain := errors.New("connection refused")
	assert.Same(t, plain, sec.wrap(plain), "an error without secrets is returned as it is")
}

func TestSecrets_LongestFirst(t *testing.T) {
	t.Parallel()
	// A session token that contains the access key ID is replaced whole,
	// not shredded around the key ID.
	token := "prefix-" + testAccessKey + "-suffix-0123456789"
	sec := newSecrets(aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: token}, "")
	assert.Equal(t, "x [REDACTED] y [REDACTED]", sec.scrub("x "+token+" y "+testAccessKey))
}

func TestSecrets_ShortStandInsAreLeftAlone(t *testing.T) {
	t.Parallel()
	// Stand-ins shorter than any real credential are left alone, so they
	// cannot shred unrelated text.
	sec := newSecrets(aws.Credentials{AccessKeyID: "AK", SecretAccessKey: "x", SessionToken: "e"}, "")
	short := &APIError{Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
	sec.scrubError(short)
	assert.Equal(t, "UnrecognizedClientException", short.Code)
	assert.Equal(t, "The security token included in the request is invalid.", short.Message)
}

// Every successful call scrubs its request ID; that must stay free.
func TestSecrets_ScrubAllocatesNothingWhenClean(t *testing.T) {
	sec := newSecrets(aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: testSessionToken}, "Signature=0123456789abcdef")
	text := "4b0d9c1e-7f2a-4e55-9d3b-1a2b3c4d5e6f"
	allocs := testing.AllocsPerRun(100, func() { _ = sec.scrub(text) })
	require.Zero(t, allocs)
}

// A secret echoed in a header that is cut to length (request ID, error
// code, redirect location) is scrubbed before the cut: a cut through the
// middle of a secret would otherwise leave its first bytes unrecognised.
func TestSecrets_HeaderEchoesScrubbedBeforeTheCut(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("x", 100) // the cut at 128 bytes falls inside the token
	for _, tt := range []struct {
		name    string
		status  int
		headers []string
	}{
		{"request id", 400, []string{"X-Amzn-RequestId", filler + testSessionToken, "X-Amzn-ErrorType", "ThrottlingException"}},
		{"error code", 400, []string{"X-Amzn-ErrorType", filler + testSessionToken}},
		{"redirect location", 307, []string{"Location", "https://elsewhere.example/" + filler + filler + testSecretKey}}, // cut at 256
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log syncBuffer
			_, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				respond(w, tt.status, []byte(`{}`), tt.headers...)
			}, func(o *Options) {
				o.RetryMaxAttempts = 1
				o.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
			require.Error(t, err)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), log.String()} {
				for _, secret := range []string{testSessionToken, testSecretKey} {
					assert.NotContains(t, text, secret[:12], "a prefix of a secret survived the cut")
				}
			}
			assert.Contains(t, err.Error(), redacted)
		})
	}
}
