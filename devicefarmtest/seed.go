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

// seedWindow is the span before the epoch in which generated sessions
// are created (and a new project's creation time lies before).
const seedWindow = 30 * 24 * time.Hour

// Shape of the generated test runs (GenerateSessions).
const (
	seedMaxRuns        = 120              // runs in the window at most
	seedSessionsPerRun = 4                // sessions per run at least, on average
	seedPerWorker      = 8                // sessions one worker runs in a row at most
	seedMinDuration    = 3 * time.Second  // the shortest session
	seedMaxDuration    = 25 * time.Minute // the longest session
	seedQuietBefore    = 4 * time.Hour    // runs before the current one end this long before epoch
	seedGapMax         = 10 * time.Second // the most a worker waits between two sessions
	seedBadRunOdds     = 0.15             // share of runs hit by a burst of errors
	seedBaseErrorOdds  = 0.02             // chance that a session errors outside a burst
	seedBurstErrorOdds = 0.75             // chance inside a burst
	seedBurstLength    = 12 * time.Minute // how long a burst of errors lasts
	seedMedianDuration = 4 * time.Minute  // median duration of a session
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
// The sessions model CI test runs on a grid during the 30 days before
// epoch: bursts of parallel sessions, a few times a day.
//
//   - Runs: a nightly run about 02:00 UTC every day, and 2 to 5 daytime
//     runs between 08:00 and 19:00 UTC on weekdays; max(1, n/4) of these
//     (at most 120) are kept, the last being the current run. Each run
//     has 2 to 8 workers (more for large n, so that a worker runs at most
//     8 sessions), which run their sessions one after the other, a few
//     seconds apart. The n sessions are shared among the runs.
//   - The current run is in progress at epoch: the last session of each of
//     its workers is ACTIVE (a handful of sessions), started in the 12
//     minutes before epoch. Every other session ended at least 4 hours
//     before epoch.
//   - Durations: minutes (median about 4), from 3 s to 25 min; an errored
//     session stops early.
//   - Errors are clustered: about 15% of the runs hit a 12-minute burst in
//     which most sessions end ERRORED; outside, 2% do.
//   - Arn: arn:aws:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/UUID,
//     with REGION, ACCOUNT and PROJECTID taken from a project ARN of the form
//     arn:aws:devicefarm:REGION:ACCOUNT:testgrid-project:PROJECTID (other
//     ARNs give us-west-2, 123456789012 and a UUID derived from the ARN).
//     The UUIDs depend on seed and n only.
//   - Created and Ended have millisecond precision; Ended is zero while
//     ACTIVE.
//   - BillingMinutes: Ended minus Created in minutes, rounded up to the
//     hundredth (0 when ACTIVE), consistent with TestGridSession.Duration.
//   - SeleniumProperties: a ~220-byte JSON object of WebDriver capabilities
//     (browserName chrome or firefox, browserVersion, platformName,
//     goog:chromeOptions or moz:firefoxOptions, acceptInsecureCerts,
//     timeouts), one per worker.
//
// Moving epoch by whole weeks moves every time by as much.
func GenerateSessions(projectArn string, n int, seed int64, epoch time.Time) []devicefarm.TestGridSession {
	if n <= 0 {
		return []devicefarm.TestGridSession{}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	starts := runStarts(rng, epoch, min(max(n/seedSessionsPerRun, 1), seedMaxRuns))
	sizes := shareSessions(rng, n, len(starts)+1) // the last is the current run's
	out := make([]devicefarm.TestGridSession, 0, n)
	for i, start := range starts {
		out = appendRun(out, rng, projectArn, start, sizes[i], false, epoch)
	}
	out = appendRun(out, rng, projectArn, epoch, sizes[len(starts)], true, epoch)
	slices.SortFunc(out, func(a, b devicefarm.TestGridSession) int { return compareKeys(keyOf(a), keyOf(b)) })
	return out
}

// runStarts returns the start times of runs-1 past runs, in time order:
// chosen among a nightly slot every day and 2 to 5 daytime slots on
// weekdays, in the window, ending seedQuietBefore before epoch.
func runStarts(rng *rand.Rand, epoch time.Time, runs int) []time.Time {
	first := epoch.Add(-seedWindow).UTC()
	day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
	latest := epoch.Add(-seedQuietBefore - seedPerWorker*(seedMaxDuration+seedGapMax))
	var slots []time.Time
	for ; day.Before(epoch); day = day.AddDate(0, 0, 1) {
		offsets := []time.Duration{2*time.Hour + jitter(rng, 40*time.Minute)}
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			for range 2 + rng.IntN(4) {
				offsets = append(offsets, 8*time.Hour+jitter(rng, 11*time.Hour))
			}
		}
		for _, off := range offsets {
			if t := day.Add(off); !t.Before(first) && t.Before(latest) {
				slots = append(slots, t)
			}
		}
	}
	keep := min(runs-1, len(slots))
	chosen := make([]time.Time, 0, keep)
	for _, i := range rng.Perm(len(slots))[:keep] {
		chosen = append(chosen, slots[i])
	}
	slices.SortFunc(chosen, time.Time.Compare)
	return chosen
}

// jitter returns a duration in [0, d), to the millisecond.
func jitter(rng *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(rng.Int64N(d.Milliseconds())) * time.Millisecond
}

// shareSessions shares n sessions among runs runs, each getting at least
// one when n allows, the rest by random weights.
func shareSessions(rng *rand.Rand, n, runs int) []int {
	sizes := make([]int, runs)
	weights := make([]float64, runs)
	total := 0.0
	for i := range weights {
		weights[i] = 0.5 + rng.Float64()
		total += weights[i]
	}
	left := n
	for i := range sizes {
		if left > 0 {
			sizes[i], left = 1, left-1
		}
	}
	rest, given := left, 0
	for i, w := range weights {
		k := int(float64(rest) * w / total)
		sizes[i] += k
		given += k
	}
	for i := 0; given < rest; i = (i + 1) % runs {
		sizes[i]++
		given++
	}
	return sizes
}

// appendRun appends the size sessions of one run to out. A past run starts
// at start and its workers run forward; the current run (current) is laid
// out backwards from epoch, the last session of each worker still ACTIVE.
func appendRun(out []devicefarm.TestGridSession, rng *rand.Rand, projectArn string, start time.Time, size int, current bool, epoch time.Time) []devicefarm.TestGridSession {
	if size == 0 {
		return out
	}
	workers := min(size, max(2+rng.IntN(7), (size+seedPerWorker-1)/seedPerWorker))
	var burstFrom, burstTo int64 = 1, 0 // empty: no burst
	if current {
		start = epoch.Add(-20 * time.Minute)
	}
	if rng.Float64() < seedBadRunOdds {
		// From a little before the run's start to a little after.
		burstFrom = start.UnixMilli() - (seedBurstLength / 2).Milliseconds() + jitter(rng, seedBurstLength).Milliseconds()
		burstTo = burstFrom + seedBurstLength.Milliseconds()
	}
	for w := range workers {
		props := seleniumProperties(rng)
		count := size / workers
		if w < size%workers {
			count++
		}
		durs := make([]int64, count)
		gaps := make([]int64, count)
		for i := range durs {
			durs[i] = sessionDuration(rng)
			gaps[i] = seedGapMax.Milliseconds()/5 + rng.Int64N(seedGapMax.Milliseconds()*4/5)
		}
		// Creation times, forward from the run's start, or backward from
		// epoch for the current run.
		created := make([]int64, count)
		if current {
			t := epoch.UnixMilli() - 1 - rng.Int64N((12 * time.Minute).Milliseconds())
			for i := count - 1; i >= 0; i-- {
				created[i] = t
				if i > 0 {
					t -= gaps[i-1] + durs[i-1]
				}
			}
		} else {
			t := start.UnixMilli() + rng.Int64N((30 * time.Second).Milliseconds())
			for i := range created {
				created[i] = t
				t += durs[i] + gaps[i]
			}
		}
		for i := range count {
			var id [16]byte
			for j := range id {
				id[j] = byte(rng.Uint32())
			}
			odds := seedBaseErrorOdds
			if created[i] >= burstFrom && created[i] < burstTo {
				odds = seedBurstErrorOdds
			}
			errored := rng.Float64() < odds
			ss := devicefarm.TestGridSession{
				Arn:                sessionArn(projectArn, uuid.Format(id)),
				Status:             devicefarm.TestGridSessionStatusClosed,
				Created:            time.UnixMilli(created[i]).UTC(),
				SeleniumProperties: props,
			}
			switch {
			case current && i == count-1:
				ss.Status = devicefarm.TestGridSessionStatusActive
			default:
				dur := durs[i]
				if errored {
					ss.Status = devicefarm.TestGridSessionStatusErrored
					dur = max(seedMinDuration.Milliseconds(), dur/4)
				}
				ss.Ended = time.UnixMilli(created[i] + dur).UTC()
				ss.BillingMinutes = billingMinutes(dur)
			}
			out = append(out, ss)
		}
	}
	return out
}

// sessionDuration draws a duration in milliseconds: log-normal around
// seedMedianDuration, within seedMinDuration and seedMaxDuration.
func sessionDuration(rng *rand.Rand) int64 {
	d := float64(seedMedianDuration.Milliseconds()) * math.Exp(0.7*rng.NormFloat64())
	return int64(min(max(d, float64(seedMinDuration.Milliseconds())), float64(seedMaxDuration.Milliseconds())))
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
