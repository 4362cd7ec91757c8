package listing

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// progressTick is how often the line is redrawn while a page is awaited,
// to keep the elapsed time and the spinner moving.
const progressTick = 250 * time.Millisecond

// EraseLine returns the cursor to the start of the line and clears it.
const EraseLine = "\r\x1b[K"

// Progress shows one status line on a terminal while a listing spans more
// than one page, such as "/ 3 pages, 150 sessions, 2.4s", and erases it at
// the end. A nil *Progress does nothing, which is what NewProgress returns
// when standard error is not a terminal.
//
// It is drawn only after a page that is followed by another, so a listing
// of one page shows nothing. hide erases it while a page is written to
// standard output (which may be the same terminal) and update draws it
// again. A goroutine redraws it every progressTick until stop.
type Progress struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	tick  time.Duration // redraw period; 0: no redrawing goroutine

	mu       sync.Mutex
	pages    int
	sessions int
	active   bool // drawing is wanted (between update and hide)
	visible  bool // the line is on the screen
	frame    int
	stopped  bool
	stopc    chan struct{} // closed by stop; nil until the ticker starts
	done     chan struct{} // closed when the ticker goroutine has returned
}

// NewProgress returns a progress line on w, or nil (no progress) unless
// enabled.
func NewProgress(w io.Writer, enabled bool, now func() time.Time) *Progress {
	if !enabled {
		return nil
	}
	return &Progress{w: w, now: now, start: now(), tick: progressTick}
}

// Update records that pages pages and sessions sessions have been
// received, and draws the line if more pages follow.
func (p *Progress) Update(pages, sessions int, more bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages, p.sessions = pages, sessions
	if !more || p.stopped {
		return
	}
	p.active = true
	p.draw()
	if p.stopc == nil && p.tick > 0 {
		p.stopc, p.done = make(chan struct{}), make(chan struct{})
		go p.redraw(p.stopc, p.done)
	}
}

// Hide erases the line until the next update.
func (p *Progress) Hide() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = false
	p.erase()
}

// Stop erases the line for good and stops the redrawing goroutine. Later
// calls do nothing.
func (p *Progress) Stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	stopc, done := p.stopc, p.done
	p.stopc, p.stopped, p.active = nil, true, false
	p.erase()
	p.mu.Unlock()
	if stopc != nil {
		close(stopc)
		<-done
	}
}

func (p *Progress) redraw(stopc <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(p.tick)
	defer t.Stop()
	for {
		select {
		case <-stopc:
			return
		case <-t.C:
			p.mu.Lock()
			if p.active {
				p.draw()
			}
			p.mu.Unlock()
		}
	}
}

// draw writes the line; p.mu is held.
func (p *Progress) draw() {
	const spinner = `|/-\`
	p.frame++
	fmt.Fprintf(p.w, "%s%c %d %s, %d sessions, %s", EraseLine, spinner[p.frame%len(spinner)],
		p.pages, safetext.Plural(p.pages, "page", "pages"), p.sessions, elapsedText(p.now().Sub(p.start)))
	p.visible = true
}

// erase clears the line if it is shown; p.mu is held.
func (p *Progress) erase() {
	if p.visible {
		fmt.Fprint(p.w, EraseLine)
		p.visible = false
	}
}

// elapsedText formats d as "4.2s" under a minute, else as "2m5s".
func elapsedText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
