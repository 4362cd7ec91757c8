package watch

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// demoStep is one change of the demo's simulated test run, at a time after
// the watch starts: a session starts (status "") or ends with status.
type demoStep struct {
	after  time.Duration
	id     string
	status devicefarm.TestGridSessionStatus
}

// demoRun is the demo's test run: four browser sessions over about eight
// seconds, one ERRORED. A session is ACTIVE throughout, so that
// --until-idle ends the watch only after the last one, and changes are
// at least a second apart, so that the default demo interval sees each.
var demoRun = []demoStep{
	{300 * time.Millisecond, "chrome-1", ""},
	{1300 * time.Millisecond, "firefox-2", ""},
	{2300 * time.Millisecond, "chrome-3", ""},
	{3300 * time.Millisecond, "chrome-1", devicefarm.TestGridSessionStatusClosed},
	{4300 * time.Millisecond, "edge-4", ""},
	{5300 * time.Millisecond, "firefox-2", devicefarm.TestGridSessionStatusErrored},
	{6300 * time.Millisecond, "chrome-3", devicefarm.TestGridSessionStatusClosed},
	{7300 * time.Millisecond, "edge-4", devicefarm.TestGridSessionStatusClosed},
}

// startDemo starts an in-process fake (devicefarmtest) holding project,
// empty, and plays demoRun on it in real time until ctx ends or the
// returned function stops it. It returns a client for the fake.
func startDemo(ctx context.Context, project string, clientOptions []func(*devicefarm.Options)) (*devicefarm.Client, func()) {
	srv := devicefarmtest.NewServer()
	srv.AddProject(devicefarmtest.Project{Arn: project})
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { playDemo(ctx, srv, project, demoRun) })
	fns := append([]func(*devicefarm.Options){func(o *devicefarm.Options) { o.AppID = "testgrid" }}, clientOptions...)
	return srv.Client(fns...), func() {
		cancel()
		wg.Wait()
		srv.Close()
	}
}

// playDemo carries out steps at their times, from now.
func playDemo(ctx context.Context, srv *devicefarmtest.Server, project string, steps []demoStep) {
	start := time.Now()
	prefix := strings.Replace(project, ":testgrid-project:", ":testgrid-session:", 1) + "/"
	for _, st := range steps {
		t := time.NewTimer(time.Until(start.Add(st.after)))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if st.status == "" {
			srv.AddSessions(project, devicefarm.TestGridSession{
				Arn: prefix + st.id, Status: devicefarm.TestGridSessionStatusActive, Created: time.Now(),
				SeleniumProperties: `{"browserName":"` + strings.SplitN(st.id, "-", 2)[0] + `"}`,
			})
		} else {
			_, _ = srv.EndSession(prefix+st.id, st.status) // started by an earlier step
		}
	}
}
