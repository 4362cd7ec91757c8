//go:build goexperiment.jsonv2

package devicefarm

// Decoder alternatives measured for issue 4, beside decodeOutput: the
// encoding/json v2 design (in the standard library under
// GOEXPERIMENT=jsonv2, the same code as github.com/go-json-experiment/json)
// unmarshalling into wire structs, and a schema-specific decoder on its
// jsontext tokenizer. Run with:
//
//	GOEXPERIMENT=jsonv2 go test -run '^$' -bench DecodeOutput -benchmem
//
// Timestamps are decoded as float64 seconds here, which is cheaper than the
// exact decimal handling decodeOutput does, so these alternatives are
// measured at their best.

import (
	"bytes"
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"errors"
	"fmt"
	"testing"
	"time"
)

type v2Output struct {
	TestGridSessions []v2Session `json:"testGridSessions"`
	NextToken        string      `json:"nextToken"`
}

type v2Session struct {
	Arn                string  `json:"arn"`
	Status             string  `json:"status"`
	Created            float64 `json:"created"`
	Ended              float64 `json:"ended"`
	BillingMinutes     float64 `json:"billingMinutes"`
	SeleniumProperties string  `json:"seleniumProperties"`
}

func epochFloat(f float64) time.Time {
	if f == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(f * 1000)).UTC()
}

func decodeJSONv2(body []byte, out *ListTestGridSessionsOutput) error {
	var w v2Output
	if err := jsonv2.Unmarshal(body, &w); err != nil {
		return err
	}
	out.NextToken = w.NextToken
	out.TestGridSessions = make([]TestGridSession, len(w.TestGridSessions))
	for i, s := range w.TestGridSessions {
		out.TestGridSessions[i] = TestGridSession{Arn: s.Arn, Status: TestGridSessionStatus(s.Status),
			Created: epochFloat(s.Created), Ended: epochFloat(s.Ended), BillingMinutes: s.BillingMinutes, SeleniumProperties: s.SeleniumProperties}
	}
	return nil
}

// decodeJSONText is a schema-specific decoder on the jsontext tokenizer.
func decodeJSONText(body []byte, out *ListTestGridSessionsOutput) error {
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	expect := func(kind jsontext.Kind) error {
		tok, err := dec.ReadToken()
		if err == nil && tok.Kind() != kind {
			err = fmt.Errorf("want %v, got %v", kind, tok.Kind())
		}
		return err
	}
	if err := expect('{'); err != nil {
		return err
	}
	for dec.PeekKind() == '"' {
		key, err := dec.ReadValue()
		if err != nil {
			return err
		}
		switch string(key) { // compared before the next read invalidates key
		case `"testGridSessions"`:
			if err := expect('['); err != nil {
				return err
			}
			for dec.PeekKind() == '{' {
				var s TestGridSession
				if err := expect('{'); err != nil {
					return err
				}
				for dec.PeekKind() == '"' {
					k, err := dec.ReadValue()
					if err != nil {
						return err
					}
					field := string(k) // k is only valid until the next read
					if field != `"arn"` && field != `"status"` && field != `"created"` && field != `"ended"` &&
						field != `"billingMinutes"` && field != `"seleniumProperties"` {
						if err := dec.SkipValue(); err != nil {
							return err
						}
						continue
					}
					v, err := dec.ReadToken()
					if err != nil {
						return err
					}
					switch field {
					case `"arn"`:
						s.Arn = v.String()
					case `"status"`:
						s.Status = TestGridSessionStatus(v.String())
					case `"created"`:
						s.Created = epochFloat(v.Float())
					case `"ended"`:
						s.Ended = epochFloat(v.Float())
					case `"billingMinutes"`:
						s.BillingMinutes = v.Float()
					case `"seleniumProperties"`:
						s.SeleniumProperties = v.String()
					}
				}
				if err := expect('}'); err != nil {
					return err
				}
				out.TestGridSessions = append(out.TestGridSessions, s)
			}
			if err := expect(']'); err != nil {
				return err
			}
		case `"nextToken"`:
			v, err := dec.ReadToken()
			if err != nil {
				return err
			}
			out.NextToken = v.String()
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	if err := expect('}'); err != nil {
		return err
	}
	if _, err := dec.ReadToken(); err == nil {
		return errors.New("data after the top-level value")
	}
	return nil
}

func init() {
	decodeImpls = append(decodeImpls,
		decodeImpl{"jsonv2", decodeJSONv2},
		decodeImpl{"jsontext", decodeJSONText})
}

func TestDecodeAlternativesAgree(t *testing.T) {
	page := renderPage(50, "token")
	var want ListTestGridSessionsOutput
	if err := decodeOutput(page, &want); err != nil {
		t.Fatal(err)
	}
	for _, impl := range decodeImpls {
		var got ListTestGridSessionsOutput
		if err := impl.decode(page, &got); err != nil {
			t.Fatalf("%s: %v", impl.name, err)
		}
		requireSamePage(t, &want, &got)
	}
}
