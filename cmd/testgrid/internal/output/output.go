// Package output writes the sessions of "testgrid sessions" in each output
// format (table, json, ndjson, csv, aws-json), page by page as they arrive.
package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// Output formats of "testgrid sessions" (Formats, in help order).
const (
	FormatTable   = "table"
	FormatJSON    = "json"
	FormatNDJSON  = "ndjson"
	FormatCSV     = "csv"
	FormatAWSJSON = "aws-json"
)

// Formats are the output formats, in the order the help lists them.
var Formats = []string{FormatTable, FormatJSON, FormatNDJSON, FormatCSV, FormatAWSJSON}

// SessionWriter writes sessions to standard output in one format.
//
// WritePage is called once per page received, in order, and writes and
// flushes that page (the table format keeps rows until Close, to align
// them). Close finishes the output: it is called once, also after an error
// or an interruption, and closes a json document validly. A writer that
// never got a page writes nothing at all.
type SessionWriter interface {
	WritePage(sessions []devicefarm.TestGridSession) error
	Close() error
}

// NextTokenWriter is a sessionWriter whose document has a member for the
// resume token (json and aws-json: "nextToken"). The other formats have
// none, so the token goes to standard error.
type NextTokenWriter interface {
	// SetNextToken records the token for Close to write, and reports
	// whether it will: false when no page arrived, since the document is
	// then not written at all.
	SetNextToken(token string) bool
}

// NewSessionWriter returns the writer for format, one of formats.
func NewSessionWriter(format string, w io.Writer) SessionWriter {
	bw := bufio.NewWriter(w)
	switch format {
	case FormatJSON:
		j := &jsonWriter{w: bw}
		j.enc = newEncoder(&j.buf)
		return j
	case FormatNDJSON:
		return &ndjsonWriter{w: bw, enc: newEncoder(bw)}
	case FormatCSV:
		return &csvWriter{w: bw, cw: csv.NewWriter(bw)}
	case FormatAWSJSON:
		return &awsJSONWriter{w: bw}
	default:
		return &tableWriter{w: bw, tw: tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)}
	}
}

// sessionRecord is the JSON form of a session, shared by json and ndjson.
type sessionRecord struct {
	Arn    string `json:"arn"`
	ID     string `json:"id"`
	Status string `json:"status"`
	// Created and Ended are RFC 3339 in UTC; Ended is omitted while the
	// session is active.
	Created string `json:"created,omitempty"`
	Ended   string `json:"ended,omitempty"`
	// DurationSeconds is Ended minus Created; omitted while active.
	DurationSeconds *float64 `json:"durationSeconds,omitempty"`
	// BillingMinutes is null when the service sent NaN or an infinity,
	// which JSON cannot represent.
	BillingMinutes *float64 `json:"billingMinutes"`
	// SeleniumProperties is a json.RawMessage when the service's text is a
	// JSON object, else the text as a string; omitted when empty.
	SeleniumProperties any `json:"seleniumProperties,omitempty"`
}

// Record returns the JSON object that the json and ndjson formats write
// for s, for other documents that carry a session ("testgrid watch").
func Record(s devicefarm.TestGridSession) any { return newRecord(s) }

func newRecord(s devicefarm.TestGridSession) sessionRecord {
	r := sessionRecord{
		Arn:     s.Arn,
		ID:      s.ID(),
		Status:  string(s.Status),
		Created: timeText(s.Created),
		Ended:   timeText(s.Ended),
	}
	if !s.Ended.IsZero() && !s.Created.IsZero() {
		secs := s.Duration().Seconds()
		r.DurationSeconds = &secs
	}
	if !math.IsNaN(s.BillingMinutes) && !math.IsInf(s.BillingMinutes, 0) {
		m := s.BillingMinutes
		r.BillingMinutes = &m
	}
	if p := strings.TrimSpace(s.SeleniumProperties); p != "" {
		if strings.HasPrefix(p, "{") && json.Valid([]byte(p)) {
			// encoding/json compacts a RawMessage, so it stays on one line.
			r.SeleniumProperties = json.RawMessage(p)
		} else {
			r.SeleniumProperties = s.SeleniumProperties
		}
	}
	return r
}

// timeText formats t as RFC 3339 in UTC ("" for the zero time).
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cmdutil.FormatTime(t)
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// jsonWriter writes one document, {"sessions":[...]}, with one session
// object per line so that it can be streamed and diffed, and
// "nextToken":TOKEN after the array when the listing can be resumed.
type jsonWriter struct {
	w         *bufio.Writer
	buf       bytes.Buffer  // one encoded session
	enc       *json.Encoder // writes to buf
	opened    bool
	n         int
	nextToken string
}

func (j *jsonWriter) SetNextToken(token string) bool {
	j.nextToken = token
	return j.opened
}

func (j *jsonWriter) WritePage(sessions []devicefarm.TestGridSession) error {
	if !j.opened {
		j.opened = true
		j.w.WriteString(`{"sessions":[`)
	}
	for _, s := range sessions {
		j.buf.Reset()
		if err := j.enc.Encode(newRecord(s)); err != nil {
			return err
		}
		if j.n > 0 {
			j.w.WriteByte(',')
		}
		j.w.WriteByte('\n')
		j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
		j.n++
	}
	return j.w.Flush()
}

func (j *jsonWriter) Close() error {
	if !j.opened {
		return nil
	}
	if j.n > 0 {
		j.w.WriteByte('\n')
	}
	j.w.WriteByte(']')
	if j.nextToken != "" {
		j.w.WriteString(`,"nextToken":`)
		j.w.Write(appendJSONString(nil, j.nextToken))
	}
	j.w.WriteString("}\n")
	return j.w.Flush()
}

// ndjsonWriter writes one session object per line.
type ndjsonWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func (n *ndjsonWriter) WritePage(sessions []devicefarm.TestGridSession) error {
	for _, s := range sessions {
		if err := n.enc.Encode(newRecord(s)); err != nil {
			return err
		}
	}
	return n.w.Flush()
}

func (n *ndjsonWriter) Close() error { return n.w.Flush() }

// CSVHeader names the CSV columns, as in the JSON form.
var CSVHeader = []string{"arn", "id", "status", "created", "ended", "durationSeconds", "billingMinutes", "seleniumProperties"}

// csvWriter writes a header row and one row per session, every cell made
// safe for spreadsheets by safetext.CSVSafeCell.
type csvWriter struct {
	w      *bufio.Writer
	cw     *csv.Writer
	opened bool
}

func (c *csvWriter) WritePage(sessions []devicefarm.TestGridSession) error {
	if !c.opened {
		c.opened = true
		if err := c.cw.Write(CSVHeader); err != nil {
			return err
		}
	}
	for _, s := range sessions {
		duration := ""
		if !s.Ended.IsZero() && !s.Created.IsZero() {
			duration = FormatFloat(s.Duration().Seconds())
		}
		row := []string{
			s.Arn, s.ID(), string(s.Status), timeText(s.Created), timeText(s.Ended),
			duration, FormatFloat(s.BillingMinutes), s.SeleniumProperties,
		}
		for i := range row {
			row[i] = safetext.CSVSafeCell(row[i])
		}
		if err := c.cw.Write(row); err != nil {
			return err
		}
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

func (c *csvWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

// tableWriter aligns columns with text/tabwriter, which needs every row
// before it can write any; rows are therefore held until Close, which
// writes the table and a total line.
type tableWriter struct {
	w       *bufio.Writer
	tw      *tabwriter.Writer
	opened  bool
	n       int
	minutes float64
}

// TableTime is the table's time format: RFC 3339, UTC, whole seconds.
const TableTime = "2006-01-02T15:04:05Z"

func (t *tableWriter) WritePage(sessions []devicefarm.TestGridSession) error {
	if !t.opened {
		t.opened = true
		fmt.Fprint(t.tw, "SESSION ID\tSTATUS\tCREATED\tENDED\tDURATION\tBILLING MIN\n")
	}
	for _, s := range sessions {
		created, ended, duration := "-", "-", "-"
		if !s.Created.IsZero() {
			created = s.Created.UTC().Format(TableTime)
		}
		if !s.Ended.IsZero() {
			ended = s.Ended.UTC().Format(TableTime)
			if !s.Created.IsZero() {
				duration = s.Duration().Round(time.Second).String()
			}
		}
		fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\n",
			safetext.Cell(s.ID()), safetext.Cell(string(s.Status)), created, ended, duration, FormatFloat(s.BillingMinutes))
		t.n++
		if !math.IsNaN(s.BillingMinutes) && !math.IsInf(s.BillingMinutes, 0) {
			t.minutes += s.BillingMinutes
		}
	}
	return nil
}

func (t *tableWriter) Close() error {
	if !t.opened {
		return nil
	}
	if err := t.tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(t.w, "%d %s, %s billing minutes\n", t.n, safetext.Plural(t.n, "session", "sessions"), FormatFloat(math.Round(t.minutes*100)/100))
	return t.w.Flush()
}

// FormatFloat formats f in the shortest form that reads back exactly.
func FormatFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
