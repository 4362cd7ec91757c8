package awsjson

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// ParseDouble decodes a double from the text of a JSON number.
func ParseDouble(b []byte) (float64, error) {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a number", oneline.Excerpt(b, 64))
	}
	return v, nil
}

// ParseDoubleString decodes the strings "NaN", "Infinity" and "-Infinity"
// (any case) that the awsJson protocol sends for doubles a JSON number
// cannot hold.
func ParseDoubleString(s string) (float64, error) {
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), nil
	case "infinity":
		return math.Inf(1), nil
	case "-infinity":
		return math.Inf(-1), nil
	}
	return 0, fmt.Errorf("%s is not a number", oneline.Excerpt([]byte(strconv.Quote(s)), 64))
}

// AppendDouble appends f as the awsJson protocol sends a double: the
// shortest decimal that reads back exactly, never in exponent form
// (0.0000001, 1000000000000000000000), and the strings "NaN", "Infinity"
// and "-Infinity" for what a JSON number cannot hold.
func AppendDouble(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}
