package devicefarm

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// A watcher's resume token is base64url (unpadded) of a JSON object:
// version, project ARN, the watch's start and watermark (Unix
// milliseconds), and the ACTIVE and recently ended sessions as [ID, Created
// ms] pairs, where ID is the session ARN less the project's session-ARN
// prefix when it has that prefix. It is not secret and not signed: a
// token edited by hand can only make the watch repeat or skip events.

const watchTokenVersion = 1

type watchToken struct {
	V      int           `json:"v"`
	P      string        `json:"p"`
	From   int64         `json:"f"`
	Mark   int64         `json:"w"`
	Active []watchTokenS `json:"a,omitempty"`
	Ended  []watchTokenS `json:"e,omitempty"`
}

// watchTokenS is one session: [ID, Created ms].
type watchTokenS [2]any

// sessionArnPrefix is the ARN prefix of the sessions of projectArn
// ("…:testgrid-session:PROJECT-ID/"), or "" for an ARN of another form.
func sessionArnPrefix(projectArn string) string {
	before, id, ok := strings.Cut(projectArn, ":testgrid-project:")
	if !ok || id == "" {
		return ""
	}
	return before + ":testgrid-session:" + id + "/"
}

func (st *watchState) encode(projectArn string) string {
	prefix := sessionArnPrefix(projectArn)
	pairs := func(m map[string]time.Time) []watchTokenS {
		var out []watchTokenS
		for _, arn := range sortedByCreated(m) {
			id := arn
			if prefix != "" {
				id = strings.TrimPrefix(arn, prefix)
			}
			out = append(out, watchTokenS{id, m[arn].UnixMilli()})
		}
		return out
	}
	b, err := json.Marshal(watchToken{
		V: watchTokenVersion, P: projectArn,
		From: st.from.UnixMilli(), Mark: st.watermark.UnixMilli(),
		Active: pairs(st.active), Ended: pairs(st.ended),
	})
	if err != nil { // strings and integers only: cannot happen
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decode sets st from token, which must have been issued for projectArn.
func (st *watchState) decode(token, projectArn string) error {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return fmt.Errorf("%w: not base64url", ErrInvalidWatchToken)
	}
	var t watchToken
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&t); err != nil || t.V != watchTokenVersion {
		return fmt.Errorf("%w: not a version %d token", ErrInvalidWatchToken, watchTokenVersion)
	}
	if t.P != projectArn {
		return fmt.Errorf("%w: it was issued for project %s, not %s", ErrInvalidWatchToken, oneline.Quote(t.P, 200), oneline.Quote(projectArn, 200))
	}
	prefix := sessionArnPrefix(projectArn)
	fill := func(m map[string]time.Time, pairs []watchTokenS) error {
		for _, p := range pairs {
			id, ok1 := p[0].(string)
			n, ok2 := p[1].(json.Number)
			ms, err := n.Int64()
			if !ok1 || !ok2 || err != nil || id == "" {
				return fmt.Errorf("%w: a session entry is not [ID, milliseconds]", ErrInvalidWatchToken)
			}
			if !strings.HasPrefix(id, "arn:") {
				id = prefix + id
			}
			m[id] = time.UnixMilli(ms).UTC()
		}
		return nil
	}
	if err := fill(st.active, t.Active); err != nil {
		return err
	}
	if err := fill(st.ended, t.Ended); err != nil {
		return err
	}
	st.begun = true
	st.from = time.UnixMilli(t.From).UTC()
	st.watermark = later(st.from, time.UnixMilli(t.Mark).UTC())
	return nil
}
