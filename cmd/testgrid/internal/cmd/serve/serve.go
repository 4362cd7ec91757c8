package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// Settings of the served fake that have no flag.
const (
	// serveShutdownTimeout bounds the wait for requests in flight on stop.
	serveShutdownTimeout = 5 * time.Second
	// serveReadHeaderTimeout drops clients that never finish their headers.
	serveReadHeaderTimeout = 30 * time.Second
	// serveMaxHeaderBytes caps a request's headers (an AWS SDK sends
	// about 2 KiB).
	serveMaxHeaderBytes = 64 << 10
)

// Run runs "testgrid serve args..." until ctx ends (SIGINT or
// SIGTERM), and returns the exit code: 0 once stopped by ctx.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
	const cmd = "testgrid serve"
	o, err := NewOptions(args, e.Now())
	if code, end := cmdutil.HelpOrUsage(err, stdout, stderr, cmd, Usage); end {
		return code
	}
	driver, err := startGridDriver(o, stderr, cmd)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", cmd, safetext.OneLine(err.Error()))
		return cmdutil.ExitFailure
	}
	// Last: the fake has ended its sessions (which stops their browsers);
	// the driver's process group goes with whatever is left.
	defer driver.stop()
	o.driverURL = driver.url
	fake, initial, err := newServeFake(o)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", cmd, safetext.OneLine(err.Error()))
		return cmdutil.ExitUsage
	}
	defer fake.Close()
	driver.watch(ctx, fake, stderr, cmd)

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", cmd, safetext.OneLine(err.Error()))
		return cmdutil.ExitFailure
	}
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(stderr, "%s: notice: listening on %s, which is not a loopback address: anyone who can reach it can use the fake, and its control API has no authentication\n", cmd, addr)
	}

	control := &controlAPI{fake: fake, initial: initial, limits: o.limits, grid: driver}
	srv := newHTTPServer(serveHandler(fake, control, newRequestGuard(addr)), o.limits, log.New(stderr, cmd+": http: ", 0))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(newLimitListener(ln, o.limits.maxConns)) }()

	endpoint := "http://" + net.JoinHostPort(endpointHost(o.addr, addr.IP), strconv.Itoa(addr.Port))
	if err := writeReadyLine(stdout, o, endpoint, fake, driver.mode); err != nil {
		fmt.Fprintf(stderr, "%s: writing the ready line: %s\n", cmd, safetext.OneLine(err.Error()))
		stopServer(srv, fake)
		<-served
		return cmdutil.ExitFailure
	}
	fmt.Fprintf(stderr, "%s: fake Device Farm at %s (control API at %s%s/); Ctrl-C to stop\n", cmd, endpoint, endpoint, controlPrefix)

	select {
	case <-ctx.Done():
		stopServer(srv, fake)
		<-served
		fmt.Fprintf(stderr, "%s: stopped\n", cmd)
		return cmdutil.ExitOK
	case err := <-served:
		fake.Close()
		fmt.Fprintf(stderr, "%s: %s\n", cmd, safetext.OneLine(err.Error()))
		return cmdutil.ExitFailure
	}
}

// newHTTPServer returns the http.Server of serve: its timeouts and header
// cap from l.
func newHTTPServer(h http.Handler, l limits, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(serveReadHeaderTimeout, l.readTimeout),
		ReadTimeout:       l.readTimeout,
		WriteTimeout:      l.writeTimeout,
		IdleTimeout:       l.idleTimeout,
		MaxHeaderBytes:    serveMaxHeaderBytes,
		ErrorLog:          errorLog,
	}
}

// serveHandler sends control paths (see isControlPath) to control and
// every other request, path untouched, to the fake service, once g has
// checked its Origin and Host headers (see requestGuard).
func serveHandler(fake *devicefarmtest.Server, control http.Handler, g requestGuard) http.Handler {
	return g.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isControlPath(r.URL.Path) {
			control.ServeHTTP(w, r)
			return
		}
		fake.ServeHTTP(w, r)
	}))
}

// stopServer releases the fake's waiting handlers (hangs, latency), then
// lets requests in flight finish, for serveShutdownTimeout at most.
func stopServer(srv *http.Server, fake *devicefarmtest.Server) {
	fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
	defer cancel()
	if srv.Shutdown(ctx) != nil {
		_ = srv.Close()
	}
}

// serveData is the data of the command line (--load and --seed files),
// which serve loads at the start and a reset restores.
type serveData struct {
	projects []devicefarmtest.Project // "projects" of --load documents
	sessions []projectData
	data     []sessionData // "sessionData" of --load documents
}

// restore adds d to fake: projects, then sessions, then their actions and
// artifacts, which fails if their session is not among them.
func (d *serveData) restore(fake *devicefarmtest.Server) error {
	for _, p := range d.projects {
		fake.AddProject(p)
	}
	for _, p := range d.sessions {
		fake.AddProject(devicefarmtest.Project{Arn: p.arn})
		fake.AddSessions(p.arn, p.sessions...)
	}
	for i := range d.data {
		if err := d.data[i].add(fake); err != nil {
			return fmt.Errorf("sessionData: %w", err)
		}
	}
	return nil
}

// newServeFake builds the fake from the options (not listening: serve
// mounts its handler) and loads the command line's data, which it also
// returns for resets.
func newServeFake(o *Options) (*devicefarmtest.Server, *serveData, error) {
	initial := &serveData{}
	byProject := map[string]int{} // index in initial.sessions
	for _, name := range o.loads {
		f, err := loadSessionsFile(name)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range f.sessions {
			p, _ := projectOfSession(s.Arn) // checked by decodeSession
			i, ok := byProject[p]
			if !ok {
				i = len(initial.sessions)
				byProject[p] = i
				initial.sessions = append(initial.sessions, projectData{arn: p})
			}
			initial.sessions[i].sessions = append(initial.sessions[i].sessions, s)
		}
		initial.projects = append(initial.projects, f.projects...)
		initial.data = append(initial.data, f.data...)
	}
	for _, g := range o.seeds {
		initial.sessions = append(initial.sessions, projectData{arn: g.project, sessions: devicefarmtest.GenerateSessions(g.project, g.sessions, g.seed, o.epoch)})
	}

	fake := devicefarmtest.NewUnstartedServer(func(fo *devicefarmtest.Options) {
		fo.Region = o.region
		fo.AccessKeyID = o.accessKeyID
		fo.SecretAccessKey = o.secretAccessKey
		fo.SessionToken = o.sessionToken
		fo.AnyCredentials = o.anyCredentials
		fo.DefaultPageSize = o.pageSize
		fo.Latency = o.latency
		fo.Epoch = o.epoch
		fo.RequestLogLimit = o.limits.requestLog
		fo.RequestLogBytes = o.limits.requestLogBytes
		fo.WebDriverURL = o.driverURL
		fo.MaxSessions = o.maxSessions
		fo.IdleTimeout = o.idleTimeout
		fo.SessionCreateRate = o.sessionRate
		fo.URLCreateRate = o.urlRate
	})
	if err := initial.restore(fake); err != nil {
		fake.Close()
		return nil, nil, err
	}
	return fake, initial, nil
}

// endpointHost is the host clients should use for a listener asked for
// at addr and bound to ip: a loopback address for the unspecified ones
// (":PORT", 0.0.0.0, ::, which a dual-stack system reports as ::), else
// the address bound.
func endpointHost(addr string, ip net.IP) string {
	host, _, _ := net.SplitHostPort(addr)
	switch host {
	case "", "0.0.0.0":
		return "127.0.0.1"
	case "::":
		return "::1"
	}
	if ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return ip.String()
}

// readyLine is the one line serve prints on stdout once it listens: where
// it is and which credentials it accepts. The credentials are the fake's
// own (test keys, or dummies the user chose), printed by design.
type readyLine struct {
	Endpoint        string        `json:"endpoint"`
	Control         string        `json:"control"`
	Region          string        `json:"region"`
	AccessKeyID     string        `json:"accessKeyId"`
	SecretAccessKey string        `json:"secretAccessKey"`
	SessionToken    string        `json:"sessionToken,omitempty"`
	AnyCredentials  bool          `json:"anyCredentials"`
	Epoch           string        `json:"epoch"`
	PageSize        int           `json:"pageSize"`
	Projects        []projectJSON `json:"projects"`
	// Grid says what runs WebDriver sessions: "chromedriver" (started by
	// serve), "external" (--webdriver) or "off".
	Grid string `json:"grid"`
}

func writeReadyLine(w io.Writer, o *Options, endpoint string, fake *devicefarmtest.Server, grid string) error {
	projects := []projectJSON{}
	for _, p := range fake.Projects() {
		projects = append(projects, projectJSON{Arn: p.Arn, Sessions: p.Sessions})
	}
	b, err := json.Marshal(readyLine{
		Endpoint:        endpoint,
		Control:         endpoint + controlPrefix,
		Region:          o.region,
		AccessKeyID:     o.accessKeyID,
		SecretAccessKey: o.secretAccessKey,
		SessionToken:    o.sessionToken,
		AnyCredentials:  o.anyCredentials,
		Epoch:           o.epoch.Format(time.RFC3339Nano),
		PageSize:        o.pageSize,
		Projects:        projects,
		Grid:            grid,
	})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
