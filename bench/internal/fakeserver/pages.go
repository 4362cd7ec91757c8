package fakeserver

import (
	"fmt"
	"strconv"
	"strings"
)

// The walk scenario: WalkPages pages of WalkPageSize sessions, asked for with
// maxResult WalkPageSize. Page 1 is the answer to a call without nextToken,
// page K > 1 the answer to nextToken "page-K"; every page but the last
// carries the token of the next one.
const (
	WalkPages    = 20
	WalkPageSize = 50
)

// page is a response body rendered once, with its Content-Length.
type page struct {
	body          []byte
	contentLength string
}

// pages holds every response the fake serves, pre-rendered.
type pages struct {
	// byMaxResult answers calls without nextToken.
	byMaxResult map[int32]page
	// walk[k] is page k+1 of the walk.
	walk [WalkPages]page
}

// renderPages renders the responses of every scenario: maxResult 1 gives one
// session, 1000 gives 1000 sessions, and maxResult 50 gives page 1 of the walk
// (50 sessions and the token of page 2).
func renderPages() *pages {
	p := &pages{byMaxResult: map[int32]page{}}
	for k := range WalkPages {
		next := ""
		if k+1 < WalkPages {
			next = WalkToken(k + 2)
		}
		p.walk[k] = renderPage(k*WalkPageSize, WalkPageSize, next)
	}
	p.byMaxResult[1] = renderPage(0, 1, "")
	p.byMaxResult[WalkPageSize] = p.walk[0]
	p.byMaxResult[1000] = renderPage(0, 1000, "")
	return p
}

// lookup returns the page answering maxResult and nextToken. A missing
// maxResult (0) means WalkPageSize, the fake's default page size.
func (p *pages) lookup(maxResult int32, nextToken string) (page, bool) {
	if maxResult == 0 {
		maxResult = WalkPageSize
	}
	if nextToken == "" {
		pg, ok := p.byMaxResult[maxResult]
		return pg, ok
	}
	k, ok := strings.CutPrefix(nextToken, "page-")
	if !ok || maxResult != WalkPageSize {
		return page{}, false
	}
	n, err := strconv.Atoi(k)
	if err != nil || n < 2 || n > WalkPages {
		return page{}, false
	}
	return p.walk[n-1], true
}

// WalkToken is the nextToken that asks for page k (k ≥ 2) of the walk.
func WalkToken(k int) string { return fmt.Sprintf("page-%d", k) }

// renderPage renders n sessions starting at session first, followed by
// nextToken when it is not empty.
func renderPage(first, n int, nextToken string) page {
	b := []byte(`{"testGridSessions":[`)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = SessionAt(first + i).appendJSON(b)
	}
	b = append(b, ']')
	if nextToken != "" {
		b = append(b, `,"nextToken":`...)
		b = appendString(b, nextToken)
	}
	b = append(b, '}')
	return page{body: b, contentLength: strconv.Itoa(len(b))}
}
