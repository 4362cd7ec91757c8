package serve

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// Options is the validated command line of "testgrid serve".
type Options struct {
	addr            string
	region          string
	accessKeyID     string
	secretAccessKey string
	sessionToken    string
	anyCredentials  bool
	seeds           []projectSeed // --project/--sessions/--seed groups, in order
	loads           []string      // --load files, in order
	pageSize        int
	latency         time.Duration
	epoch           time.Time
	webdriver       string        // --webdriver URL, or ""
	chromedriver    string        // --chromedriver PATH, or noChromedriver
	maxSessions     int           // --max-sessions
	idleTimeout     time.Duration // --idle-timeout
	sessionRate     int           // --session-rate: sessions created per second, 0 = no cap
	urlRate         int           // --url-rate: CreateTestGridUrl calls per second, 0 = no cap
	quotas          bool          // --quotas: Device Farm's rates for those not given
	driverURL       string        // the WebDriver server in use, set by Run
	limits          limits
}

// limits are the bounds of "testgrid serve" against a client that sends
// too much: memory the requests can fill, time a connection can hold.
type limits struct {
	requestLog      int           // --request-log: entries kept
	requestLogBytes int           // --request-log-mb, in bytes
	maxSessions     int           // --max-stored-sessions: held in total, for the control API
	maxFaults       int           // --max-faults: requests the queued faults may fail
	maxConns        int           // --max-conns: open connections
	readTimeout     time.Duration // --read-timeout: a whole request, body included
	writeTimeout    time.Duration // --write-timeout: a response
	idleTimeout     time.Duration // --conn-idle-timeout: a keep-alive connection between requests
}

// Defaults of the limits: a laptop does not notice them at their fullest.
var defaultLimits = limits{
	requestLog:      10_000,
	requestLogBytes: 32 << 20,
	maxSessions:     1_000_000,
	maxFaults:       100_000,
	maxConns:        512,
	readTimeout:     time.Minute,
	writeTimeout:    maxFaultDelay + 2*time.Minute, // past the longest fault delay and --latency's cap
	idleTimeout:     2 * time.Minute,
}

// projectSeed is one --project ARN [--sessions N] [--seed S] group.
type projectSeed struct {
	project  string
	sessions int
	seed     int64

	sessionsSet, seedSet bool
}

// Limits of the command line.
const (
	maxSeedSessions  = 1_000_000
	defaultServeSeed = 1
	defaultServeAddr = "127.0.0.1:0"
	maxGridSessions  = 1000
	maxCreateRate    = 1_000_000
)

// NewOptions parses and validates the arguments of "testgrid serve".
// now anchors --epoch. It returns flag.ErrHelp when help was asked for, and
// a *cmdutil.UsageError for anything wrong.
func NewOptions(args []string, now time.Time) (*Options, error) {
	o := Options{
		addr:            defaultServeAddr,
		region:          devicefarmtest.DefaultRegion,
		accessKeyID:     devicefarmtest.DefaultAccessKeyID,
		secretAccessKey: devicefarmtest.DefaultSecretAccessKey,
		pageSize:        devicefarmtest.DefaultPageSize,
		chromedriver:    chromedriver.DefaultPath,
		maxSessions:     devicefarmtest.DefaultMaxSessions,
		idleTimeout:     devicefarmtest.DefaultIdleTimeout,
		limits:          defaultLimits,
	}
	var epoch string
	set, err := cmdutil.ParseFlags(serveFlagSet(&o, &epoch), args)
	if err != nil {
		return nil, err
	}

	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return nil, cmdutil.Usagef("--addr %q is not HOST:PORT (such as 127.0.0.1:0 for a free port)", o.addr)
	}
	for _, f := range []struct {
		name  string
		value string
	}{{"region", o.region}, {"access-key-id", o.accessKeyID}, {"secret-access-key", o.secretAccessKey}} {
		if strings.TrimSpace(f.value) == "" {
			return nil, cmdutil.Usagef("--%s is empty", f.name)
		}
	}
	if o.pageSize < 1 || o.pageSize > 1000 {
		return nil, cmdutil.Usagef("--page-size %d is out of range: it must be 1 to 1000", o.pageSize)
	}
	if o.webdriver != "" {
		if err := checkWebDriverURL(o.webdriver); err != nil {
			return nil, cmdutil.Usagef("--webdriver %q: %v", o.webdriver, err)
		}
	}
	if strings.TrimSpace(o.chromedriver) == "" {
		return nil, cmdutil.Usagef("--chromedriver is empty (use --chromedriver %s to turn the test grid off)", noChromedriver)
	}
	if o.maxSessions < 1 || o.maxSessions > maxGridSessions {
		return nil, cmdutil.Usagef("--max-sessions %d is out of range: it must be 1 to %d", o.maxSessions, maxGridSessions)
	}
	if o.quotas {
		// Device Farm's quotas, for the rates not given.
		if !set["session-rate"] {
			o.sessionRate = devicefarmtest.QuotaSessionCreateRate
		}
		if !set["url-rate"] {
			o.urlRate = devicefarmtest.QuotaURLCreateRate
		}
	}
	for _, r := range []struct {
		name string
		v    int
	}{{"session-rate", o.sessionRate}, {"url-rate", o.urlRate}} {
		if r.v < 0 || r.v > maxCreateRate {
			return nil, cmdutil.Usagef("--%s %d is out of range: it must be 0 (no cap) to %d", r.name, r.v, maxCreateRate)
		}
	}
	if o.idleTimeout < time.Second {
		return nil, cmdutil.Usagef("--idle-timeout %s is too short: it must be at least 1s", o.idleTimeout)
	}
	if o.latency < 0 || o.latency > maxFaultDelay {
		return nil, cmdutil.Usagef("--latency %s is out of range: it must be 0s to %s", o.latency, maxFaultDelay)
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"request-log", o.limits.requestLog}, {"request-log-mb", o.limits.requestLogBytes >> 20}, {"max-stored-sessions", o.limits.maxSessions}, {"max-faults", o.limits.maxFaults}, {"max-conns", o.limits.maxConns}} {
		if n.v < 1 {
			return nil, cmdutil.Usagef("--%s %d is out of range: it must be at least 1", n.name, n.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read-timeout", o.limits.readTimeout}, {"write-timeout", o.limits.writeTimeout}, {"conn-idle-timeout", o.limits.idleTimeout}} {
		if d.v <= 0 {
			return nil, cmdutil.Usagef("--%s %s is out of range: it must be positive", d.name, d.v)
		}
	}
	o.epoch = now.UTC().Truncate(time.Second)
	if set["epoch"] {
		t, err := cmdutil.ParseTime(epoch, now)
		if err != nil {
			return nil, cmdutil.Usagef("--epoch: %v", err)
		}
		o.epoch = t.UTC()
	}
	return &o, nil
}

// serveFlagSet defines the flags of "testgrid serve", storing into o and
// epoch (the text of --epoch, validated by parseServeArgs). The help text
// is Usage.
func serveFlagSet(o *Options, epoch *string) *flag.FlagSet {
	fs := cmdutil.NewFlagSet("testgrid serve")
	fs.StringVar(&o.addr, "addr", o.addr, "")
	fs.StringVar(&o.region, "region", o.region, "")
	fs.StringVar(&o.accessKeyID, "access-key-id", o.accessKeyID, "")
	fs.StringVar(&o.secretAccessKey, "secret-access-key", o.secretAccessKey, "")
	fs.StringVar(&o.sessionToken, "session-token", "", "")
	fs.BoolVar(&o.anyCredentials, "any-credentials", false, "")
	fs.Func("project", "", func(v string) error {
		v = strings.TrimSpace(v)
		if err := cmdutil.CheckProjectArn(v); err != nil {
			return err
		}
		o.seeds = append(o.seeds, projectSeed{project: v, seed: defaultServeSeed})
		return nil
	})
	fs.Func("sessions", "", func(v string) error {
		g, err := currentSeed(o.seeds, "sessions", func(g *projectSeed) *bool { return &g.sessionsSet })
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxSeedSessions {
			return fmt.Errorf("%q is not a number of sessions from 0 to %d", v, maxSeedSessions)
		}
		g.sessions = n
		return nil
	})
	fs.Func("seed", "", func(v string) error {
		g, err := currentSeed(o.seeds, "seed", func(g *projectSeed) *bool { return &g.seedSet })
		if err != nil {
			return err
		}
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not an integer", v)
		}
		g.seed = s
		return nil
	})
	fs.Func("load", "", func(v string) error {
		if v == "" {
			return errors.New("empty file name")
		}
		o.loads = append(o.loads, v)
		return nil
	})
	fs.IntVar(&o.pageSize, "page-size", o.pageSize, "")
	fs.DurationVar(&o.latency, "latency", 0, "")
	fs.StringVar(epoch, "epoch", "", "")
	fs.StringVar(&o.webdriver, "webdriver", "", "")
	fs.StringVar(&o.chromedriver, "chromedriver", o.chromedriver, "")
	fs.IntVar(&o.maxSessions, "max-sessions", o.maxSessions, "")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", o.idleTimeout, "")
	fs.IntVar(&o.sessionRate, "session-rate", 0, "")
	fs.IntVar(&o.urlRate, "url-rate", 0, "")
	fs.BoolVar(&o.quotas, "quotas", false, "")
	fs.IntVar(&o.limits.requestLog, "request-log", o.limits.requestLog, "")
	fs.Func("request-log-mb", "", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1<<20 {
			return fmt.Errorf("%q is not a number of MiB from 1 to %d", v, 1<<20)
		}
		o.limits.requestLogBytes = n << 20
		return nil
	})
	fs.IntVar(&o.limits.maxSessions, "max-stored-sessions", o.limits.maxSessions, "")
	fs.IntVar(&o.limits.maxFaults, "max-faults", o.limits.maxFaults, "")
	fs.IntVar(&o.limits.maxConns, "max-conns", o.limits.maxConns, "")
	fs.DurationVar(&o.limits.readTimeout, "read-timeout", o.limits.readTimeout, "")
	fs.DurationVar(&o.limits.writeTimeout, "write-timeout", o.limits.writeTimeout, "")
	fs.DurationVar(&o.limits.idleTimeout, "conn-idle-timeout", o.limits.idleTimeout, "")
	return fs
}

// currentSeed returns the group of the last --project, for a --name flag
// that qualifies it, refusing a flag before any --project or given twice.
func currentSeed(seeds []projectSeed, name string, flagSet func(*projectSeed) *bool) (*projectSeed, error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("--%s must follow the --project it applies to", name)
	}
	g := &seeds[len(seeds)-1]
	if *flagSet(g) {
		return nil, fmt.Errorf("--%s given twice for --project %s", name, g.project)
	}
	*flagSet(g) = true
	return g, nil
}
