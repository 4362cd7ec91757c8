package devicefarm_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// A watcher reports each session of a project once as it starts and once as
// it ends. Here a fake stands in for Device Farm, and the example ends the
// session itself; a real watch runs until its context ends, and a program
// that stops early keeps ResumeToken to continue where it left off.
func ExampleSessionWatcher() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	project := "arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:example"
	build := devicefarm.TestGridSession{
		Arn:     "arn:aws:devicefarm:us-west-2:111122223333:testgrid-session:example/build-42",
		Status:  devicefarm.TestGridSessionStatusActive,
		Created: time.Now().Add(-time.Minute),
	}
	srv.AddSessions(project, build)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := devicefarm.NewSessionWatcher(srv.Client(), &devicefarm.ListTestGridSessionsInput{ProjectArn: project},
		func(o *devicefarm.SessionWatcherOptions) { o.Interval = 10 * time.Millisecond })
	for ev, err := range w.Events(ctx) {
		if errors.Is(err, context.Canceled) {
			break
		}
		if err != nil {
			fmt.Println("poll failed:", err) // the watcher tries again
			continue
		}
		fmt.Println(ev.Type, ev.Session.ID(), ev.Session.Status)
		switch ev.Type {
		case devicefarm.SessionStarted: // the test run finishes
			build.Status, build.Ended = devicefarm.TestGridSessionStatusClosed, time.Now()
			srv.AddSessions(project, build)
		case devicefarm.SessionEnded:
			cancel()
		}
	}
	// Output:
	// started build-42 ACTIVE
	// ended build-42 CLOSED
}
