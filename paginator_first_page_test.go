package devicefarm

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaginator_FirstPageLimit(t *testing.T) {
	tests := []struct {
		name      string
		inputMax  int32
		limit     int32
		firstPage int32
		want      []int32 // MaxResult sent on each page; 0 means omitted
	}{
		{name: "first page of its own size, then Limit", limit: 25, firstPage: 7, want: []int32{7, 25, 25}},
		{name: "first page of its own size, then input MaxResult", inputMax: 10, firstPage: 7, want: []int32{7, 10, 10}},
		{name: "first page of its own size, then the service's default", firstPage: 7, want: []int32{7, 0, 0}},
		{name: "zero leaves the first page at Limit", limit: 25, want: []int32{25, 25, 25}},
		{name: "negative: the first page at the service's default size", limit: 25, firstPage: -1, want: []int32{0, 25, 25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := scriptedPager(t,
				fakePage{arns: []string{"s1"}, next: "tokA"},
				fakePage{arns: []string{"s2"}, next: "tokB"},
				fakePage{arns: []string{"s3"}},
			)
			in := testInput()
			in.MaxResult = tt.inputMax
			p := NewListTestGridSessionsPaginator(f, in, func(o *ListTestGridSessionsPaginatorOptions) {
				o.Limit, o.FirstPageLimit = tt.limit, tt.firstPage
			})
			for p.HasMorePages() {
				_, err := p.NextPage(context.Background())
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, f.SentMaxResults())
		})
	}
}

func TestPaginator_FirstPageLimitHoldsUntilAPageArrives(t *testing.T) {
	f := scriptedPager(t,
		fakePage{err: errors.New("throttled")},
		fakePage{arns: []string{"s1"}, next: "tokA"},
		fakePage{arns: []string{"s2"}},
	)
	p := NewListTestGridSessionsPaginator(f, testInput(), func(o *ListTestGridSessionsPaginatorOptions) {
		o.Limit, o.FirstPageLimit = 25, 7
	})
	_, err := p.NextPage(context.Background())
	require.Error(t, err)
	for p.HasMorePages() {
		_, err := p.NextPage(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, []int32{7, 7, 25}, f.SentMaxResults(), "a failed first request is retried with the first page's size")
}
