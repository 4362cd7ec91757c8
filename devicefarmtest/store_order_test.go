package devicefarmtest_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
)

// Sessions added one at a time (each a binary-search insert into the
// sorted keys, issue 20 row 8), in bulk (a sort), and replaced with
// another creation time, are listed in (Created, Arn) order.
func TestStoreOrderAfterInsertsAndReplacements(t *testing.T) {
	s := newServer(t)
	rng := rand.New(rand.NewPCG(1, 2))
	at := func() time.Time { return epoch.Add(-time.Duration(rng.IntN(1000)) * time.Second) }
	want := map[string]devicefarm.TestGridSession{}
	add := func(ss ...devicefarm.TestGridSession) {
		s.AddSessions(projectArn, ss...)
		for _, x := range ss {
			want[x.Arn] = x
		}
	}
	var bulk []devicefarm.TestGridSession
	for i := range 200 {
		bulk = append(bulk, session(fmt.Sprintf("b%03d", i), closed, at(), time.Time{}))
	}
	add(bulk...)
	for i := range 300 {
		switch i % 3 {
		case 0, 1:
			add(session(fmt.Sprintf("n%03d", i), closed, at(), time.Time{}))
		default: // the same session, created at another time
			add(session(fmt.Sprintf("b%03d", rng.IntN(200)), closed, at(), time.Time{}))
		}
	}
	got := s.Sessions(projectArn)
	require.Len(t, got, len(want))
	assert.True(t, slices.IsSortedFunc(got, func(a, b devicefarm.TestGridSession) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.Arn, b.Arn)
	}), "listing order")
	for _, g := range got {
		assert.True(t, want[g.Arn].Created.Equal(g.Created), g.Arn)
	}
	assert.Equal(t, ids(got), ids(flatten(walk(t, s.Client(), devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, 7))), "pages follow the same order")
}
