// Package wiresession renders a session in the service's wire shape, for
// the commands that speak it (serve's control API, the aws-json output),
// through the repository's one session codec, internal/awsjson.
package wiresession

import (
	"encoding/json"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/awsjson"
)

// Of returns s as awsjson.AppendSession takes it.
func Of(s *devicefarm.TestGridSession) *awsjson.Session {
	return &awsjson.Session{
		Arn: s.Arn, Status: string(s.Status), Created: s.Created, Ended: s.Ended,
		BillingMinutes: s.BillingMinutes, SeleniumProperties: s.SeleniumProperties,
	}
}

// JSON renders s compactly, with strings escaped as encoding/json escapes
// them: what ListTestGridSessions and serve's control API send.
func JSON(s *devicefarm.TestGridSession) json.RawMessage {
	return awsjson.AppendSession(nil, Of(s), awsjson.Layout{String: appendString})
}

// appendString appends s as encoding/json writes a string.
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}
