package listing

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// stubClient answers ListTestGridSessions with pages in order.
type stubClient struct {
	pages []*devicefarm.ListTestGridSessionsOutput
	calls []devicefarm.ListTestGridSessionsInput
}

func (c *stubClient) ListTestGridSessions(_ context.Context, in *devicefarm.ListTestGridSessionsInput, _ ...func(*devicefarm.Options)) (*devicefarm.ListTestGridSessionsOutput, error) {
	c.calls = append(c.calls, *in)
	if len(c.calls) > len(c.pages) {
		return nil, errors.New("stub: no more pages")
	}
	return c.pages[len(c.calls)-1], nil
}

func stubPage(token string, sessions ...devicefarm.TestGridSession) *devicefarm.ListTestGridSessionsOutput {
	return &devicefarm.ListTestGridSessionsOutput{TestGridSessions: sessions, NextToken: token, RequestID: "rid-" + token}
}

func TestListerStopsOnRepeatedToken(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	client := &stubClient{pages: []*devicefarm.ListTestGridSessionsOutput{
		stubPage("tokenA", s[0]), stubPage("tokenB", s[1]), stubPage("tokenA", s[2]),
	}}
	var buf bytes.Buffer
	l := Lister{Client: client, Input: &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject}, Out: output.NewSessionWriter(output.FormatNDJSON, &buf)}
	err := l.Run(t.Context())
	require.ErrorIs(t, err, devicefarm.ErrRepeatedNextToken)
	assert.Len(t, client.calls, 3, "no fourth request")
	assert.Equal(t, 3, l.Pages)
	assert.Equal(t, 3, l.Written, "the page that repeated the token is still written")
	assert.Len(t, lines(buf.String()), 3)

	msg, code := cmdutil.DescribeError(err)
	assert.Equal(t, cmdutil.ExitFailure, code)
	assert.Equal(t, "the service repeated a pagination token on page 3 (request id rid-tokenA); stopped to avoid looping forever", msg)
}

func TestListerOutputError(t *testing.T) {
	t.Parallel()
	client := &stubClient{pages: []*devicefarm.ListTestGridSessionsOutput{stubPage("tokenA", fixedSessions()...), stubPage("")}}
	l := Lister{Client: client, Input: &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject}, Out: output.NewSessionWriter(output.FormatCSV, errWriter{})}
	err := l.Run(t.Context())
	var outErr *cmdutil.OutputError
	require.ErrorAs(t, err, &outErr)
	assert.Len(t, client.calls, 1, "no request after the output failed")
	msg, code := cmdutil.DescribeError(err)
	assert.Equal(t, cmdutil.ExitFailure, code)
	assert.Equal(t, "writing output: disk full", msg)
}

func TestListerPassesPageSizeAndFilters(t *testing.T) {
	t.Parallel()
	client := &stubClient{pages: []*devicefarm.ListTestGridSessionsOutput{stubPage("tokenA"), stubPage("")}}
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject, Status: devicefarm.TestGridSessionStatusActive}
	l := Lister{Client: client, Input: in, PageSize: 25, Out: output.NewSessionWriter(output.FormatJSON, &bytes.Buffer{})}
	require.NoError(t, l.Run(t.Context()))
	require.Len(t, client.calls, 2, "an empty page with a token is followed")
	for i, call := range client.calls {
		assert.Equal(t, int32(25), call.MaxResult, i)
		assert.Equal(t, devicefarm.TestGridSessionStatusActive, call.Status, i)
	}
	assert.Equal(t, "tokenA", client.calls[1].NextToken)
	assert.Empty(t, in.NextToken, "the input is not modified")
}
