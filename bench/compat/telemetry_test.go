package compat_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/smithy-go/tracing"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

const (
	operationSpan = "Device Farm.ListTestGridSessions"
	officialScope = "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	ourScope      = "github.com/testgridkit/devicefarm"
)

// callMetrics are the metrics both clients must record, by the official
// names.
var callMetrics = []string{"client.call.duration", "client.call.attempts", "client.call.errors", "client.call.attempt_duration"}

// telemetryScenario is one call made with each client under recorders.
type telemetryScenario struct {
	name       string
	projectArn string
	faults     []devicefarmtest.Fault
	wantErr    bool
	// attempts are the operation.attempt values of the Attempt spans.
	attempts []any
}

var telemetryScenarios = []telemetryScenario{
	{name: "success", projectArn: project, attempts: []any{1}},
	{name: "NotFoundException", projectArn: unknownProject, wantErr: true, attempts: []any{1}},
	{name: "retried once after a throttle", projectArn: project, faults: []devicefarmtest.Fault{devicefarmtest.Throttling()}, attempts: []any{1, 2}},
}

// telemetryRun is what one scenario produced with each client.
type telemetryRun struct {
	off, ours      *recorder
	offErr, ourErr error
	offRID, ourRID string // request IDs of the errors, if any
}

// runTelemetry makes the scenario's call with the official client and with
// ours, each with its own recorder as TracerProvider and MeterProvider.
func runTelemetry(t *testing.T, srv *devicefarmtest.Server, sc telemetryScenario) telemetryRun {
	t.Helper()
	ctx := context.Background()
	r := telemetryRun{off: newRecorder(), ours: newRecorder()}

	srv.ClearFaults()
	for _, f := range sc.faults {
		srv.Inject(devicefarmtest.Match{}, f)
	}
	r.offErr = listOfficial(ctx, officialFor(srv, func(o *official.Options) {
		o.TracerProvider, o.MeterProvider = r.off, r.off
	}), sc.projectArn)

	srv.ClearFaults()
	for _, f := range sc.faults {
		srv.Inject(devicefarmtest.Match{}, f)
	}
	r.ourErr = listOurs(ctx, oursFor(srv, func(o *devicefarm.Options) {
		o.TracerProvider, o.MeterProvider = r.ours, r.ours
	}), sc.projectArn)

	if sc.wantErr {
		require.Error(t, r.offErr, "official client")
		require.Error(t, r.ourErr, "our client")
		r.offRID, r.ourRID = requestID(r.offErr), requestID(r.ourErr)
	} else {
		require.NoError(t, r.offErr, "official client")
		require.NoError(t, r.ourErr, "our client")
	}
	return r
}

func requestID(err error) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.ServiceRequestID()
	}
	return ""
}

// spanTree is what both clients' span trees must share.
type spanTree struct {
	kind          tracing.SpanKind
	start         map[any]any
	status        tracing.SpanStatus
	errorProp     any
	attempts      []any
	retryLoopOfOp bool // a RetryLoop span is a child of the operation span
	attemptsOfRL  bool // every Attempt span is a child of a RetryLoop span
}

// viewSpans checks the invariants every span tree must satisfy (one root,
// the operation span; every span ended, ours exactly once; every span from
// scope) and returns what is compared between clients. The official client
// ends its OperationSerializer span twice, so it is held only to "ended".
func viewSpans(t *testing.T, who string, rec *recorder, scope string, endedOnce bool) (spanTree, *recSpan) {
	t.Helper()
	roots := rec.roots()
	require.Len(t, roots, 1, "%s: one root span, the operation span", who)
	op := roots[0]
	require.Equal(t, operationSpan, op.name, "%s: operation span name", who)
	for _, s := range rec.allSpans() {
		if endedOnce {
			require.Equal(t, 1, s.ended, "%s: span %q ended once", who, s.name)
		} else {
			require.NotZero(t, s.ended, "%s: span %q ended", who, s.name)
		}
		require.Equal(t, scope, s.scope, "%s: span %q tracer scope", who, s.name)
	}
	v := spanTree{kind: op.kind, start: op.start, status: op.status, errorProp: op.props["error"], attemptsOfRL: true}
	for _, s := range rec.spansNamed("RetryLoop") {
		if s.parent == op {
			v.retryLoopOfOp = true
		}
	}
	for _, s := range rec.spansNamed("Attempt") {
		v.attempts = append(v.attempts, s.start["operation.attempt"])
		if s.parentName() != "RetryLoop" {
			v.attemptsOfRL = false
		}
	}
	return v, op
}

// TestTracingAgrees makes a successful call, a NotFoundException call and a
// call retried once after a throttle with each client under a recording
// TracerProvider, and requires the same operation span: one root span
// "Device Farm.ListTestGridSessions", kind client, start properties
// rpc.system=aws-api, rpc.method=ListTestGridSessions, rpc.service=Device
// Farm, status OK or Error and property "error" false or true; on error the
// properties exception.type, exception.message, api.error_code,
// api.error_message and api.error_fault, all but exception.type with equal
// values (request IDs aside). Beneath it in both a RetryLoop span child of
// the operation span and one Attempt span per attempt, child of a
// RetryLoop, with operation.attempt 1, 2, ...; every span of ours ended once. Our
// span names are a subset of the official's (which adds spans for its
// middlewares), and our tracer scope is github.com/testgridkit/devicefarm.
func TestTracingAgrees(t *testing.T) {
	srv := newServer(t)
	for _, sc := range telemetryScenarios {
		t.Run(sc.name, func(t *testing.T) {
			r := runTelemetry(t, srv, sc)
			t.Logf("official spans: %v", r.off.spanNames())
			t.Logf("our spans:      %v", r.ours.spanNames())

			off, offOp := viewSpans(t, "official", r.off, officialScope, false)
			ours, ourOp := viewSpans(t, "ours", r.ours, ourScope, true)

			// The official client, as the test states it.
			require.Equal(t, tracing.SpanKindClient, off.kind)
			require.Equal(t, map[any]any{"rpc.system": "aws-api", "rpc.method": "ListTestGridSessions", "rpc.service": "Device Farm"}, off.start)
			wantStatus := tracing.SpanStatusOK
			if sc.wantErr {
				wantStatus = tracing.SpanStatusError
			}
			require.Equal(t, wantStatus, off.status)
			require.Equal(t, sc.wantErr, off.errorProp)
			require.True(t, off.retryLoopOfOp, "official: RetryLoop under the operation span")
			require.True(t, off.attemptsOfRL, "official: Attempt under RetryLoop")
			require.Equal(t, sc.attempts, off.attempts, "official: operation.attempt values")

			// Ours agrees.
			require.Equal(t, off, ours, "operation span kind, start properties, status, error, RetryLoop/Attempt tree, operation.attempt values")
			for _, name := range r.ours.spanNames() {
				require.Contains(t, r.off.spanNames(), name, "our span %q is not one the official client makes", name)
			}
			require.Equal(t, []string{ourScope}, slices.Compact(r.ours.tracerScopes), "our tracer scope")

			if !sc.wantErr {
				for _, k := range []string{"exception.type", "exception.message", "api.error_code"} {
					require.NotContains(t, ourOp.props, k, "ours: %s on a successful call", k)
				}
				return
			}
			for _, k := range []string{"exception.type", "exception.message", "api.error_code", "api.error_message", "api.error_fault", "error"} {
				require.Contains(t, offOp.props, k, "official: %s", k)
				require.Contains(t, ourOp.props, k, "ours: %s", k)
			}
			for _, k := range []string{"api.error_code", "api.error_message", "api.error_fault"} {
				require.Equal(t, offOp.props[k], ourOp.props[k], k)
			}
			offMsg := strings.ReplaceAll(offOp.props["exception.message"].(string), r.offRID, "<rid>")
			ourMsg := strings.ReplaceAll(ourOp.props["exception.message"].(string), r.ourRID, "<rid>")
			require.Equal(t, offMsg, ourMsg, "exception.message")
			t.Logf("exception.type: official %v, ours %v", offOp.props["exception.type"], ourOp.props["exception.type"])
		})
	}
}

// TestMetricsAgree makes the calls of TestTracingAgrees under a recording
// MeterProvider and requires: every metric ours records is one the official
// client records, under the same instrument kind and unit; ours records
// client.call.duration, client.call.attempts, client.call.errors (on
// failed attempts) and client.call.attempt_duration, each measurement with
// rpc.service=Device Farm and rpc.method=ListTestGridSessions, the same
// number of measurements as the official, the same attempt count, and the
// same exception.type on each error; our meter scope is
// github.com/testgridkit/devicefarm.
func TestMetricsAgree(t *testing.T) {
	srv := newServer(t)
	for _, sc := range telemetryScenarios {
		t.Run(sc.name, func(t *testing.T) {
			r := runTelemetry(t, srv, sc)
			offNames, ourNames := r.off.recordedMetricNames(), r.ours.recordedMetricNames()
			t.Logf("official metrics: %v", offNames)
			t.Logf("our metrics:      %v", ourNames)

			for _, name := range ourNames {
				require.Contains(t, offNames, name, "our metric %q is not one the official client records", name)
			}
			require.Equal(t, []string{ourScope}, slices.Compact(r.ours.meterScopes), "our meter scope")
			failed := len(sc.attempts) - 1 // failed attempts before the last
			if sc.wantErr {
				failed++
			}
			for _, name := range callMetrics {
				offRecs, ourRecs := r.off.recordsNamed(name), r.ours.recordsNamed(name)
				if name == "client.call.errors" && failed == 0 {
					require.Empty(t, offRecs, "official: %s", name)
					require.Empty(t, ourRecs, "ours: %s", name)
					continue
				}
				require.Contains(t, ourNames, name)
				offInfo, ok := r.off.instrument(name)
				require.True(t, ok, "official: instrument %s", name)
				ourInfo, ok := r.ours.instrument(name)
				require.True(t, ok, "ours: instrument %s", name)
				require.Equal(t, officialScope, offInfo.scope)
				require.Equal(t, ourScope, ourInfo.scope, "%s: our meter scope", name)
				require.Equal(t, offInfo.kind, ourInfo.kind, "%s: instrument kind", name)
				require.Equal(t, offInfo.unit, ourInfo.unit, "%s: unit", name)

				require.Len(t, ourRecs, len(offRecs), "%s: number of measurements", name)
				for who, recs := range map[string][]metricRecord{"official": offRecs, "ours": ourRecs} {
					for _, m := range recs {
						require.Equal(t, "Device Farm", m.props["rpc.service"], "%s: %s rpc.service", who, name)
						require.Equal(t, "ListTestGridSessions", m.props["rpc.method"], "%s: %s rpc.method", who, name)
					}
				}
			}
			require.Len(t, r.off.recordsNamed("client.call.duration"), 1, "official: one call duration")
			require.Equal(t, sum(r.off.recordsNamed("client.call.attempts")), sum(r.ours.recordsNamed("client.call.attempts")), "attempts counted")
			require.Equal(t, float64(len(sc.attempts)), sum(r.ours.recordsNamed("client.call.attempts")), "attempts counted")

			offTypes, ourTypes := exceptionTypes(r.off), exceptionTypes(r.ours)
			require.Len(t, offTypes, failed, "official: errors counted")
			require.Equal(t, offTypes, ourTypes, "client.call.errors exception.type values")
		})
	}
}

func sum(recs []metricRecord) float64 {
	var s float64
	for _, m := range recs {
		s += m.value
	}
	return s
}

// exceptionTypes returns the exception.type of each client.call.errors
// measurement, in order; a measurement without one counts as "<missing>".
func exceptionTypes(rec *recorder) []any {
	var out []any
	for _, m := range rec.recordsNamed("client.call.errors") {
		v, ok := m.props["exception.type"]
		if !ok {
			v = "<missing>"
		}
		out = append(out, v)
	}
	return out
}
