package devicefarm

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/testgridkit/devicefarm/internal/awsjson"
)

// wireOutput is the JSON shape of ListTestGridSessionsResult. Unknown members
// are ignored and null members leave zero values.
type wireOutput struct {
	TestGridSessions []wireSession `json:"testGridSessions"`
	NextToken        string        `json:"nextToken"`
}

type wireSession struct {
	Arn                string                `json:"arn"`
	Status             TestGridSessionStatus `json:"status"`
	Created            epochTime             `json:"created"`
	Ended              epochTime             `json:"ended"`
	BillingMinutes     lenientFloat          `json:"billingMinutes"`
	SeleniumProperties string                `json:"seleniumProperties"`
}

// decodeOutputReference is the encoding/json decoder the library used before
// its hand-written one: the oracle FuzzDecodeOutput holds decodeOutput to.
// An empty body or a literal null yields an empty page.
func decodeOutputReference(body []byte, out *ListTestGridSessionsOutput) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' && !bytes.Equal(body, []byte("null")) {
		return errors.New("response is not a JSON object")
	}
	var w wireOutput
	if err := json.Unmarshal(body, &w); err != nil {
		return err
	}
	out.NextToken = w.NextToken
	if w.TestGridSessions != nil {
		out.TestGridSessions = make([]TestGridSession, len(w.TestGridSessions))
		for i := range w.TestGridSessions {
			ws := &w.TestGridSessions[i]
			out.TestGridSessions[i] = TestGridSession{
				Arn:                ws.Arn,
				Status:             ws.Status,
				Created:            time.Time(ws.Created),
				Ended:              time.Time(ws.Ended),
				BillingMinutes:     float64(ws.BillingMinutes),
				SeleniumProperties: ws.SeleniumProperties,
			}
		}
	}
	return nil
}

// epochTime and lenientFloat decode the scalar members with awsjson's
// parsers, which are held to references of their own (FuzzParseEpochMillis
// in internal/awsjson); the reference decoder checks the structure around
// them: members, nulls, duplicates, case folding, skipping.

// epochTime decodes a timestamp: epoch seconds in a JSON number, or a
// string holding epoch seconds or an RFC 3339 time.
type epochTime time.Time

func (t *epochTime) UnmarshalJSON(b []byte) error {
	return unmarshalScalar(b, (*time.Time)(t), awsjson.ParseTimestamp, awsjson.ParseTimestampString)
}

// lenientFloat decodes a double: a JSON number, or the strings "NaN",
// "Infinity" and "-Infinity" (any case), as the awsJson protocol allows.
type lenientFloat float64

func (f *lenientFloat) UnmarshalJSON(b []byte) error {
	return unmarshalScalar(b, (*float64)(f), awsjson.ParseDouble, awsjson.ParseDoubleString)
}

// unmarshalScalar decodes the JSON value b, a number or a string, into dst
// with fromNumber or fromString; null leaves dst as it is.
func unmarshalScalar[T any](b []byte, dst *T, fromNumber func([]byte) (T, error), fromString func(string) (T, error)) error {
	var (
		v   T
		err error
	)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err = json.Unmarshal(b, &s); err == nil {
			v, err = fromString(s)
		}
	default:
		v, err = fromNumber(b)
	}
	if err == nil {
		*dst = v
	}
	return err
}
