package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/tracing"
)

// instrumentationScope names this package's tracer and meter.
const instrumentationScope = "github.com/testgridkit/devicefarm"

// telemetry holds what a call reports to Options.TracerProvider and
// Options.MeterProvider. A nil tracer or meter means "not configured": the
// call then makes no tracing or metrics call at all, so instrumentation
// that is not used costs nothing.
type telemetry struct {
	tracer tracing.Tracer
	meter  *callMeters
}

// callMeters are the instruments the official client records per call and
// per attempt, under the same names.
type callMeters struct {
	duration        metrics.Float64Histogram // client.call.duration
	attempts        metrics.Int64Counter     // client.call.attempts
	errors          metrics.Int64Counter     // client.call.errors
	attemptDuration metrics.Float64Histogram // client.call.attempt_duration
}

// newTelemetry resolves the providers of o. A nil or no-op provider yields
// a nil tracer or meter.
func newTelemetry(o *Options) (telemetry, error) {
	var t telemetry
	switch o.TracerProvider.(type) {
	case nil, tracing.NopTracerProvider, *tracing.NopTracerProvider:
	default:
		t.tracer = o.TracerProvider.Tracer(instrumentationScope)
	}
	switch o.MeterProvider.(type) {
	case nil, metrics.NopMeterProvider, *metrics.NopMeterProvider:
		return t, nil
	}
	meter := o.MeterProvider.Meter(instrumentationScope)
	var m callMeters
	var errs [4]error
	m.duration, errs[0] = meter.Float64Histogram("client.call.duration", instrument("s",
		"Overall call duration (including retries and time to send or receive request and response body)"))
	m.attempts, errs[1] = meter.Int64Counter("client.call.attempts", instrument("{attempt}",
		"The number of attempts for an individual operation"))
	m.errors, errs[2] = meter.Int64Counter("client.call.errors", instrument("{error}",
		"The number of errors for an operation"))
	m.attemptDuration, errs[3] = meter.Float64Histogram("client.call.attempt_duration", instrument("s",
		"The time it takes to connect to the service, send the request, and get back HTTP status code and headers (including time queued waiting to be sent)"))
	if err := errors.Join(errs[:]...); err != nil {
		return t, fmt.Errorf("MeterProvider: %w", oneLineError(err))
	}
	t.meter = &m
	return t, nil
}

func instrument(unit, description string) metrics.InstrumentOption {
	return func(o *metrics.InstrumentOptions) {
		o.UnitLabel, o.Description = unit, description
	}
}

// withOperation sets the properties every call's metrics carry.
func withOperation(o *metrics.RecordMetricOptions) {
	o.Properties.Set("rpc.service", ServiceID)
	o.Properties.Set("rpc.method", operationName)
}

// startOperation starts the operation span and returns the context the
// call's attempts run in, and a function that ends the span and records
// the call's duration with the call's result.
func (t telemetry) startOperation(ctx context.Context) (context.Context, func(err error)) {
	if t.tracer == nil && t.meter == nil {
		return ctx, nil
	}
	start := time.Now()
	var span tracing.Span
	if t.tracer != nil {
		ctx = tracing.WithOperationTracer(ctx, t.tracer)
		ctx, span = t.tracer.StartSpan(ctx, ServiceID+"."+operationName, func(o *tracing.SpanOptions) {
			o.Kind = tracing.SpanKindClient
			o.Properties.Set("rpc.system", "aws-api")
			o.Properties.Set("rpc.method", operationName)
			o.Properties.Set("rpc.service", ServiceID)
		})
	}
	return ctx, func(err error) {
		if span != nil {
			endOperationSpan(span, err)
		}
		if t.meter != nil {
			t.meter.duration.Record(ctx, time.Since(start).Seconds(), withOperation)
		}
	}
}

// endOperationSpan sets what the official client sets on its operation
// span: for a failure the error's type and message, and for a service error
// its code, message and fault; then "error" and the status. err is the
// cause, before the *smithy.OperationError that wraps it.
func endOperationSpan(span tracing.Span, err error) {
	if err != nil {
		span.SetProperty("exception.type", fmt.Sprintf("%T", err))
		span.SetProperty("exception.message", err.Error())
		var ae smithy.APIError
		if errors.As(err, &ae) {
			span.SetProperty("api.error_code", ae.ErrorCode())
			span.SetProperty("api.error_message", ae.ErrorMessage())
			span.SetProperty("api.error_fault", ae.ErrorFault().String())
		}
	}
	span.SetProperty("error", err != nil)
	if err == nil {
		span.SetStatus(tracing.SpanStatusOK)
	} else {
		span.SetStatus(tracing.SpanStatusError)
	}
	span.End()
}

// startRetryLoop starts the "RetryLoop" span that parents the attempts, as
// aws-sdk-go-v2's retry middleware does. end is nil when tracing is off.
func (t telemetry) startRetryLoop(ctx context.Context) (context.Context, func()) {
	if t.tracer == nil {
		return ctx, nil
	}
	ctx, span := t.tracer.StartSpan(ctx, "RetryLoop")
	return ctx, span.End
}

// startAttempt starts an "Attempt" span and counts the attempt. The
// returned function ends the span and records the attempt's duration and,
// for a failed attempt, an error labelled with its type.
func (t telemetry) startAttempt(ctx context.Context, attempt int) (context.Context, func(err error)) {
	if t.tracer == nil && t.meter == nil {
		return ctx, nil
	}
	var span tracing.Span
	if t.tracer != nil {
		ctx, span = t.tracer.StartSpan(ctx, "Attempt", func(o *tracing.SpanOptions) {
			o.Properties.Set("operation.attempt", attempt)
		})
	}
	if t.meter != nil {
		t.meter.attempts.Add(ctx, 1, withOperation)
	}
	start := time.Now()
	return ctx, func(err error) {
		if t.meter != nil {
			t.meter.attemptDuration.Record(ctx, time.Since(start).Seconds(), withOperation)
			if err != nil {
				typ := errorType(err)
				t.meter.errors.Add(ctx, 1, withOperation, func(o *metrics.RecordMetricOptions) {
					o.Properties.Set("exception.type", typ)
				})
			}
		}
		if span != nil {
			span.End()
		}
	}
}

// errorType labels a failed attempt as aws-sdk-go-v2's retry middleware
// does: the service error code, else the Go type.
func errorType(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return fmt.Sprintf("%T", err)
}
