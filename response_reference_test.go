package devicefarm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
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

// epochTime decodes a timestamp. The service sends epoch seconds as a JSON
// number; for robustness a string holding epoch seconds or an RFC 3339 time
// is accepted too. The value is truncated to whole milliseconds and set in
// UTC, as the official SDK does (1709294400.1239 decodes to .123); the
// truncation works on the decimal text, so no binary rounding can move a
// value across a millisecond boundary.
type epochTime time.Time

func (t *epochTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
			*t = epochTime(ts.Truncate(time.Millisecond).UTC())
			return nil
		}
	}
	ms, ok := parseEpochMillisReference(strings.TrimSpace(s))
	if !ok {
		return fmt.Errorf("timestamp %s is neither epoch seconds nor RFC 3339", snippet(b, 64))
	}
	*t = epochTime(time.UnixMilli(ms).UTC())
	return nil
}

// lenientFloat decodes a double: a JSON number, or the strings "NaN",
// "Infinity" and "-Infinity" (any case), as the awsJson protocol allows.
type lenientFloat float64

func (f *lenientFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch strings.ToLower(s) {
		case "nan":
			*f = lenientFloat(math.NaN())
		case "infinity":
			*f = lenientFloat(math.Inf(1))
		case "-infinity":
			*f = lenientFloat(math.Inf(-1))
		default:
			return fmt.Errorf("billingMinutes %s is not a number", snippet(b, 64))
		}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("billingMinutes %s is not a number", snippet(b, 64))
	}
	*f = lenientFloat(v)
	return nil
}

// parseEpochMillisReference is the timestamp parser the library used before
// its big-number-free one: plain decimals on their digits, other forms with
// big.Rat. FuzzDecodeOutput compares the two through the decoders.
func parseEpochMillisReference(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(digits, ".")
	if intPart != "" && len(intPart) <= 12 && allDigits(intPart) && (!hasDot || (frac != "" && allDigits(frac))) {
		sec, _ := strconv.ParseInt(intPart, 10, 64)
		ms := sec * 1000
		for i, scale := 0, int64(100); i < 3 && i < len(frac); i, scale = i+1, scale/10 {
			ms += int64(frac[i]-'0') * scale
		}
		if neg {
			ms = -ms
		}
		return ms, true
	}
	if len(s) > 64 || strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, false
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || exp > 40 || exp < -40 {
			return 0, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || new(big.Rat).Abs(r).Cmp(new(big.Rat).SetInt64(maxEpochSeconds)) > 0 {
		return 0, false
	}
	ms := new(big.Int).Mul(r.Num(), big.NewInt(1000))
	ms.Quo(ms, r.Denom())
	return ms.Int64(), true
}
