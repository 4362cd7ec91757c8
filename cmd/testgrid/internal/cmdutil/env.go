package cmdutil

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/testgridkit/devicefarm"
	"golang.org/x/term"
)

// Env is what a command takes from its surroundings besides arguments and
// output streams. The zero value means the real world; tests replace
// fields.
type Env struct {
	// Now is the clock for relative times and the demo's data. Default
	// time.Now.
	Now func() time.Time

	// Getenv reads an environment variable: TERM and the locale (LC_ALL,
	// LC_CTYPE, LANG), which decide whether a terminal gets progress and
	// Unicode. Default os.Getenv. (The AWS configuration is read by the
	// SDK, from the process environment.)
	Getenv func(string) string

	// IsTerminal reports whether w is an interactive terminal; progress is
	// shown on standard error only when it says so. Default: an *os.File
	// for which golang.org/x/term says yes, with TERM (from Getenv) not
	// "dumb".
	IsTerminal func(w io.Writer) bool

	// LoadOptions are appended to the options passed to
	// config.LoadDefaultConfig (not used with --demo).
	LoadOptions []func(*config.LoadOptions) error

	// ClientOptions are applied last to the devicefarm client's options, in
	// both AWS and demo mode.
	ClientOptions []func(*devicefarm.Options)

	// Sleep waits d, or returns ctx's error once ctx is done: "testgrid
	// watch" waits between polls with it. Default a timer.
	Sleep func(ctx context.Context, d time.Duration) error

	// AfterPage, if set, is called after each page has been written, with
	// the number of pages fetched and sessions written so far.
	AfterPage func(pages, sessions int)
}

// WithDefaults returns e with the real world in the fields left unset.
func (e Env) WithDefaults() Env {
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Sleep == nil {
		e.Sleep = sleep
	}
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	if e.IsTerminal == nil {
		getenv := e.Getenv
		e.IsTerminal = func(w io.Writer) bool { return isTerminal(w, getenv) }
	}
	return e
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// isTerminal reports whether w is an interactive terminal that understands
// carriage return and "erase line": an *os.File that is a terminal, with
// TERM (read with getenv) not set to "dumb".
func isTerminal(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok || getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}
