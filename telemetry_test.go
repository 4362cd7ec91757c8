package devicefarm

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/tracing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a smithy TracerProvider and MeterProvider that records spans
// (name, kind, parent, properties, status) and metric data points (name and
// properties).
type recorder struct {
	mu     sync.Mutex
	scopes []string
	spans  []*recordedSpan
	points []recordedPoint
}

type recordedSpan struct {
	r      *recorder
	name   string
	kind   tracing.SpanKind
	parent *recordedSpan
	props  map[any]any
	status tracing.SpanStatus
	ended  bool
}

type recordedPoint struct {
	name  string
	props map[any]any
}

type spanKey struct{}

func (r *recorder) Tracer(scope string, _ ...tracing.TracerOption) tracing.Tracer {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scopes = append(r.scopes, "tracer "+scope)
	return recordingTracer{r}
}

type recordingTracer struct{ r *recorder }

func (t recordingTracer) StartSpan(ctx context.Context, name string, opts ...tracing.SpanOption) (context.Context, tracing.Span) {
	var o tracing.SpanOptions
	for _, fn := range opts {
		fn(&o)
	}
	parent, _ := ctx.Value(spanKey{}).(*recordedSpan)
	s := &recordedSpan{r: t.r, name: name, kind: o.Kind, parent: parent, props: o.Properties.Values()}
	if s.props == nil {
		s.props = map[any]any{}
	}
	t.r.mu.Lock()
	t.r.spans = append(t.r.spans, s)
	t.r.mu.Unlock()
	return context.WithValue(ctx, spanKey{}, s), s
}

func (s *recordedSpan) Name() string                            { return s.name }
func (s *recordedSpan) Context() tracing.SpanContext            { return tracing.SpanContext{} }
func (s *recordedSpan) AddEvent(string, ...tracing.EventOption) {}
func (s *recordedSpan) SetProperty(k, v any) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.props[k] = v
}
func (s *recordedSpan) SetStatus(st tracing.SpanStatus) { s.status = st }
func (s *recordedSpan) End()                            { s.ended = true }

func (r *recorder) Meter(scope string, _ ...metrics.MeterOption) metrics.Meter {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scopes = append(r.scopes, "meter "+scope)
	return recordingMeter{r: r}
}

// recordingMeter records the four synchronous instruments the client uses;
// the embedded no-op Meter answers the rest.
type recordingMeter struct {
	metrics.Meter
	r *recorder
}

type recordingInstrument struct {
	r    *recorder
	name string
}

func (m recordingMeter) Int64Counter(name string, _ ...metrics.InstrumentOption) (metrics.Int64Counter, error) {
	return recordingInstrument{m.r, name}, nil
}

func (m recordingMeter) Float64Histogram(name string, _ ...metrics.InstrumentOption) (metrics.Float64Histogram, error) {
	return recordingInstrument{m.r, name}, nil
}

func (i recordingInstrument) Add(_ context.Context, _ int64, opts ...metrics.RecordMetricOption) {
	i.record(opts)
}

func (i recordingInstrument) Record(_ context.Context, _ float64, opts ...metrics.RecordMetricOption) {
	i.record(opts)
}

func (i recordingInstrument) record(opts []metrics.RecordMetricOption) {
	var o metrics.RecordMetricOptions
	for _, fn := range opts {
		fn(&o)
	}
	i.r.mu.Lock()
	defer i.r.mu.Unlock()
	i.r.points = append(i.r.points, recordedPoint{name: i.name, props: o.Properties.Values()})
}

func (r *recorder) spanNamed(t *testing.T, name string) []*recordedSpan {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*recordedSpan
	for _, s := range r.spans {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

func (r *recorder) pointsNamed(name string) []recordedPoint {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recordedPoint
	for _, p := range r.points {
		if p.name == name {
			out = append(out, p)
		}
	}
	return out
}

func TestTelemetry_SpansAndMetricsLikeTheOfficialClient(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	var calls atomic.Int32
	_, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if calls.Add(1) == 1 { // one throttle, then a not-found
			respond(w, 400, []byte(`{"__type":"ThrottlingException","message":"slow"}`), "X-Amzn-RequestId", "rid-t")
			return
		}
		respond(w, 400, []byte(`{"__type":"NotFoundException","message":"no such project"}`), "X-Amzn-RequestId", "rid-nf")
	}, func(o *Options) {
		o.TracerProvider = rec
		o.MeterProvider = rec
	})
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.Error(t, err)
	assert.Equal(t, []string{"tracer " + instrumentationScope, "meter " + instrumentationScope}, rec.scopes)

	ops := rec.spanNamed(t, "Device Farm.ListTestGridSessions")
	require.Len(t, ops, 1)
	op := ops[0]
	assert.Nil(t, op.parent)
	assert.Equal(t, tracing.SpanKindClient, op.kind)
	assert.True(t, op.ended)
	assert.Equal(t, tracing.SpanStatusError, op.status)
	assert.Equal(t, map[any]any{
		"rpc.system":        "aws-api",
		"rpc.method":        "ListTestGridSessions",
		"rpc.service":       "Device Farm",
		"exception.type":    "*http.ResponseError",
		"exception.message": "https response error StatusCode: 400, RequestID: rid-nf, NotFoundException: no such project",
		"api.error_code":    "NotFoundException",
		"api.error_message": "no such project",
		"api.error_fault":   smithy.FaultClient.String(),
		"error":             true,
	}, op.props)

	loops := rec.spanNamed(t, "RetryLoop")
	require.Len(t, loops, 1)
	assert.Same(t, op, loops[0].parent)
	assert.True(t, loops[0].ended)
	attempts := rec.spanNamed(t, "Attempt")
	require.Len(t, attempts, 2)
	for i, a := range attempts {
		assert.Same(t, loops[0], a.parent)
		assert.Equal(t, map[any]any{"operation.attempt": i + 1}, a.props)
		assert.True(t, a.ended)
	}

	operation := map[any]any{"rpc.service": "Device Farm", "rpc.method": "ListTestGridSessions"}
	assert.Equal(t, []recordedPoint{{"client.call.duration", operation}}, rec.pointsNamed("client.call.duration"))
	assert.Equal(t, []recordedPoint{{"client.call.attempts", operation}, {"client.call.attempts", operation}}, rec.pointsNamed("client.call.attempts"))
	assert.Len(t, rec.pointsNamed("client.call.attempt_duration"), 2)
	assert.Equal(t, []recordedPoint{
		{"client.call.errors", map[any]any{"rpc.service": "Device Farm", "rpc.method": "ListTestGridSessions", "exception.type": "ThrottlingException"}},
		{"client.call.errors", map[any]any{"rpc.service": "Device Farm", "rpc.method": "ListTestGridSessions", "exception.type": "NotFoundException"}},
	}, rec.pointsNamed("client.call.errors"))

	// A successful call: status OK, error false, no exception properties.
	rec2 := &recorder{}
	_, c2 := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 200, []byte(`{"testGridSessions":[]}`))
	}, func(o *Options) { o.TracerProvider = rec2 })
	_, err = c2.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	ops = rec2.spanNamed(t, "Device Farm.ListTestGridSessions")
	require.Len(t, ops, 1)
	assert.Equal(t, tracing.SpanStatusOK, ops[0].status)
	assert.Equal(t, false, ops[0].props["error"])
	assert.NotContains(t, ops[0].props, "exception.type")
}

// Unset and no-op providers resolve to nothing, so a call makes no tracing
// or metrics calls at all (budget_test.go holds the allocation counts).
func TestTelemetry_UnsetOrNopCostsNothing(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{
		{},
		{TracerProvider: tracing.NopTracerProvider{}, MeterProvider: metrics.NopMeterProvider{}},
		{TracerProvider: &tracing.NopTracerProvider{}, MeterProvider: &metrics.NopMeterProvider{}},
	} {
		tel, err := newTelemetry(&o)
		require.NoError(t, err)
		assert.Nil(t, tel.tracer)
		assert.Nil(t, tel.meter)
		ctx := context.Background()
		got, end := tel.startOperation(ctx)
		assert.Equal(t, ctx, got)
		assert.Nil(t, end)
	}
}

// Per-call options that keep the providers reuse the Client's instruments;
// options that change them get their own.
func TestTelemetry_PerCallOptionsReuseInstruments(t *testing.T) {
	t.Parallel()
	rec, other := &recorder{}, &recorder{}
	_, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 200, []byte(`{"testGridSessions":[]}`))
	}, func(o *Options) {
		o.TracerProvider = rec
		o.MeterProvider = rec
	})
	in := &ListTestGridSessionsInput{ProjectArn: testProjectArn}
	for range 3 {
		_, err := c.ListTestGridSessions(context.Background(), in, func(o *Options) { o.RetryMaxAttempts = 5 })
		require.NoError(t, err)
	}
	assert.Len(t, rec.scopes, 2, "tracer and meter were made once, by New")
	assert.Len(t, rec.spanNamed(t, "Device Farm.ListTestGridSessions"), 3)

	_, err := c.ListTestGridSessions(context.Background(), in, func(o *Options) { o.MeterProvider = other })
	require.NoError(t, err)
	assert.Equal(t, []string{"meter " + instrumentationScope}, other.scopes, "a new provider gets its own instruments")
	assert.Len(t, other.pointsNamed("client.call.duration"), 1)
}
