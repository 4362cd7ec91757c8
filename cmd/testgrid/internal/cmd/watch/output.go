package watch

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// eventWriter writes each event as it comes, flushed.
type eventWriter interface {
	write(ev devicefarm.SessionEvent) error
}

func newEventWriter(format string, w io.Writer) eventWriter {
	bw := bufio.NewWriter(w)
	if format == output.FormatNDJSON {
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &ndjsonEvents{w: bw, enc: enc}
	}
	return &tableEvents{w: bw}
}

// eventRecord is one NDJSON line: the event, the session as "testgrid
// sessions --output ndjson" writes it, and the event's time.
type eventRecord struct {
	Event   string `json:"event"`
	Session any    `json:"session"`
	// Time is RFC 3339 UTC; omitted for an end the service gave no time.
	Time string `json:"time,omitempty"`
}

type ndjsonEvents struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func (n *ndjsonEvents) write(ev devicefarm.SessionEvent) error {
	rec := eventRecord{Event: string(ev.Type), Session: output.Record(ev.Session)}
	if !ev.Time.IsZero() {
		rec.Time = cmdutil.FormatTime(ev.Time)
	}
	if err := n.enc.Encode(rec); err != nil {
		return err
	}
	return n.w.Flush()
}

// tableEvents writes one line per event in fixed columns (rows come one
// at a time, so they cannot be aligned on the widest).
type tableEvents struct {
	w      *bufio.Writer
	header bool
}

const tableRow = "%-20s  %-7s  %-36s  %-7s  %8s  %s\n"

func (t *tableEvents) write(ev devicefarm.SessionEvent) error {
	if !t.header {
		t.header = true
		fmt.Fprintf(t.w, tableRow, "TIME", "EVENT", "SESSION ID", "STATUS", "DURATION", "BILLING MIN")
	}
	s := ev.Session
	at, duration, billing := "-", "-", "-"
	if !ev.Time.IsZero() {
		at = ev.Time.UTC().Format(output.TableTime)
	}
	if ev.Type == devicefarm.SessionEnded {
		if !s.Ended.IsZero() && !s.Created.IsZero() {
			duration = s.Duration().Round(time.Second).String()
		}
		if !math.IsNaN(s.BillingMinutes) {
			billing = output.FormatFloat(s.BillingMinutes)
		}
	}
	fmt.Fprintf(t.w, tableRow, at, ev.Type, safetext.Cell(s.ID()), safetext.Cell(string(s.Status)), duration, billing)
	return t.w.Flush()
}
