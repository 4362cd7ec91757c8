package watch

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestMain(m *testing.M) { clitest.Main(m) }

const project = clitest.Project

// grid is a fake whose changes a test plays between the polls of an
// in-process watch: the watch's waits return at once, and step n runs
// after poll n. The fake's clock is the real one (or offset from it).
type grid struct {
	t      *testing.T
	srv    *devicefarmtest.Server
	steps  map[int]func()
	polls  int
	waits  []time.Duration
	cancel context.CancelFunc
	stop   int // cancel the watch after this many polls; 0: never
	// terminal makes stderr a terminal.
	terminal bool
	// stderr is the running watch's; steps may read it (they run in the
	// watch's goroutine).
	stderr *strings.Builder
}

func newGrid(t *testing.T, optFns ...func(*devicefarmtest.Options)) *grid {
	t.Helper()
	g := &grid{t: t, steps: map[int]func(){}, srv: clitest.NewServer(t, optFns...)}
	g.srv.AddProject(devicefarmtest.Project{Arn: project})
	return g
}

// after runs do after poll n.
func (g *grid) after(n int, do func()) { g.steps[n] = do }

// sleep is the watch's wait: it records d and plays the step due.
func (g *grid) sleep(ctx context.Context, d time.Duration) error {
	g.polls++
	g.waits = append(g.waits, d)
	if do := g.steps[g.polls]; do != nil {
		do()
	}
	if g.stop > 0 && g.polls >= g.stop {
		g.cancel()
	}
	if g.polls > 200 {
		g.t.Fatal("the watch does not end")
	}
	return ctx.Err()
}

// sessionArn is the ARN of session id of project.
func sessionArn(id string) string {
	return strings.Replace(project, ":testgrid-project:", ":testgrid-session:", 1) + "/" + id
}

// start adds ACTIVE session id, created now by the fake's clock.
func (g *grid) start(id string) devicefarm.TestGridSession {
	s := devicefarm.TestGridSession{Arn: sessionArn(id), Status: devicefarm.TestGridSessionStatusActive, Created: g.srv.Options().Now()}
	g.srv.AddSessions(project, s)
	return s
}

// end ends session id with status now.
func (g *grid) end(id string, status devicefarm.TestGridSessionStatus) {
	_, err := g.srv.EndSession(sessionArn(id), status)
	require.NoError(g.t, err)
}

type result struct {
	code           int
	stdout, stderr string
}

// watch runs "testgrid watch --project P --endpoint URL --interval 1s
// args..." in-process against the grid.
func (g *grid) watch(args ...string) result {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g.cancel = cancel
	e := clitest.AWSEnv(g.srv)
	e.Sleep = g.sleep
	e.IsTerminal = func(io.Writer) bool { return g.terminal }
	var stdout, stderr strings.Builder
	g.stderr = &stderr
	all := append([]string{"watch", "--project", project, "--endpoint", g.srv.URL, "--interval", "1s"}, args...)
	code := clitest.Subcommand("watch", Run)(ctx, all, &stdout, &stderr, e)
	return result{code, stdout.String(), stderr.String()}
}

// event is one NDJSON line of the watch.
type event struct {
	Event   string `json:"event"`
	Time    string `json:"time"`
	Session struct {
		ID             string   `json:"id"`
		Status         string   `json:"status"`
		BillingMinutes *float64 `json:"billingMinutes"`
	} `json:"session"`
}

// events decodes NDJSON events.
func events(t *testing.T, ndjson string) []event {
	t.Helper()
	var out []event
	sc := bufio.NewScanner(strings.NewReader(ndjson))
	for sc.Scan() {
		var members map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(sc.Bytes(), &members), sc.Text())
		require.ElementsMatch(t, []string{"event", "session", "time"}, slices.Collect(maps.Keys(members)), sc.Text())
		var ev event
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev))
		out = append(out, ev)
	}
	return out
}

// lives groups events by session: "started", "ended STATUS" in order.
func lives(evs []event) map[string][]string {
	out := map[string][]string{}
	for _, ev := range evs {
		what := ev.Event
		if what == "ended" {
			what += " " + ev.Session.Status
		}
		out[ev.Session.ID] = append(out[ev.Session.ID], what)
	}
	return out
}

var (
	metricsLine = regexp.MustCompile(`testgrid: serving metrics at (http://\S+/metrics)`)
	resumeLine  = regexp.MustCompile(`testgrid: resume with --resume (\S+)`)
)

// scrape fetches the metrics served at the URL stderr announced.
func scrape(t *testing.T, stderr string) map[string]float64 {
	t.Helper()
	m := metricsLine.FindStringSubmatch(stderr)
	require.NotNil(t, m, "stderr: %s", stderr)
	return scrapeURL(t, m[1])
}

// scrapeURL fetches the metrics at url and returns each sample's value by
// its name and labels.
func scrapeURL(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := map[string]float64{}
	for line := range strings.Lines(string(body)) {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, line)
		out[line[:i]] = v
	}
	return out
}
