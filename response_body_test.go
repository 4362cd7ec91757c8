package devicefarm

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseBody_TooLarge(t *testing.T) {
	body := retryOKBody
	limit := int64(len(body))
	tests := []struct {
		name    string
		limit   int64
		chunked bool
		wantErr bool
	}{
		{name: "Content-Length over the limit", limit: limit - 1, wantErr: true},
		{name: "chunked over the limit", limit: limit - 1, chunked: true, wantErr: true},
		{name: "Content-Length exactly the limit", limit: limit},
		{name: "chunked exactly the limit", limit: limit, chunked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.Header().Set("X-Amzn-RequestId", "rid-big")
				if tt.chunked {
					w.WriteHeader(200)
					w.(http.Flusher).Flush() // headers out before the body: no Content-Length
				} else {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				}
				_, _ = w.Write([]byte(body))
			}, func(o *Options) { o.MaxResponseBytes = tt.limit })
			out, err := c.ListTestGridSessions(context.Background(), testInput())
			require.Len(t, ts.Requests(), 1, "a too-large response must not be retried")
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Len(t, out.TestGridSessions, 1)
				return
			}
			require.ErrorIs(t, err, ErrResponseTooLarge)
			oe := requireOperationError(t, err)
			assert.Equal(t, 1, oe)
			assert.Contains(t, err.Error(), "rid-big")
		})
	}
}
