package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// loadError is a --load file that cannot be used: its name, the position
// of the problem and what it is. It prints as one line, "FILE:LINE:COL:
// message", and exits with exitUsage.
type loadError struct {
	file      string
	line, col int // 1-based; 0 when the problem is the whole file
	msg       string
}

func (e *loadError) Error() string {
	if e.line == 0 {
		return safetext.EscapeControl(e.file) + ": " + e.msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", safetext.EscapeControl(e.file), e.line, e.col, e.msg)
}

// loadedFile is what a --load file holds.
type loadedFile struct {
	sessions []devicefarm.TestGridSession
	projects []devicefarmtest.Project // a document's "projects"
	data     []sessionData            // a document's "sessionData"
}

// loadSessionsFile reads and parses a --load file (see parseSessions).
func loadSessionsFile(name string) (*loadedFile, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, &loadError{file: name, msg: "cannot read: " + unwrapPathError(err).Error()}
	}
	return parseSessions(name, data)
}

// unwrapPathError drops the *os.PathError's repetition of the file name.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Member names of the documents parseSessions reads.
const (
	testgridListKey = "sessions"         // testgrid sessions --output json
	serviceListKey  = "testGridSessions" // the service, the AWS CLI
	projectsKey     = "projects"         // projects, with names and creation times
	sessionDataKey  = "sessionData"      // actions and artifacts of sessions
)

// parseSessions reads the sessions of a --load file named name:
//
//   - {"sessions":[...]}: testgrid sessions --output json;
//   - {"testGridSessions":[...],"nextToken":...}: a ListTestGridSessions
//     response, as the AWS CLI prints it;
//   - one session object per line: testgrid sessions --output ndjson.
//
// A document may also hold "projects", an array of projects (the
// control API's POST /_testgrid/projects bodies), and "sessionData", an
// array of the actions and artifacts of sessions (POST
// /_testgrid/session-data bodies). Other members of a document are
// ignored, and so are unknown members of a session. Errors give the line
// and column (in bytes) of the problem.
func parseSessions(name string, data []byte) (*loadedFile, error) {
	start := skipSpace(data, 0)
	if start == len(data) {
		return nil, &loadError{file: name, msg: "the file is empty: no sessions to load"}
	}
	p := &sessionParser{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	if !utf8.Valid(data) {
		return nil, p.errAt(firstInvalidUTF8(data), "invalid UTF-8: the service sends only UTF-8 text")
	}
	if data[start] != '{' {
		return nil, p.errAt(start, "expected a JSON object: {\"sessions\":[...]} from testgrid sessions --output json, "+
			"{\"testGridSessions\":[...]} from the AWS CLI, or one session object per line from --output ndjson")
	}
	if _, err := p.dec.Token(); err != nil { // {
		return nil, p.jsonError(err)
	}
	first, err := p.dec.Token()
	if err != nil {
		return nil, p.jsonError(err)
	}
	switch first {
	case testgridListKey, serviceListKey, "nextToken", projectsKey, sessionDataKey:
		return p.document(first.(string))
	}
	// A session object: ndjson. Start again from the top.
	p.dec = json.NewDecoder(bytes.NewReader(data))
	return p.lines()
}

// sessionParser holds the state of parseSessions.
type sessionParser struct {
	name string
	data []byte
	dec  *json.Decoder
	out  loadedFile
}

// document reads the members of a document whose first member name,
// already read, is key.
func (p *sessionParser) document(key string) (*loadedFile, error) {
	found := false
	for {
		switch key {
		case testgridListKey, serviceListKey:
			found = true
			if err := p.list(key); err != nil {
				return nil, err
			}
		case projectsKey, sessionDataKey:
			found = true
			if err := p.extra(key); err != nil {
				return nil, err
			}
		default:
			at := p.offset()
			var skip json.RawMessage
			if err := p.dec.Decode(&skip); err != nil {
				return nil, p.valueError(at, err)
			}
		}
		if !p.dec.More() {
			break
		}
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.jsonError(err)
		}
		key = tok.(string) // object keys are strings
	}
	if _, err := p.dec.Token(); err != nil { // }
		return nil, p.jsonError(err)
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if !found {
		return nil, &loadError{file: p.name, line: 1, col: 1, msg: `the document has no "sessions", "testGridSessions", "projects" or "sessionData" member`}
	}
	return &p.out, nil
}

// extra reads the array of member key: projects or sessionData.
func (p *sessionParser) extra(key string) error {
	at := p.offset()
	var items []json.RawMessage
	if err := p.dec.Decode(&items); err != nil {
		if ve := p.valueError(at, err); ve != nil {
			return ve
		}
		return p.errAt(at, fmt.Sprintf("%q must be an array", key))
	}
	for i, raw := range items {
		var err error
		if key == projectsKey {
			var ps projectSpec
			if ce := decodeControlJSON(raw, &ps, false); ce != nil {
				return p.errAt(at, fmt.Sprintf("%s[%d]: %s", key, i, ce.msg))
			}
			var pr devicefarmtest.Project
			if pr, err = ps.project(); err == nil {
				p.out.projects = append(p.out.projects, pr)
			}
		} else {
			var ds sessionDataSpec
			if ce := decodeControlJSON(raw, &ds, false); ce != nil {
				return p.errAt(at, fmt.Sprintf("%s[%d]: %s", key, i, ce.msg))
			}
			var d sessionData
			if d, err = ds.data(); err == nil {
				p.out.data = append(p.out.data, d)
			}
		}
		if err != nil {
			return p.errAt(at, fmt.Sprintf("%s[%d]: %v", key, i, err))
		}
	}
	return nil
}

// list reads the array of sessions of member key.
func (p *sessionParser) list(key string) error {
	at := p.offset()
	tok, err := p.dec.Token()
	if err != nil {
		return p.jsonError(err)
	}
	if tok == nil { // null: no sessions
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return p.errAt(at, fmt.Sprintf("%q must be an array of sessions", key))
	}
	for p.dec.More() {
		if err := p.session(); err != nil {
			return err
		}
	}
	_, err = p.dec.Token() // ]
	return p.jsonError(err)
}

// lines reads one session object per line, up to the end.
func (p *sessionParser) lines() (*loadedFile, error) {
	for skipSpace(p.data, int(p.dec.InputOffset())) < len(p.data) {
		if err := p.session(); err != nil {
			return nil, err
		}
	}
	return &p.out, nil
}

// session reads one session value.
func (p *sessionParser) session() error {
	at := p.offset()
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return p.valueError(at, err)
	}
	s, err := decodeSession(raw, false)
	if err != nil {
		return p.errAt(at, fmt.Sprintf("session %d: %v", len(p.out.sessions)+1, err))
	}
	p.out.sessions = append(p.out.sessions, s)
	return nil
}

// end refuses anything but white space after the document.
func (p *sessionParser) end() error {
	if at := skipSpace(p.data, int(p.dec.InputOffset())); at < len(p.data) {
		return p.errAt(at, "unexpected data after the JSON document")
	}
	return nil
}

// offset returns where the next value starts: the decoder's offset past
// white space and the comma before it.
func (p *sessionParser) offset() int {
	i := int(p.dec.InputOffset())
	for i < len(p.data) && (isSpace(p.data[i]) || p.data[i] == ',' || p.data[i] == ':') {
		i++
	}
	return i
}

// valueError positions an error of Decode for a value starting at byte
// at. A syntax error's offset counts from where that Decode started
// scanning, so the value is scanned again from at to place it.
func (p *sessionParser) valueError(at int, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		var raw json.RawMessage
		if errors.As(json.NewDecoder(bytes.NewReader(p.data[at:])).Decode(&raw), &se) {
			return p.errAt(at+int(se.Offset)-1, "malformed JSON: "+se.Error()) // Offset is just past the bad byte
		}
	}
	return p.jsonError(err)
}

// jsonError positions an error of the JSON decoder's Token method (whose
// syntax errors carry the offset in the file); nil stays nil.
func (p *sessionParser) jsonError(err error) error {
	var se *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return p.errAt(int(se.Offset)-1, "malformed JSON: "+se.Error()) // Offset is just past the bad byte
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return p.errAt(len(p.data), "malformed JSON: unexpected end of the file")
	}
	return p.errAt(int(p.dec.InputOffset()), err.Error())
}

// errAt returns a loadError at byte offset off of the file.
func (p *sessionParser) errAt(off int, msg string) error {
	line, col := position(p.data, off)
	return &loadError{file: p.name, line: line, col: col, msg: msg}
}

// position converts a byte offset into a 1-based line and column.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	return line, off - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the offset of the first non-space byte at or after i.
func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// firstInvalidUTF8 returns the offset of the first byte of data that is
// not valid UTF-8, len(data) if none.
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}
