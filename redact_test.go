package devicefarm

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
)

func TestRedactSecrets(t *testing.T) {
	t.Parallel()
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: testSessionToken}
	auth := "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20240301/us-west-2/devicefarm/aws4_request, SignedHeaders=host, Signature=0123456789abcdef"
	echo := "token " + testSessionToken + " key " + testAccessKey + " secret " + testSecretKey + " sig 0123456789abcdef"
	const want = "token [REDACTED] key [REDACTED] secret [REDACTED] sig [REDACTED]"

	tests := []struct {
		name string
		err  error
		got  func(error) []string
	}{
		{"NotFoundException", &NotFoundException{Message: echo}, func(e error) []string { return []string{e.(*NotFoundException).Message} }},
		{"ArgumentException", &ArgumentException{Message: echo}, func(e error) []string { return []string{e.(*ArgumentException).Message} }},
		{"InternalServiceException", &InternalServiceException{Message: echo}, func(e error) []string { return []string{e.(*InternalServiceException).Message} }},
		{"APIError", &APIError{Code: echo, Message: echo}, func(e error) []string { return []string{e.(*APIError).Code, e.(*APIError).Message} }},
		{"DecodeError", &DecodeError{Snippet: echo}, func(e error) []string { return []string{e.(*DecodeError).Snippet} }},
	}
	for _, tt := range tests {
		redactSecrets(tt.err, creds, auth)
		for _, got := range tt.got(tt.err) {
			assert.Equal(t, want, got, tt.name)
		}
	}

	// Stand-ins shorter than any real credential are left alone, so they
	// cannot shred unrelated text.
	short := &APIError{Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
	redactSecrets(short, aws.Credentials{AccessKeyID: "AK", SecretAccessKey: "x", SessionToken: "e"}, "")
	assert.Equal(t, "UnrecognizedClientException", short.Code)
	assert.Equal(t, "The security token included in the request is invalid.", short.Message)
}
