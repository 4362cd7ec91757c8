package clients

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// floor is the least a correct client must do: encode the input with
// encoding/json, sign, send, decode into plain structs with encoding/json,
// drain and close the body. No retries, no validation, no error mapping.
type floor struct {
	p *poster
}

// NewFloor returns the minimal hand-written client.
func NewFloor(endpoint string) (Client, error) {
	p, err := newPoster(endpoint)
	return floor{p}, err
}

// floorInput is the request body.
type floorInput struct {
	ProjectArn string `json:"projectArn"`
	MaxResult  int32  `json:"maxResult,omitempty"`
	NextToken  string `json:"nextToken,omitempty"`
}

// floorSession is a session as minimal code would decode it: timestamps
// stay epoch seconds, and a missing "ended" stays 0.
type floorSession struct {
	Arn                string  `json:"arn"`
	Status             string  `json:"status"`
	Created            float64 `json:"created"`
	Ended              float64 `json:"ended"`
	BillingMinutes     float64 `json:"billingMinutes"`
	SeleniumProperties string  `json:"seleniumProperties"`
}

// floorOutput is the response body.
type floorOutput struct {
	TestGridSessions []floorSession `json:"testGridSessions"`
	NextToken        string         `json:"nextToken"`
}

// call makes one ListTestGridSessions call.
func (f floor) call(ctx context.Context, in *floorInput) (*floorOutput, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	resp, err := f.p.post(ctx, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out floorOutput
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return &out, err
}

// List implements Client.
func (f floor) List(ctx context.Context, maxResult int32) (int, error) {
	out, err := f.call(ctx, &floorInput{ProjectArn: fakeserver.ProjectARN, MaxResult: maxResult})
	if err != nil {
		return 0, err
	}
	return len(out.TestGridSessions), nil
}

// Walk implements Client with a plain nextToken loop.
func (f floor) Walk(ctx context.Context, pageSize int32) (int, error) {
	in := floorInput{ProjectArn: fakeserver.ProjectARN, MaxResult: pageSize}
	n := 0
	for {
		out, err := f.call(ctx, &in)
		if err != nil {
			return n, err
		}
		n += len(out.TestGridSessions)
		if out.NextToken == "" {
			return n, nil
		}
		in.NextToken = out.NextToken
	}
}

// Sessions implements Decoder.
func (f floor) Sessions(ctx context.Context, maxResult int32) ([]Session, error) {
	out, err := f.call(ctx, &floorInput{ProjectArn: fakeserver.ProjectARN, MaxResult: maxResult})
	if err != nil {
		return nil, err
	}
	ss := make([]Session, len(out.TestGridSessions))
	for i, s := range out.TestGridSessions {
		ss[i] = Session{
			Arn:                s.Arn,
			Status:             s.Status,
			Created:            epochTime(s.Created),
			Ended:              epochTime(s.Ended),
			BillingMinutes:     s.BillingMinutes,
			SeleniumProperties: s.SeleniumProperties,
		}
	}
	return ss, nil
}

// epochTime converts epoch seconds to a UTC time at millisecond precision;
// 0 (absent) gives the zero time.
func epochTime(sec float64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(math.Round(sec * 1000))).UTC()
}
