package listing

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// A resume token is what "testgrid sessions" prints when its output stops
// before the end of the listing (--max-items reached, an interruption, a
// failure after some pages), and what --starting-token takes to go on
// exactly where that run stopped, even in the middle of a page.
//
// It is base64url (no padding) of a small JSON object:
//
//	{"v":1,"t":"SERVICE-NEXT-TOKEN","skip":3,"ps":5,
//	 "q":{"project":"arn:...","status":"CLOSED",
//	      "createdAfter":{"raw":"24h","at":"2025-03-09T12:00:00Z"}}}
//
// Its members:
//
//   - t is the service's nextToken of the page to resume in ("" for the
//     first page of the listing);
//   - skip is how many sessions of that page were already printed;
//   - ps is the page size that page was asked for with (0: the service's
//     default), so that it holds the same sessions when asked for again;
//   - q is the query: the project, the status and, for each time flag
//     given, its text as typed and the absolute time it meant then.
//
// The token is not secret and not signed: the service checks its own
// nextToken, and a hand-edited skip or page size only misleads the run
// that uses it.
const resumeTokenVersion = 1

// maxResumeTokenLen bounds the text decodeResumeToken reads: the service's
// nextToken is at most 1024 characters and a project ARN 1011.
const maxResumeTokenLen = 8 << 10

// NotResumeToken is the message for a --starting-token that does not decode.
const NotResumeToken = "not a testgrid resume token: pass the token a previous 'testgrid sessions' printed, unchanged"

// ResumeToken is the decoded form of a resume token.
type ResumeToken struct {
	V    int         `json:"v"`
	T    string      `json:"t"`
	Skip int         `json:"skip"`
	PS   int32       `json:"ps"`
	Q    ResumeQuery `json:"q"`
}

// ResumeQuery is the listing a resume token belongs to.
type ResumeQuery struct {
	Project       string     `json:"project"`
	Status        string     `json:"status,omitempty"`
	CreatedAfter  *TimeBound `json:"createdAfter,omitempty"`
	CreatedBefore *TimeBound `json:"createdBefore,omitempty"`
	EndedAfter    *TimeBound `json:"endedAfter,omitempty"`
	EndedBefore   *TimeBound `json:"endedBefore,omitempty"`
}

// TimeBound is a time flag as typed and the time it meant when the listing
// started: a relative "24h" typed again on resume means the same instant.
type TimeBound struct {
	Raw string    `json:"raw"`
	At  time.Time `json:"at"`
}

// ResumePoint is where a listing starts: the service token of a page, the
// page size that page is asked for with, and how many of its sessions are
// skipped because an earlier run printed them.
type ResumePoint struct {
	Token    string // the service's nextToken; "" for the first page
	PageSize int32  // 0: the service's default
	Skip     int
}

// AtStart reports whether p is the beginning of the listing, from which
// there is nothing to resume.
func (p ResumePoint) AtStart() bool { return p.Token == "" && p.Skip == 0 }

// EncodeResumeToken returns the token that resumes the listing q at p.
func EncodeResumeToken(q ResumeQuery, p ResumePoint) string {
	b, err := json.Marshal(ResumeToken{V: resumeTokenVersion, T: p.Token, Skip: p.Skip, PS: p.PageSize, Q: q})
	if err != nil { // only strings, numbers and times of years 1-9999: cannot fail
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// errNotResumeToken is decodeResumeToken's error for any malformed token.
var errNotResumeToken = errors.New(NotResumeToken)

// DecodeResumeToken decodes a token and checks its form; any problem is
// errNotResumeToken.
func DecodeResumeToken(s string) (*ResumeToken, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxResumeTokenLen {
		return nil, errNotResumeToken
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errNotResumeToken
	}
	var tok ResumeToken
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tok); err != nil || dec.More() || !tok.valid() {
		return nil, errNotResumeToken
	}
	return &tok, nil
}

// valid checks what a token produced by encodeResumeToken always satisfies.
func (t *ResumeToken) valid() bool {
	if t.V != resumeTokenVersion || t.Q.Project == "" || t.PS < 0 || t.PS > cmdutil.MaxPageSize ||
		t.Skip < 0 || t.Skip > cmdutil.MaxPageSize || len(t.T) > 1024 {
		return false
	}
	for _, b := range t.Q.bounds() {
		if b.bound != nil && (b.bound.Raw == "" || b.bound.At.IsZero()) {
			return false
		}
	}
	return true
}

// namedBound is a time bound of a query and its flag's canonical name.
type namedBound struct {
	flag  string // such as "created-after"
	bound *TimeBound
}

// bounds returns q's time bounds in the order of the help.
func (q *ResumeQuery) bounds() []namedBound {
	return []namedBound{
		{"created-after", q.CreatedAfter},
		{"created-before", q.CreatedBefore},
		{"ended-after", q.EndedAfter},
		{"ended-before", q.EndedBefore},
	}
}

// rawText is b's text as typed, "" when the flag was not given.
func (b namedBound) rawText() string {
	if b.bound == nil {
		return ""
	}
	return b.bound.Raw
}

// ResumeFrom checks that tok belongs to the listing q that this run asks
// for and returns where to start. The project and status must be equal,
// and every time flag must have been typed as it was then; a relative time
// ("24h") then means the instant it meant then, which the returned query
// holds. Any difference is a usage error naming the flag as spelled
// returns it (the spelling this run used).
func ResumeFrom(tok *ResumeToken, q ResumeQuery, spelled func(string) string) (ResumeQuery, ResumePoint, error) {
	const fix = "give the same --project, --status and time flags as the run that printed the token"
	if tok.Q.Project != q.Project {
		return q, ResumePoint{}, cmdutil.Usagef("--starting-token is for project %s, not %s; %s", tokenText(tok.Q.Project), tokenText(q.Project), fix)
	}
	if tok.Q.Status != q.Status {
		return q, ResumePoint{}, cmdutil.Usagef("--starting-token is for a listing with %s, but this run has %s; %s",
			flagText("--status", tok.Q.Status), flagText(spelled("status"), q.Status), fix)
	}
	mine := q.bounds()
	for i, theirs := range tok.Q.bounds() {
		if theirs.rawText() != mine[i].rawText() {
			return q, ResumePoint{}, cmdutil.Usagef("--starting-token is for a listing with %s, but this run has %s; %s",
				flagText("--"+theirs.flag, theirs.rawText()), flagText(spelled(theirs.flag), mine[i].rawText()), fix)
		}
	}
	// The same flags: use the instants the listing started with.
	q.CreatedAfter, q.CreatedBefore, q.EndedAfter, q.EndedBefore = tok.Q.CreatedAfter, tok.Q.CreatedBefore, tok.Q.EndedAfter, tok.Q.EndedBefore
	return q, ResumePoint{Token: tok.T, PageSize: tok.PS, Skip: tok.Skip}, nil
}

// flagText renders a flag and its value for a message: `--status "CLOSED"`,
// or "no --status" when it was not given. The value is quoted by
// tokenText.
func flagText(flag, value string) string {
	if value == "" {
		return "no " + flag
	}
	return flag + " " + tokenText(value)
}

// tokenText quotes a value from a resume token, or the command line it is
// compared with, for a message: between double quotes, escaped by
// safetext.TerminalText (and a double quote as \"), so that a hand-edited token
// cannot drive the terminal (ESC), break the line or reorder it (U+202E,
// the right-to-left override, and the other invisible formatting
// characters, which the one-line folding of usage errors keeps).
func tokenText(v string) string {
	return `"` + strings.ReplaceAll(safetext.TerminalText(v), `"`, `\"`) + `"`
}

// Time returns the bound's time, or the zero time (no bound) for nil.
func (b *TimeBound) Time() time.Time {
	if b == nil {
		return time.Time{}
	}
	return b.At
}
