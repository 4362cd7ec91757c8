package devicefarm

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingSigner is a SigV4 signer that always fails.
type failingSigner struct{}

func (failingSigner) SignHTTP(context.Context, aws.Credentials, *http.Request, string, string, string, time.Time, ...func(*v4.SignerOptions)) error {
	return errors.New("signer broke")
}

// TestAttempts_NothingSent: a call that fails before its first request is
// sent reports 0 attempts, whatever stopped it; the server sees nothing.
func TestAttempts_NothingSent(t *testing.T) {
	failing := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no profile")
	})
	keyless := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{Source: "empty"}, nil
	})
	tests := []struct {
		name    string
		client  func(*Options)
		signer  v4.HTTPSigner
		in      *ListTestGridSessionsInput
		wantErr string
	}{
		{name: "credentials provider fails", client: func(o *Options) { o.Credentials = failing }, wantErr: "no profile"},
		{name: "credentials without keys", client: func(o *Options) { o.Credentials = keyless }, wantErr: "no access key or secret"},
		{name: "signing fails", signer: failingSigner{}, wantErr: "sign request: signer broke"},
		{name: "invalid input", in: &ListTestGridSessionsInput{ProjectArn: "short"}, wantErr: "invalid ListTestGridSessionsInput.ProjectArn"},
		{name: "invalid option", client: func(o *Options) { o.StallTimeout = -time.Second }, wantErr: "invalid Options.StallTimeout"},
		{name: "no credentials", client: func(o *Options) { o.Credentials = nil }, wantErr: "no credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []func(*Options){}
			if tt.client != nil {
				opts = append(opts, tt.client)
			}
			ts, c := newTestServer(t, retryScript(retryStep{status: 200, body: retryOKBody}), opts...)
			if tt.signer != nil {
				c.signer = tt.signer
			}
			in := tt.in
			if in == nil {
				in = testInput()
			}
			_, err := c.ListTestGridSessions(context.Background(), in)
			require.ErrorContains(t, err, tt.wantErr)
			assert.Equal(t, 0, requireOperationError(t, err), "Attempts")
			assert.Empty(t, ts.Requests(), "nothing reached the server")
		})
	}
}

// TestAttempts_CountsSentRequestsOnly: when the credentials fail on a
// retry, the attempt that sent nothing is not counted.
func TestAttempts_CountsSentRequestsOnly(t *testing.T) {
	var calls int
	flaky := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		calls++
		if calls > 1 {
			return aws.Credentials{}, errors.New("expired and not renewable")
		}
		return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: testSessionToken, CanExpire: true, Expires: time.Now().Add(-time.Hour)}, nil
	})
	ts, c := newTestServer(t, retryScript(retryStep{status: 503, body: `{"__type":"ServiceUnavailableException"}`}),
		func(o *Options) { o.Credentials = flaky })
	// A provider that is not a cache is wrapped in one; an expired value
	// makes the cache ask again on the retry.
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.ErrorContains(t, err, "expired and not renewable")
	assert.Equal(t, 1, requireOperationError(t, err), "Attempts")
	assert.Len(t, ts.Requests(), 1)
}
