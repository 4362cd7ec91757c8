package awsjson

import "time"

// Session holds the members of a test grid session as the wire carries
// them. It mirrors devicefarm.TestGridSession, which this package cannot
// name (the root package imports it); callers copy the six fields.
type Session struct {
	Arn                string
	Status             string
	Created            time.Time
	Ended              time.Time
	BillingMinutes     float64
	SeleniumProperties string
}

// Layout is how AppendSession lays out a session object. The zero Layout
// is not usable: String must be set.
type Layout struct {
	// String appends a JSON string: the caller's escaping policy
	// (encoding/json's for the fakes' responses, Python's json.dumps for
	// output that imitates the AWS CLI).
	String func(b []byte, s string) []byte
	// Indent precedes each member, and CloseIndent the closing brace;
	// both are empty for compact output.
	Indent, CloseIndent string
	// NameSeparator follows each member name: ":" when empty.
	NameSeparator string
	// OmitEmptyStrings leaves out arn and status when they are empty; by
	// default they are always written, as the service always sends them.
	OmitEmptyStrings bool
}

// AppendSession appends s as a JSON object with the service's member
// names in the service model's order: arn, status, created, ended,
// billingMinutes, seleniumProperties. Times are epoch seconds
// (AppendEpochSeconds) and are left out when zero, as ended is while a
// session is active; billingMinutes is always written (AppendDouble);
// seleniumProperties is left out when empty.
func AppendSession(b []byte, s *Session, l Layout) []byte {
	sep := l.NameSeparator
	if sep == "" {
		sep = ":"
	}
	first := true
	name := func(n string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, l.Indent...)
		b = l.String(b, n)
		b = append(b, sep...)
	}
	b = append(b, '{')
	if s.Arn != "" || !l.OmitEmptyStrings {
		name("arn")
		b = l.String(b, s.Arn)
	}
	if s.Status != "" || !l.OmitEmptyStrings {
		name("status")
		b = l.String(b, s.Status)
	}
	if !s.Created.IsZero() {
		name("created")
		b = AppendEpochSeconds(b, s.Created)
	}
	if !s.Ended.IsZero() {
		name("ended")
		b = AppendEpochSeconds(b, s.Ended)
	}
	name("billingMinutes")
	b = AppendDouble(b, s.BillingMinutes)
	if s.SeleniumProperties != "" {
		name("seleniumProperties")
		b = l.String(b, s.SeleniumProperties)
	}
	b = append(b, l.CloseIndent...)
	return append(b, '}')
}
