package clients

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// transport is the HTTP exchange alone: the floor client's signed POST,
// with request bodies rendered in advance and responses read into
// io.Discard. Any client's CPU beyond this one's is its own work.
type transport struct {
	p *poster
	// bodies caches each request body by maxResult and by walk page.
	bodies map[int32][]byte
	walk   [fakeserver.WalkPages][]byte
}

// NewTransport returns the bare-exchange client.
func NewTransport(endpoint string) (Client, error) {
	p, err := newPoster(endpoint)
	if err != nil {
		return nil, err
	}
	t := &transport{p: p, bodies: map[int32][]byte{}}
	for _, n := range []int32{1, fakeserver.WalkPageSize, 1000} {
		t.bodies[n] = mustJSON(floorInput{ProjectArn: fakeserver.ProjectARN, MaxResult: n})
	}
	t.walk[0] = t.bodies[fakeserver.WalkPageSize]
	for k := 2; k <= fakeserver.WalkPages; k++ {
		t.walk[k-1] = mustJSON(floorInput{ProjectArn: fakeserver.ProjectARN, MaxResult: fakeserver.WalkPageSize, NextToken: fakeserver.WalkToken(k)})
	}
	return t, nil
}

// mustJSON encodes v, which cannot fail for the input struct.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// exchange posts body and discards the response.
func (t *transport) exchange(ctx context.Context, body []byte) error {
	resp, err := t.p.post(ctx, body)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	return err
}

// List implements Client; it decodes nothing and returns 0 sessions.
func (t *transport) List(ctx context.Context, maxResult int32) (int, error) {
	body, ok := t.bodies[maxResult]
	if !ok {
		return 0, fmt.Errorf("transport: no request body for maxResult %d", maxResult)
	}
	return 0, t.exchange(ctx, body)
}

// Walk implements Client: the walk's requests, one after another, without
// reading any token. pageSize must be fakeserver.WalkPageSize.
func (t *transport) Walk(ctx context.Context, pageSize int32) (int, error) {
	if pageSize != fakeserver.WalkPageSize {
		return 0, fmt.Errorf("transport: walk page size must be %d", fakeserver.WalkPageSize)
	}
	for _, body := range t.walk {
		if err := t.exchange(ctx, body); err != nil {
			return 0, err
		}
	}
	return 0, nil
}
