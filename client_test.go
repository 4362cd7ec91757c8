package devicefarm

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListTestGridSessions_SignedRequest(t *testing.T) {
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		respond(w, 200, []byte(`{"testGridSessions":[]}`), "X-Amzn-RequestId", "rid-1")
	})
	out, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.NoError(t, err)
	require.Equal(t, "rid-1", out.RequestID)
	require.Len(t, ts.Requests(), 1)
}
