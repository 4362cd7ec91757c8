package bench

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/bench/internal/clients"
	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// expected returns sessions 0 to n-1 as the fake serves them.
func expected(n int) []clients.Session {
	ss := make([]clients.Session, n)
	for i := range ss {
		ss[i] = clients.Session(fakeserver.SessionAt(i))
	}
	return ss
}

// TestClientsDecodeSameSessions checks that ours, official and floor
// decode the same sessions (ARN, status, times, billing minutes, Selenium
// properties), and that these are the sessions the fake rendered.
func TestClientsDecodeSameSessions(t *testing.T) {
	for _, sc := range scenarios[:3] {
		t.Run("scenario="+sc.name, func(t *testing.T) {
			want := expected(sc.sessions())
			for _, spec := range clients.All {
				if !spec.Decodes {
					continue
				}
				c, err := spec.New(server.URL)
				require.NoError(t, err)
				got, err := sessions(c.(clients.Decoder), sc.maxResult, spec.Flaky)
				require.NoError(t, err, spec.Name)
				assert.Equal(t, want, got, spec.Name)
			}
		})
	}
}

// sessions calls d, giving a flaky client a few tries.
func sessions(d clients.Decoder, maxResult int32, flaky bool) (ss []clients.Session, err error) {
	tries := 1
	if flaky {
		tries = 5
	}
	for range tries {
		if ss, err = d.Sessions(context.Background(), maxResult); err == nil {
			break
		}
	}
	return ss, err
}

// TestWalk checks that every client walks the 20 pages in 20 requests
// (a flaky client may need more) and decodes every session.
func TestWalk(t *testing.T) {
	for _, spec := range clients.All {
		t.Run(spec.Name, func(t *testing.T) {
			c, err := spec.New(server.URL)
			require.NoError(t, err)
			_, err = server.Reset()
			require.NoError(t, err)
			n, err := walk.run(context.Background(), c)
			st, serr := server.Stats()
			require.NoError(t, serr)
			if spec.Flaky && err != nil {
				t.Skipf("walk failed (known flaky client): %v", err)
			}
			require.NoError(t, err)
			assert.Equal(t, want(walk, spec), n)
			if spec.Flaky {
				assert.GreaterOrEqual(t, st.Requests, int64(walk.pages))
			} else {
				assert.Equal(t, int64(walk.pages), st.Requests)
			}
		})
	}
}
