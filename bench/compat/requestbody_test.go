package compat_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestGuardRequestBodies makes calls with fresh clients (so each call
// dials, and the fake answers as fast as loopback allows) and requires
// every one to succeed in one attempt for the official client behind
// devicefarmtest.GuardRequestBodies and for ours. The official client
// without the guard is counted and logged, not asserted: smithy-go's race
// (see GuardRequestBodies) fails 1 or 2 calls in 100 under -race, fewer
// without.
func TestGuardRequestBodies(t *testing.T) {
	const calls = 300
	srv := newServer(t)
	ctx := context.Background()
	cfg := aws.Config{Region: "us-west-2", Credentials: srv.Credentials(), BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1}
	unguarded := 0
	for i := range calls {
		_, err := official.NewFromConfig(cfg).ListTestGridSessions(ctx, &official.ListTestGridSessionsInput{ProjectArn: aws.String(project)})
		if err != nil {
			unguarded++
		}
		_, err = official.NewFromConfig(cfg, func(o *official.Options) {
			o.HTTPClient = devicefarmtest.GuardRequestBodies(o.HTTPClient)
		}).ListTestGridSessions(ctx, &official.ListTestGridSessionsInput{ProjectArn: aws.String(project)})
		require.NoError(t, err, "official client behind GuardRequestBodies, call %d", i)
		_, err = devicefarm.NewFromConfig(cfg).ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: project})
		require.NoError(t, err, "our client, call %d", i)
	}
	t.Logf("official client without the guard: %d of %d calls failed", unguarded, calls)
}
