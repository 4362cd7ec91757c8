package stats

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
)

// DefaultErroredListed is how many errored sessions a summary lists unless
// told otherwise (ListErrored).
const DefaultErroredListed = 20

// MaxErroredListed bounds ListErrored, so that memory stays bounded
// whatever the command line asks.
const MaxErroredListed = 10_000

// ErroredSession is one ERRORED session as the summary lists it. Created
// is zero when the service sent no creation time; Duration is zero when
// the session has no end time.
type ErroredSession struct {
	Arn              string
	Created, Ended   time.Time // in the summary's Loc
	Duration         time.Duration
	Browser, Version string
	Platform         string
}

// CreatedText is the creation time as TimeLayout shows it, "-" when
// unknown.
func (e ErroredSession) CreatedText() string {
	if e.Created.IsZero() {
		return "-"
	}
	return e.Created.Format(TimeLayout)
}

// DurationText is the duration as DurationText shows it, "-" when the
// session has no end (or no start).
func (e ErroredSession) DurationText() string {
	if e.Ended.IsZero() || e.Created.IsZero() {
		return "-"
	}
	return DurationText(e.Duration)
}

// BrowserText is "chrome 122.0", or the name alone without a version.
func (e ErroredSession) BrowserText() string {
	return strings.TrimSpace(e.Browser + " " + e.Version)
}

// ErroredList is the newest errored sessions, newest first, and how many
// errored sessions there were in all: Total - len(Sessions) are not
// listed.
type ErroredList struct {
	Sessions []ErroredSession
	Total    int
}

// More is the number of errored sessions not listed.
func (l ErroredList) More() int { return l.Total - len(l.Sessions) }

// erroredKeeper keeps the limit newest errored sessions (by Created, then
// ARN; undated ones count as the oldest), sorted newest first.
type erroredKeeper struct {
	limit int
	total int
	kept  []ErroredSession
}

// newer orders x before y when x is newer.
func newer(x, y *ErroredSession) int {
	return cmp.Or(y.Created.Compare(x.Created), cmp.Compare(y.Arn, x.Arn))
}

func (k *erroredKeeper) add(s *devicefarm.TestGridSession, info browserInfo) {
	k.total++
	if k.limit <= 0 {
		return
	}
	e := ErroredSession{
		Arn: s.Arn, Created: s.Created, Ended: s.Ended,
		Browser: info.Name, Version: info.Version, Platform: info.Platform,
	}
	if !s.Created.IsZero() && !s.Ended.IsZero() && !s.Ended.Before(s.Created) {
		e.Duration = s.Ended.Sub(s.Created)
	}
	i, _ := slices.BinarySearchFunc(k.kept, &e, func(x ErroredSession, y *ErroredSession) int { return newer(&x, y) })
	if i >= k.limit {
		return
	}
	if len(k.kept) == k.limit {
		k.kept = k.kept[:len(k.kept)-1]
	}
	k.kept = slices.Insert(k.kept, i, e)
}

// list returns the kept sessions with their times in loc.
func (k *erroredKeeper) list(loc *time.Location) ErroredList {
	out := ErroredList{Total: k.total, Sessions: make([]ErroredSession, len(k.kept))}
	for i, e := range k.kept {
		if !e.Created.IsZero() {
			e.Created = e.Created.In(loc)
		}
		if !e.Ended.IsZero() {
			e.Ended = e.Ended.In(loc)
		}
		out.Sessions[i] = e
	}
	return out
}
