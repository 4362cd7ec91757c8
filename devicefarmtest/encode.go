package devicefarmtest

import (
	"net/url"
	"strconv"
	"time"

	"github.com/testgridkit/devicefarm/internal/awsjson"
)

// This file writes the results of the operations other than
// ListTestGridSessions (see response.go for sessions and errors).
// Timestamps are epoch seconds (awsjson.AppendEpochSeconds), strings are
// escaped as the sessions' are (appendString); members with no value are
// omitted.

// member appends ,"name": (or "name": first) to b.
func member(b []byte, first bool, name string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func appendStringMember(b []byte, first bool, name, v string) []byte {
	return appendString(member(b, first, name), v)
}

func appendStrings(b []byte, vs []string) []byte {
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, v)
	}
	return append(b, ']')
}

// appendProject writes a TestGridProject.
func appendProject(b []byte, p *Project) []byte {
	b = appendStringMember(append(b, '{'), true, "arn", p.Arn)
	b = appendStringMember(b, false, "name", p.Name)
	if p.Description != "" {
		b = appendStringMember(b, false, "description", p.Description)
	}
	if v := p.VpcConfig; v != nil {
		b = append(member(b, false, "vpcConfig"), `{"securityGroupIds":`...)
		b = appendStrings(b, v.SecurityGroupIds)
		b = append(b, `,"subnetIds":`...)
		b = appendStrings(b, v.SubnetIds)
		b = appendStringMember(b, false, "vpcId", v.VpcId)
		b = append(b, '}')
	}
	if !p.Created.IsZero() {
		b = awsjson.AppendEpochSeconds(member(b, false, "created"), p.Created)
	}
	return append(b, '}')
}

// appendProjectResult writes {"testGridProject":{...}}.
func appendProjectResult(b []byte, p Project) []byte {
	b = appendProject(append(b, `{"testGridProject":`...), &p)
	return append(b, '}')
}

// appendNextToken closes a page: ],"nextToken":T} or ]}.
func appendNextToken(b []byte, token string) []byte {
	b = append(b, ']')
	if token != "" {
		b = appendStringMember(b, false, "nextToken", token)
	}
	return append(b, '}')
}

func appendProjectPage(b []byte, ps []Project, token string) []byte {
	b = append(b, `{"testGridProjects":[`...)
	for i := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendProject(b, &ps[i])
	}
	return appendNextToken(b, token)
}

// appendActionPage writes a ListTestGridSessionActions result; duration
// is in whole milliseconds.
func appendActionPage(b []byte, as []Action, token string) []byte {
	b = append(b, `{"actions":[`...)
	for i := range as {
		a := &as[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStringMember(append(b, '{'), true, "action", a.Action)
		if !a.Started.IsZero() {
			b = awsjson.AppendEpochSeconds(member(b, false, "started"), a.Started)
		}
		b = strconv.AppendInt(member(b, false, "duration"), a.Duration.Milliseconds(), 10)
		if a.StatusCode != "" {
			b = appendStringMember(b, false, "statusCode", a.StatusCode)
		}
		if a.RequestMethod != "" {
			b = appendStringMember(b, false, "requestMethod", a.RequestMethod)
		}
		b = append(b, '}')
	}
	return appendNextToken(b, token)
}

// appendArtifactPage writes a ListTestGridSessionArtifacts result, each
// artifact's url on the server at base.
func appendArtifactPage(b []byte, as []*storedArtifact, base, token string) []byte {
	b = append(b, `{"artifacts":[`...)
	for i, a := range as {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStringMember(append(b, '{'), true, "filename", a.Filename)
		b = appendStringMember(b, false, "type", string(a.Type))
		b = appendStringMember(b, false, "url", base+artifactPathPrefix+a.id+"/"+url.PathEscape(a.Filename))
		b = append(b, '}')
	}
	return appendNextToken(b, token)
}

// appendURLResult writes a CreateTestGridUrl result.
func appendURLResult(b []byte, u string, expires time.Time) []byte {
	b = appendStringMember(append(b, '{'), true, "url", u)
	b = awsjson.AppendEpochSeconds(member(b, false, "expires"), expires)
	return append(b, '}')
}

// appendWebDriverError writes a W3C WebDriver error body:
// {"value":{"error":E,"message":M,"stacktrace":""}}.
func appendWebDriverError(b []byte, code, msg string) []byte {
	b = appendStringMember(append(b, `{"value":{`...), true, "error", code)
	b = appendStringMember(b, false, "message", msg)
	return append(b, `,"stacktrace":""}}`...)
}
