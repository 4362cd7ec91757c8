package clients

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// poster is what the floor and transport clients share: one http.Client,
// credentials fetched once, and SigV4 signing of a JSON POST the way a
// minimal hand-written client would do it.
type poster struct {
	endpoint string
	http     *http.Client
	signer   *v4.Signer
	creds    aws.Credentials
}

// newPoster returns a poster with its own connection pool (a clone of
// http.DefaultTransport), so no two clients share connections.
func newPoster(endpoint string) (*poster, error) {
	c, err := creds.Retrieve(context.Background())
	if err != nil {
		return nil, err
	}
	return &poster{
		endpoint: endpoint,
		http:     &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: time.Minute},
		signer:   v4.NewSigner(),
		creds:    c,
	}, nil
}

// post signs and sends body. On success the caller must read and close
// the response body; any other status is an error and the body is closed.
func (p *poster) post(ctx context.Context, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", fakeserver.Target)
	sum := sha256.Sum256(body)
	if err := p.signer.SignHTTP(ctx, p.creds, req, hex.EncodeToString(sum[:]), "devicefarm", Region, time.Now()); err != nil {
		return nil, err
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		_ = resp.Body.Close()
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, msg)
	}
	return resp, nil
}
