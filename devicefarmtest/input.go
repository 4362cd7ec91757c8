package devicefarmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm"
)

// This file decodes the members of an awsJson1.1 request body and checks
// them against the constraints of the service's model, with the messages
// the service sends. Every operation's parser uses it.

// members is a request body decoded one level deep.
type members map[string]json.RawMessage

// decodeMembers decodes a request body. An empty body counts as {}. Member
// names are case-sensitive; unknown members are ignored. A body that is
// not a JSON object is a SerializationException.
func decodeMembers(body []byte) (members, *apiError) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return members{}, nil
	}
	var m members
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		msg := "the request body is not a JSON object"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, serializationError("%s", msg)
	}
	return m, nil
}

// raw returns a member's value, or nil when it is absent or JSON null.
func (m members) raw(name string) json.RawMessage {
	raw, ok := m[name]
	if !ok || string(raw) == "null" {
		return nil
	}
	return raw
}

// str returns a string member, nil when absent or null.
func (m members) str(name string) (*string, *apiError) {
	raw := m.raw(name)
	if raw == nil {
		return nil, nil
	}
	var v string
	if raw[0] != '"' || json.Unmarshal(raw, &v) != nil {
		return nil, serializationError("Member '%s' must be a JSON string", name)
	}
	return &v, nil
}

// strings returns a list-of-strings member, nil when absent or null.
func (m members) strings(name string) ([]string, *apiError) {
	raw := m.raw(name)
	if raw == nil {
		return nil, nil
	}
	var v []string
	if raw[0] != '[' || json.Unmarshal(raw, &v) != nil {
		return nil, serializationError("Member '%s' must be a JSON array of strings", name)
	}
	return v, nil
}

// object returns a structure member, nil when absent or null.
func (m members) object(name string) (members, *apiError) {
	raw := m.raw(name)
	if raw == nil {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, serializationError("Member '%s' must be a JSON object", name)
	}
	return decodeMembers(raw)
}

// integer returns an integer member, nil when absent or null. A value
// beyond int64 saturates, for the range check to report it.
func (m members) integer(name string) (*int64, *apiError) {
	raw := m.raw(name)
	if raw == nil {
		return nil, nil
	}
	if !isJSONNumber(raw) {
		return nil, serializationError("Member '%s' must be a JSON number", name)
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		v = math.MaxInt64
		if raw[0] == '-' {
			v = math.MinInt64
		}
	case err != nil:
		return nil, serializationError("Member '%s' must be an integer, got %s", name, raw)
	}
	return &v, nil
}

// paging returns the maxResult and nextToken members.
func (m members) paging() (maxResult *int64, nextToken *string, e *apiError) {
	if maxResult, e = m.integer("maxResult"); e != nil {
		return nil, nil, e
	}
	if nextToken, e = m.str("nextToken"); e != nil {
		return nil, nil, e
	}
	return maxResult, nextToken, nil
}

func isJSONNumber(raw json.RawMessage) bool {
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// Model constraints shared by the operations (DeviceFarm 2015-06-23).
const (
	minProjectArnLen = 32 // DeviceFarmArn
	maxProjectArnLen = 1011
	minMaxResult     = 1 // MaxPageSize
	maxMaxResult     = 1000
	minNextTokenLen  = 4 // PaginationToken
	maxNextTokenLen  = 1024
	arnRegexp        = `^arn:aws:devicefarm:.+`
	// nonBlankRegexp is the model's ".*\S.*" (ResourceName,
	// ResourceDescription, ResourceId, NonEmptyString), matched against
	// the whole value as the service's Java regular expressions are: "."
	// stops at a line break.
	nonBlankRegexp = `.*\S.*`
)

var (
	arnPattern      = regexp.MustCompile(arnRegexp)
	nonBlankPattern = regexp.MustCompile(`^(?:` + nonBlankRegexp + `)$`)
)

// violations collects the constraint violations of one request.
type violations []string

func (v *violations) add(format string, args ...any) {
	*v = append(*v, fmt.Sprintf(format, args...))
}

// required reports a missing member.
func (v *violations) required(name string) {
	v.add("Value null at '%s' failed to satisfy constraint: Member must not be null", name)
}

// length checks a string's length in runes.
func (v *violations) length(name, val string, lo, hi int) {
	switch n := utf8.RuneCountInString(val); {
	case n < lo:
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", echo(val), name, lo)
	case n > hi:
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", echo(val), name, hi)
	}
}

// pattern checks a string against a pattern of the model.
func (v *violations) pattern(name, val string, re *regexp.Regexp, src string) {
	if !re.MatchString(val) {
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", echo(val), name, src)
	}
}

// arn checks a DeviceFarmArn member.
func (v *violations) arn(name string, val *string, required bool) {
	switch {
	case val == nil && required:
		v.required(name)
	case val != nil:
		v.length(name, *val, minProjectArnLen, maxProjectArnLen)
		v.pattern(name, *val, arnPattern, arnRegexp)
	}
}

// text checks a member of a non-blank string shape of lo to hi runes.
func (v *violations) text(name string, val *string, lo, hi int, required bool) {
	switch {
	case val == nil && required:
		v.required(name)
	case val != nil:
		v.length(name, *val, lo, hi)
		v.pattern(name, *val, nonBlankPattern, nonBlankRegexp)
	}
}

// count checks an integer member's range.
func (v *violations) count(name string, val *int64, lo, hi int64, required bool) {
	switch {
	case val == nil && required:
		v.required(name)
	case val != nil && *val < lo:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *val, name, lo)
	case val != nil && *val > hi:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *val, name, hi)
	}
}

// enum checks a member against an enumeration.
func (v *violations) enum(name string, val *string, values ...string) {
	for _, ok := range values {
		if val == nil || *val == ok {
			return
		}
	}
	v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", echo(*val), name, strings.Join(values, ", "))
}

// paging checks maxResult and nextToken.
func (v *violations) paging(maxResult *int64, nextToken *string) {
	v.count("maxResult", maxResult, minMaxResult, maxMaxResult, false)
	if nextToken != nil {
		v.length("nextToken", *nextToken, minNextTokenLen, maxNextTokenLen)
	}
}

// err returns the violations as one ArgumentException, in the AWS "N
// validation errors detected: ..." style, or nil when there are none.
func (v violations) err() *apiError {
	if len(v) == 0 {
		return nil
	}
	noun := "error"
	if len(v) > 1 {
		noun = "errors"
	}
	return &apiError{status: http.StatusBadRequest, code: devicefarm.CodeArgumentException,
		message: fmt.Sprintf("%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))}
}
