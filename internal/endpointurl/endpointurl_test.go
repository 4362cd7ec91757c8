package endpointurl

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want Problem
	}{
		{"https://devicefarm.us-west-2.amazonaws.com", OK},
		{"http://127.0.0.1:8080/prefix", OK},
		{"http://localhost:1", OK},
		{"http://[::1]:1", OK},
		{"127.0.0.1:8080", NoScheme},
		{"user:s3cret@host:8080", NoScheme},
		{"https://user:s3cret@exa mple.com", Unparseable},
		{"ftp://example.com", BadScheme},
		{"ftp://user@example.com", BadScheme}, // the first problem, in Check's order
		{"https://", NoHost},
		{"https://me:hunter2@example.com", UserInfo},
		{"https://example.com/?a=b", QueryOrFragment},
		{"https://example.com/#f", QueryOrFragment},
		{"http://example.com", Plaintext},
		{"http://10.0.0.1", Plaintext},
		{"http://127.0.0.1.nip.io", Plaintext},
	}
	for _, tt := range tests {
		u, p, err := Check(tt.raw)
		assert.Equal(t, tt.want, p, tt.raw)
		switch p {
		case NoScheme:
			assert.Nil(t, u)
		case Unparseable:
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "s3cret", "the cause never quotes the URL")
		default:
			require.NoError(t, err, tt.raw)
			require.NotNil(t, u, tt.raw)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.9.9.9": true, "::1": true,
		"example.com": false, "10.0.0.1": false, "::": false, "": false, "127.0.0.1.nip.io": false,
	} {
		assert.Equal(t, want, IsLoopback(host), host)
	}
}
