package watch

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/testgridkit/devicefarm"
)

// metrics are the Prometheus metrics of one watch, each labelled with its
// project, in a registry of their own (no process or Go runtime metrics).
type metrics struct {
	reg         *prometheus.Registry
	active      prometheus.Gauge
	started     prometheus.Counter
	endedBy     *prometheus.CounterVec
	billing     prometheus.Counter
	pollErrors  prometheus.Counter
	lastSuccess prometheus.Gauge
}

const metricsNamespace = "devicefarm_testgrid"

func newMetrics(project string) *metrics {
	labels := prometheus.Labels{"project": project}
	opts := func(name, help string) prometheus.Opts {
		return prometheus.Opts{Namespace: metricsNamespace, Name: name, Help: help, ConstLabels: labels}
	}
	m := &metrics{
		reg:     prometheus.NewRegistry(),
		active:  prometheus.NewGauge(prometheus.GaugeOpts(opts("active_sessions", "Sessions started and not yet ended, as the watch has seen them."))),
		started: prometheus.NewCounter(prometheus.CounterOpts(opts("sessions_started_total", "Sessions seen starting."))),
		endedBy: prometheus.NewCounterVec(prometheus.CounterOpts(opts("sessions_ended_total", "Sessions seen ending, by final status.")), []string{"status"}),
		billing: prometheus.NewCounter(prometheus.CounterOpts(opts("billing_minutes_total", "Billing minutes of the sessions seen ending."))),
		pollErrors: prometheus.NewCounter(prometheus.CounterOpts(opts("poll_errors_total",
			"Polls that failed (each is tried again after a growing wait)."))),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts(opts("last_poll_success_timestamp_seconds",
			"Unix time at which the last successful poll ended; 0 before the first."))),
	}
	for _, status := range []devicefarm.TestGridSessionStatus{devicefarm.TestGridSessionStatusClosed, devicefarm.TestGridSessionStatusErrored} {
		m.endedBy.WithLabelValues(string(status)) // shown at 0 from the start
	}
	m.reg.MustRegister(m.active, m.started, m.endedBy, m.billing, m.pollErrors, m.lastSuccess)
	return m
}

// ended counts a session seen ending.
func (m *metrics) ended(s devicefarm.TestGridSession) {
	m.endedBy.WithLabelValues(string(s.Status)).Inc()
	if b := s.BillingMinutes; b > 0 && !math.IsInf(b, 0) && !math.IsNaN(b) {
		m.billing.Add(b)
	}
}

// serve serves the metrics at http://addr/metrics until stop, and returns
// the address it listens on (addr with a port 0 resolved).
func (m *metrics) serve(addr string) (stop func(), listening string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // http.ErrServerClosed once stopped
	}()
	return func() {
		_ = srv.Close()
		<-done
	}, ln.Addr().String(), nil
}
