package compat_test

import (
	"context"
	"slices"
	"sync"

	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/tracing"
)

// recorder is a smithy-go tracing.TracerProvider and metrics.MeterProvider
// that keeps everything it is told: the scopes asked for, every span (name,
// kind, parent, start and later properties, status, ended) and every
// instrument and measurement (name, kind, unit, value, properties). One
// recorder observes one client; it is safe for concurrent use.
type recorder struct {
	mu           sync.Mutex
	tracerScopes []string
	meterScopes  []string
	spans        []*recSpan
	instruments  map[string]instrumentInfo
	records      []metricRecord
}

var (
	_ tracing.TracerProvider = (*recorder)(nil)
	_ metrics.MeterProvider  = (*recorder)(nil)
)

func newRecorder() *recorder {
	return &recorder{instruments: make(map[string]instrumentInfo)}
}

// Tracer implements tracing.TracerProvider.
func (r *recorder) Tracer(scope string, _ ...tracing.TracerOption) tracing.Tracer {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tracerScopes = append(r.tracerScopes, scope)
	return &recTracer{rec: r, scope: scope}
}

// Meter implements metrics.MeterProvider.
func (r *recorder) Meter(scope string, _ ...metrics.MeterOption) metrics.Meter {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.meterScopes = append(r.meterScopes, scope)
	return &recMeter{rec: r, scope: scope}
}

type recTracer struct {
	rec   *recorder
	scope string
}

// StartSpan records a span whose parent is the span ctx carries (smithy-go's
// span lineage, which tracing.GetSpan reads), and returns ctx with the new
// span pushed onto that lineage, as a real adapter does, so middlewares that
// call tracing.GetSpan find it.
func (t *recTracer) StartSpan(ctx context.Context, name string, opts ...tracing.SpanOption) (context.Context, tracing.Span) {
	var o tracing.SpanOptions
	for _, fn := range opts {
		fn(&o)
	}
	s := &recSpan{
		rec:   t.rec,
		scope: t.scope,
		name:  name,
		kind:  o.Kind,
		start: o.Properties.Values(),
		props: map[any]any{},
	}
	if p, ok := tracing.GetSpan(ctx); ok {
		if ps, ok := p.(*recSpan); ok && ps.rec == t.rec {
			s.parent = ps
		}
	}
	t.rec.mu.Lock()
	t.rec.spans = append(t.rec.spans, s)
	t.rec.mu.Unlock()
	return tracing.WithSpan(ctx, s), s
}

// recSpan is one recorded span. Read its fields only after the call that
// produced it has returned.
type recSpan struct {
	rec    *recorder
	scope  string
	name   string
	kind   tracing.SpanKind
	parent *recSpan
	start  map[any]any // properties given to StartSpan
	props  map[any]any // properties set with SetProperty
	events []string
	status tracing.SpanStatus
	ended  int // number of End calls
}

func (s *recSpan) Name() string { return s.name }

func (s *recSpan) Context() tracing.SpanContext { return tracing.SpanContext{} }

func (s *recSpan) AddEvent(name string, _ ...tracing.EventOption) {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.events = append(s.events, name)
}

func (s *recSpan) SetStatus(status tracing.SpanStatus) {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.status = status
}

func (s *recSpan) SetProperty(k, v any) {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.props[k] = v
}

func (s *recSpan) End() {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.ended++
}

// parentName is the parent span's name, "" for a root span.
func (s *recSpan) parentName() string {
	if s.parent == nil {
		return ""
	}
	return s.parent.name
}

// spansNamed returns the recorded spans called name, in start order.
func (r *recorder) spansNamed(name string) []*recSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*recSpan
	for _, s := range r.spans {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

// roots returns the spans without a parent.
func (r *recorder) roots() []*recSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*recSpan
	for _, s := range r.spans {
		if s.parent == nil {
			out = append(out, s)
		}
	}
	return out
}

// spanNames returns the distinct span names, sorted.
func (r *recorder) spanNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for _, s := range r.spans {
		names = append(names, s.name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// allSpans returns a snapshot of the recorded spans.
func (r *recorder) allSpans() []*recSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.spans)
}

// instrumentInfo is how an instrument was created.
type instrumentInfo struct {
	scope string
	kind  string // the smithy-go method that created it, e.g. "Float64Histogram"
	unit  string
}

// metricRecord is one measurement.
type metricRecord struct {
	scope string
	name  string
	value float64
	props map[any]any
}

// recordsNamed returns the measurements of the instrument called name.
func (r *recorder) recordsNamed(name string) []metricRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []metricRecord
	for _, m := range r.records {
		if m.name == name {
			out = append(out, m)
		}
	}
	return out
}

// recordedMetricNames returns the distinct names of instruments that
// recorded at least one measurement, sorted.
func (r *recorder) recordedMetricNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for _, m := range r.records {
		names = append(names, m.name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// instrument returns how the instrument called name was created.
func (r *recorder) instrument(name string) (instrumentInfo, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	info, ok := r.instruments[name]
	return info, ok
}

func (r *recorder) add(scope, name string, v float64, opts []metrics.RecordMetricOption) {
	var o metrics.RecordMetricOptions
	for _, fn := range opts {
		fn(&o)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, metricRecord{scope: scope, name: name, value: v, props: o.Properties.Values()})
}

type recMeter struct {
	rec   *recorder
	scope string
}

func (m *recMeter) create(kind, name string, opts []metrics.InstrumentOption) *recInstrument {
	var o metrics.InstrumentOptions
	for _, fn := range opts {
		fn(&o)
	}
	m.rec.mu.Lock()
	m.rec.instruments[name] = instrumentInfo{scope: m.scope, kind: kind, unit: o.UnitLabel}
	m.rec.mu.Unlock()
	return &recInstrument{rec: m.rec, scope: m.scope, name: name}
}

func (m *recMeter) Int64Counter(name string, opts ...metrics.InstrumentOption) (metrics.Int64Counter, error) {
	return int64Instrument{m.create("Int64Counter", name, opts)}, nil
}

func (m *recMeter) Int64UpDownCounter(name string, opts ...metrics.InstrumentOption) (metrics.Int64UpDownCounter, error) {
	return int64Instrument{m.create("Int64UpDownCounter", name, opts)}, nil
}

func (m *recMeter) Int64Gauge(name string, opts ...metrics.InstrumentOption) (metrics.Int64Gauge, error) {
	return int64Instrument{m.create("Int64Gauge", name, opts)}, nil
}

func (m *recMeter) Int64Histogram(name string, opts ...metrics.InstrumentOption) (metrics.Int64Histogram, error) {
	return int64Instrument{m.create("Int64Histogram", name, opts)}, nil
}

func (m *recMeter) Int64AsyncCounter(name string, _ metrics.Int64Callback, opts ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	m.create("Int64AsyncCounter", name, opts)
	return asyncInstrument{}, nil
}

func (m *recMeter) Int64AsyncUpDownCounter(name string, _ metrics.Int64Callback, opts ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	m.create("Int64AsyncUpDownCounter", name, opts)
	return asyncInstrument{}, nil
}

func (m *recMeter) Int64AsyncGauge(name string, _ metrics.Int64Callback, opts ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	m.create("Int64AsyncGauge", name, opts)
	return asyncInstrument{}, nil
}

func (m *recMeter) Float64Counter(name string, opts ...metrics.InstrumentOption) (metrics.Float64Counter, error) {
	return float64Instrument{m.create("Float64Counter", name, opts)}, nil
}

func (m *recMeter) Float64UpDownCounter(name string, opts ...metrics.InstrumentOption) (metrics.Float64UpDownCounter, error) {
	return float64Instrument{m.create("Float64UpDownCounter", name, opts)}, nil
}

func (m *recMeter) Float64Gauge(name string, opts ...metrics.InstrumentOption) (metrics.Float64Gauge, error) {
	return float64Instrument{m.create("Float64Gauge", name, opts)}, nil
}

func (m *recMeter) Float64Histogram(name string, opts ...metrics.InstrumentOption) (metrics.Float64Histogram, error) {
	return float64Instrument{m.create("Float64Histogram", name, opts)}, nil
}

func (m *recMeter) Float64AsyncCounter(name string, _ metrics.Float64Callback, opts ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	m.create("Float64AsyncCounter", name, opts)
	return asyncInstrument{}, nil
}

func (m *recMeter) Float64AsyncUpDownCounter(name string, _ metrics.Float64Callback, opts ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	m.create("Float64AsyncUpDownCounter", name, opts)
	return asyncInstrument{}, nil
}

func (m *recMeter) Float64AsyncGauge(name string, _ metrics.Float64Callback, opts ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	m.create("Float64AsyncGauge", name, opts)
	return asyncInstrument{}, nil
}

// recInstrument is a created instrument; int64Instrument and
// float64Instrument give it the Add, Record and Sample methods of each
// value type.
type recInstrument struct {
	rec   *recorder
	scope string
	name  string
}

type int64Instrument struct{ *recInstrument }

func (i int64Instrument) Add(_ context.Context, v int64, opts ...metrics.RecordMetricOption) {
	i.rec.add(i.scope, i.name, float64(v), opts)
}

func (i int64Instrument) Record(_ context.Context, v int64, opts ...metrics.RecordMetricOption) {
	i.rec.add(i.scope, i.name, float64(v), opts)
}

func (i int64Instrument) Sample(_ context.Context, v int64, opts ...metrics.RecordMetricOption) {
	i.rec.add(i.scope, i.name, float64(v), opts)
}

type float64Instrument struct{ *recInstrument }

func (i float64Instrument) Add(_ context.Context, v float64, opts ...metrics.RecordMetricOption) {
	i.rec.add(i.scope, i.name, v, opts)
}

func (i float64Instrument) Record(_ context.Context, v float64, opts ...metrics.RecordMetricOption) {
	i.rec.add(i.scope, i.name, v, opts)
}

func (i float64Instrument) Sample(_ context.Context, v float64, opts ...metrics.RecordMetricOption) {
	i.rec.add(i.scope, i.name, v, opts)
}

type asyncInstrument struct{}

func (asyncInstrument) Stop() {}
