package devicefarm

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/internal/awsjson"
	"github.com/testgridkit/devicefarm/internal/oneline"
)

const (
	operationName = "ListTestGridSessions"
	targetHeader  = "DeviceFarm_20150623.ListTestGridSessions"

	// Model constraints (service-2.json, DeviceFarm 2015-06-23).
	minProjectArnLen = 32
	maxProjectArnLen = 1011
	projectArnPrefix = "arn:aws:devicefarm:"
	minMaxResult     = 1
	maxMaxResult     = 1000
	minNextTokenLen  = 4
	maxNextTokenLen  = 1024
)

// ListTestGridSessionsInput selects the sessions of one test grid project.
// Zero values mean "not set" and are left out of the request.
type ListTestGridSessionsInput struct {
	// ProjectArn is the ARN of the TestGridProject. Required: 32 to 1011
	// characters, starting with "arn:aws:devicefarm:".
	ProjectArn string

	// Status returns only sessions in this state. Values outside
	// TestGridSessionStatus.Values are sent as they are.
	Status TestGridSessionStatus

	// CreationTimeAfter returns only sessions created after this time.
	CreationTimeAfter time.Time
	// CreationTimeBefore returns only sessions created before this time.
	CreationTimeBefore time.Time
	// EndTimeAfter returns only sessions that ended after this time.
	EndTimeAfter time.Time
	// EndTimeBefore returns only sessions that ended before this time.
	EndTimeBefore time.Time

	// MaxResult is the page size, 1 to 1000. Zero lets the service choose.
	MaxResult int32

	// NextToken continues a listing from the NextToken of an earlier page
	// (4 to 1024 characters).
	NextToken string
}

// ListTestGridSessionsOutput is one page of sessions.
type ListTestGridSessionsOutput struct {
	// TestGridSessions are the sessions on this page, in the service's order.
	TestGridSessions []TestGridSession

	// NextToken is non-empty when more pages follow; pass it as the next
	// input's NextToken, or use a ListTestGridSessionsPaginator.
	NextToken string

	// RequestID is the service's x-amzn-RequestId for this page.
	RequestID string
}

// ListTestGridSessions retrieves one page of the sessions of a test grid
// project. optFns change the client's Options for this call only.
//
// The input is checked against the service model's constraints before
// anything is sent (a *ValidationError). Service errors are
// *NotFoundException, *ArgumentException, *InternalServiceException or
// *APIError, wrapped as the official client wraps them (see the package
// documentation); every returned error is a *smithy.OperationError.
// Retryable failures (throttling, 5xx, connection errors) are retried by
// Options.Retryer; once ctx is done no further attempt or sleep happens and
// the error satisfies errors.Is(err, ctx.Err()).
//
// API reference: https://docs.aws.amazon.com/devicefarm/latest/APIReference/API_ListTestGridSessions.html
func (c *Client) ListTestGridSessions(ctx context.Context, in *ListTestGridSessionsInput, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error) {
	if c == nil || c.resolved == nil {
		return nil, operationError(0, errors.New("the Client is nil or was not created by New or NewFromConfig; create it with devicefarm.New(devicefarm.Options{...}) or devicefarm.NewFromConfig(cfg)"))
	}
	if err := in.Validate(); err != nil {
		return nil, operationError(0, err)
	}
	return c.invoke(ctx, in, optFns)
}

// Validate checks the input against the service model's constraints, as
// ListTestGridSessions does before sending anything, and returns a
// *ValidationError naming the first member that breaks one. The Status enum
// is deliberately not checked, for forward compatibility.
func (in *ListTestGridSessionsInput) Validate() error {
	if in == nil {
		return &ValidationError{Field: "ProjectArn", Rule: "input is nil; ProjectArn is required"}
	}
	if err := validateProjectArn(in.ProjectArn); err != nil {
		return err
	}
	if in.MaxResult != 0 && (in.MaxResult < minMaxResult || in.MaxResult > maxMaxResult) {
		return &ValidationError{Field: "MaxResult", Rule: "must be " + strconv.Itoa(minMaxResult) + "-" + strconv.Itoa(maxMaxResult) + " when set, got " + strconv.Itoa(int(in.MaxResult))}
	}
	if in.NextToken != "" {
		if n := utf8.RuneCountInString(in.NextToken); n < minNextTokenLen || n > maxNextTokenLen {
			return &ValidationError{Field: "NextToken", Rule: "length must be " + strconv.Itoa(minNextTokenLen) + "-" + strconv.Itoa(maxNextTokenLen) + " when set, got " + strconv.Itoa(n)}
		}
	}
	return nil
}

// projectArnShape is the form of a test grid project ARN, for messages.
const projectArnShape = projectArnPrefix + "REGION:ACCOUNT:testgrid-project:ID"

// validateProjectArn checks ProjectArn: the model's pattern
// (^arn:aws:devicefarm:.+) and length (32-1011), and, since no request
// could succeed with one, that it is not a session's ARN.
func validateProjectArn(arn string) error {
	invalid := func(rule string) error { return &ValidationError{Field: "ProjectArn", Rule: rule} }
	if arn == "" {
		return invalid("is required: the test grid project's ARN (" + projectArnShape + ")")
	}
	if !strings.HasPrefix(arn, projectArnPrefix) || len(arn) == len(projectArnPrefix) || arn[len(projectArnPrefix)] == '\n' {
		return invalid("is not a test grid project ARN (" + projectArnShape + ")")
	}
	if head, project, ok := strings.Cut(arn, ":testgrid-session:"); ok {
		rule := "is a test grid session ARN, not a project ARN (" + projectArnShape + ")"
		if id, _, ok := strings.Cut(project, "/"); ok && id != "" {
			rule += "; this session's project is " + oneline.Cut(head+":testgrid-project:"+id, 256)
		}
		return invalid(rule)
	}
	if n := utf8.RuneCountInString(arn); n < minProjectArnLen || n > maxProjectArnLen {
		return invalid("length must be " + strconv.Itoa(minProjectArnLen) + "-" + strconv.Itoa(maxProjectArnLen) + ", got " + strconv.Itoa(n))
	}
	return nil
}

// appendBody appends the awsJson1.1 request body: members in alphabetical
// order, zero values omitted, timestamps as epoch seconds with millisecond
// precision, exactly as the official SDK writes them.
func (in *ListTestGridSessionsInput) appendBody(b []byte) []byte {
	b = append(b, '{')
	first := true
	member := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
	}
	timestamp := func(name string, t time.Time) {
		if !t.IsZero() {
			member(name)
			b = awsjson.AppendEpochSeconds(b, t)
		}
	}
	timestamp("creationTimeAfter", in.CreationTimeAfter)
	timestamp("creationTimeBefore", in.CreationTimeBefore)
	timestamp("endTimeAfter", in.EndTimeAfter)
	timestamp("endTimeBefore", in.EndTimeBefore)
	if in.MaxResult != 0 {
		member("maxResult")
		b = strconv.AppendInt(b, int64(in.MaxResult), 10)
	}
	if in.NextToken != "" {
		member("nextToken")
		b = awsjson.AppendString(b, in.NextToken)
	}
	member("projectArn")
	b = awsjson.AppendString(b, in.ProjectArn)
	if in.Status != "" {
		member("status")
		b = awsjson.AppendString(b, string(in.Status))
	}
	return append(b, '}')
}
