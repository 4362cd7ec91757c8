package devicefarm_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// End-to-end tests of the client against devicefarmtest, the in-process
// fake: signing, the wire format, decoding and paging together.

var fakeEpoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func newFake(t *testing.T) *devicefarmtest.Server {
	t.Helper()
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) { o.Epoch = fakeEpoch })
	t.Cleanup(srv.Close)
	return srv
}

// wantSessions filters sessions (in listing order) as the fake documents:
// status equal, all four time bounds exclusive, end bounds excluding
// sessions that have not ended.
func wantSessions(all []devicefarm.TestGridSession, in devicefarm.ListTestGridSessionsInput) []devicefarm.TestGridSession {
	var out []devicefarm.TestGridSession
	for _, s := range all {
		switch {
		case in.Status != "" && s.Status != in.Status,
			!in.CreationTimeAfter.IsZero() && !s.Created.After(in.CreationTimeAfter),
			!in.CreationTimeBefore.IsZero() && !s.Created.Before(in.CreationTimeBefore),
			!in.EndTimeAfter.IsZero() && (s.Ended.IsZero() || !s.Ended.After(in.EndTimeAfter)),
			!in.EndTimeBefore.IsZero() && (s.Ended.IsZero() || !s.Ended.Before(in.EndTimeBefore)):
			continue
		}
		out = append(out, s)
	}
	return out
}

func TestFake_PaginatorWalksEveryFilterExactlyOnce(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	srv.Seed(project, 230, 7)
	all := srv.Sessions(project)
	require.Len(t, all, 230)
	client := srv.Client()

	mid := all[115].Created
	tests := []devicefarm.ListTestGridSessionsInput{
		{},
		{Status: devicefarm.TestGridSessionStatusClosed},
		{Status: devicefarm.TestGridSessionStatusActive},
		{CreationTimeAfter: mid},
		{CreationTimeBefore: mid, Status: devicefarm.TestGridSessionStatusErrored},
		{EndTimeAfter: fakeEpoch.Add(-10 * 24 * time.Hour), EndTimeBefore: fakeEpoch.Add(-2 * 24 * time.Hour)},
		{CreationTimeAfter: fakeEpoch}, // nothing
	}
	for i, filter := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			in := filter
			in.ProjectArn = project
			want := wantSessions(all, in)
			p := devicefarm.NewListTestGridSessionsPaginator(client, &in, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = 7 })
			var got []devicefarm.TestGridSession
			for s, err := range p.Sessions(context.Background()) {
				require.NoError(t, err)
				got = append(got, s)
			}
			require.Equal(t, len(want), len(got))
			for j := range want {
				require.Equal(t, want[j], got[j], "session %d", j)
			}
		})
	}
}

func TestFake_ServiceFaultsReachTheCallerTyped(t *testing.T) {
	t.Parallel()
	const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000001"
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: project}

	tests := []struct {
		name     string
		faults   []devicefarmtest.Fault
		requests int
		check    func(t *testing.T, err error)
	}{
		{name: "two throttles then success", faults: []devicefarmtest.Fault{devicefarmtest.Throttling(), devicefarmtest.Throttling()}, requests: 3,
			check: func(t *testing.T, err error) { require.NoError(t, err) }},
		{name: "503 until retries run out", faults: []devicefarmtest.Fault{devicefarmtest.ServiceUnavailable(), devicefarmtest.ServiceUnavailable(), devicefarmtest.ServiceUnavailable()}, requests: 3,
			check: func(t *testing.T, err error) {
				var mae *retry.MaxAttemptsError
				require.ErrorAs(t, err, &mae)
				var ae *devicefarm.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 503, ae.StatusCode)
			}},
		{name: "500 InternalServiceException retried", faults: []devicefarmtest.Fault{devicefarmtest.InternalError()}, requests: 2,
			check: func(t *testing.T, err error) { require.NoError(t, err) }},
		{name: "proxy HTML page retried", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultHTML}}, requests: 2,
			check: func(t *testing.T, err error) { require.NoError(t, err) }},
		{name: "connection closed mid-body retried", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultCloseMidBody}}, requests: 2,
			check: func(t *testing.T, err error) { require.NoError(t, err) }},
		{name: "connection closed before the response retried", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultCloseBeforeResponse}}, requests: 2,
			check: func(t *testing.T, err error) { require.NoError(t, err) }},
		{name: "truncated JSON is a DecodeError", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultTruncatedBody}}, requests: 1,
			check: func(t *testing.T, err error) {
				var de *devicefarm.DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, 200, de.StatusCode)
			}},
		{name: "access denied is not retried", faults: []devicefarmtest.Fault{devicefarmtest.AccessDenied()}, requests: 1,
			check: func(t *testing.T, err error) {
				var ae *devicefarm.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, "AccessDeniedException", ae.Code)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			srv.AddProject(devicefarmtest.Project{Arn: project})
			for _, f := range tt.faults {
				srv.Inject(devicefarmtest.Match{}, f)
			}
			_, err := srv.Client().ListTestGridSessions(context.Background(), in)
			tt.check(t, err)
			assert.Len(t, srv.Requests(), tt.requests)
		})
	}

	t.Run("unknown project", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t)
		_, err := srv.Client().ListTestGridSessions(context.Background(), in)
		var nf *devicefarm.NotFoundException
		require.ErrorAs(t, err, &nf)
		assert.Equal(t, 400, nf.StatusCode)
		assert.Equal(t, srv.Requests()[0].RequestID, nf.RequestID)
	})

	t.Run("wrong secret", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t)
		srv.AddProject(devicefarmtest.Project{Arn: project})
		c := srv.Client(func(o *devicefarm.Options) {
			o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: devicefarmtest.DefaultAccessKeyID, SecretAccessKey: "another-secret-key-0000000000000000000000"}, nil
			})
		})
		_, err := c.ListTestGridSessions(context.Background(), in)
		var ae *devicefarm.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "InvalidSignatureException", ae.Code)
		assert.Equal(t, 403, ae.StatusCode)
		assert.False(t, errors.Is(err, context.DeadlineExceeded))
	})
}
