package devicefarmtest

import (
	"crypto/sha256"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/uuid"
)

const (
	seedWindow       = 30 * 24 * time.Hour // ended sessions lie in it
	seedActiveWindow = 3 * time.Hour       // active sessions started in it
	seedMinDuration  = 3 * time.Second
	seedMaxDuration  = 60 * time.Minute
)

// Seed generates n sessions with GenerateSessions(projectArn, n, seed,
// s.Epoch()), adds them to the project (registering it if needed) and
// returns them in listing order.
func (s *Server) Seed(projectArn string, n int, seed int64) []devicefarm.TestGridSession {
	sessions := GenerateSessions(projectArn, n, seed, s.epoch)
	s.store.add(s.defaultProject(projectArn), sessions)
	return sessions
}

// GenerateSessions returns n realistic sessions of a project, in listing
// order (ascending Created, ties by Arn). The result depends only on its
// arguments: a math/rand/v2 PCG source seeded with seed drives it.
//
//   - Arn: arn:aws:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/UUID,
//     with REGION, ACCOUNT and PROJECTID taken from a project ARN of the form
//     arn:aws:devicefarm:REGION:ACCOUNT:testgrid-project:PROJECTID (other
//     ARNs give us-west-2, 123456789012 and a UUID derived from the ARN).
//   - Status: about 10% ACTIVE, 80% CLOSED, 10% ERRORED.
//   - Created, millisecond precision: for an ACTIVE session, uniformly in
//     the 3 hours before epoch (a session still running was started
//     recently); otherwise uniformly in the 30 days before epoch, early
//     enough for the session to have ended before epoch.
//   - Ended: Created plus 3 s to 60 min, before epoch; zero when ACTIVE.
//   - BillingMinutes: Ended minus Created in minutes, rounded up to the
//     hundredth (0 when ACTIVE), consistent with TestGridSession.Duration.
//   - SeleniumProperties: a ~220-byte JSON object of WebDriver capabilities
//     (browserName chrome or firefox, browserVersion, platformName,
//     goog:chromeOptions or moz:firefoxOptions, acceptInsecureCerts,
//     timeouts).
func GenerateSessions(projectArn string, n int, seed int64, epoch time.Time) []devicefarm.TestGridSession {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	epochMs := epoch.UnixMilli()
	out := make([]devicefarm.TestGridSession, 0, max(n, 0))
	for range n {
		var id [16]byte
		for i := range id {
			id[i] = byte(rng.Uint32())
		}
		dur := seedMinDuration.Milliseconds() + rng.Int64N((seedMaxDuration-seedMinDuration).Milliseconds()+1)
		status := devicefarm.TestGridSessionStatusClosed
		switch rng.IntN(10) {
		case 0:
			status = devicefarm.TestGridSessionStatusActive
		case 1:
			status = devicefarm.TestGridSessionStatusErrored
		}
		var created int64
		if status == devicefarm.TestGridSessionStatusActive {
			created = epochMs - 1 - rng.Int64N(seedActiveWindow.Milliseconds())
		} else {
			// Ended = created + dur falls before epoch.
			created = epochMs - 1 - dur - rng.Int64N(seedWindow.Milliseconds()-dur)
		}

		ss := devicefarm.TestGridSession{
			Arn:                sessionArn(projectArn, uuid.Format(id)),
			Status:             status,
			Created:            time.UnixMilli(created).UTC(),
			SeleniumProperties: seleniumProperties(rng),
		}
		if status != devicefarm.TestGridSessionStatusActive {
			ss.Ended = time.UnixMilli(created + dur).UTC()
			ss.BillingMinutes = billingMinutes(dur)
		}
		out = append(out, ss)
	}
	slices.SortFunc(out, func(a, b devicefarm.TestGridSession) int { return compareKeys(keyOf(a), keyOf(b)) })
	return out
}

// billingMinutes is a duration in minutes rounded up to the hundredth.
func billingMinutes(ms int64) float64 {
	return math.Ceil(float64(ms)/600) / 100
}

// sessionArn builds a session ARN under a project ARN.
func sessionArn(projectArn, sessionID string) string {
	parts := strings.SplitN(projectArn, ":", 7)
	if len(parts) == 7 && parts[0] == "arn" && parts[2] == "devicefarm" && parts[5] == "testgrid-project" && parts[6] != "" {
		return strings.Join(append(parts[:5:5], "testgrid-session", parts[6]+"/"+sessionID), ":")
	}
	sum := sha256.Sum256([]byte(projectArn))
	return "arn:aws:devicefarm:" + DefaultRegion + ":123456789012:testgrid-session:" + uuid.Format([16]byte(sum[:16])) + "/" + sessionID
}

// seleniumProperties returns a WebDriver capabilities object as JSON text.
func seleniumProperties(rng *rand.Rand) string {
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	caps := map[string]any{
		"acceptInsecureCerts": rng.IntN(2) == 0,
		"platformName":        pick("windows", "windows", "windows", "linux"),
		"timeouts": map[string]int{
			"implicit": 0,
			"pageLoad": []int{120000, 300000}[rng.IntN(2)],
			"script":   []int{30000, 60000}[rng.IntN(2)],
		},
	}
	window := pick("1920,1080", "1366,768", "1280,800")
	if rng.IntN(5) < 3 {
		caps["browserName"] = "chrome"
		caps["browserVersion"] = pick("latest", "120.0", "121.0", "122.0", "123.0")
		caps["goog:chromeOptions"] = map[string]any{"args": []string{"--headless=new", "--window-size=" + window}}
	} else {
		caps["browserName"] = "firefox"
		caps["browserVersion"] = pick("latest", "115.0esr", "121.0", "122.0", "123.0")
		caps["moz:firefoxOptions"] = map[string]any{
			"args":  []string{"-headless", "-width=" + strings.Split(window, ",")[0]},
			"prefs": map[string]bool{"dom.webnotifications.enabled": false},
		}
	}
	b, _ := json.Marshal(caps)
	return string(b)
}
