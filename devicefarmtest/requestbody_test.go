package devicefarmtest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// doerFunc is an aws.HTTPClient made of a function.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// TestGuardRequestBodies: the wrapped client gets the same request with a
// body that is no io.WriterTo and reads the same bytes; the caller's request
// is left as it was; requests without a body pass as they are.
func TestGuardRequestBodies(t *testing.T) {
	for _, tc := range []struct {
		name string
		body io.ReadCloser
		want string
	}{
		{"WriterTo body", io.NopCloser(strings.NewReader(`{"projectArn":"x"}`)), `{"projectArn":"x"}`},
		{"no body", nil, ""},
		{"NoBody", http.NoBody, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", nil)
			require.NoError(t, err)
			req.Body = tc.body
			var got *http.Request
			var sent string
			c := devicefarmtest.GuardRequestBodies(doerFunc(func(r *http.Request) (*http.Response, error) {
				got = r
				if r.Body != nil && r.Body != http.NoBody {
					_, isWriterTo := r.Body.(io.WriterTo)
					assert.False(t, isWriterTo, "the body sent is an io.WriterTo")
					b, err := io.ReadAll(r.Body)
					require.NoError(t, err)
					sent = string(b)
				}
				return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
			}))
			resp, err := c.Do(req)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tc.want, sent)
			assert.Equal(t, tc.body, req.Body, "the caller's request changed")
			assert.Equal(t, req.URL, got.URL)
			assert.Equal(t, req.Context(), got.Context())
		})
	}
	assert.PanicsWithValue(t, "devicefarmtest.GuardRequestBodies: nil HTTP client", func() { devicefarmtest.GuardRequestBodies(nil) })
}
