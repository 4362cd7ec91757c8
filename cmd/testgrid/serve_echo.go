package main

import (
	"math"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// maxEchoRunes caps a user-supplied value quoted in a message.
const maxEchoRunes = 128

// quoteEcho quotes a user-supplied value for a message: cut to
// maxEchoRunes runes, its control characters and invalid UTF-8 escaped
// (\n, \x00, \xff) so that the message stays one line, between double
// quotes. It is the rule devicefarmtest's messages follow (oneline.Quote).
func quoteEcho(v string) string { return `"` + oneline.Quote(v, maxEchoRunes) + `"` }

// escapeControl escapes the control characters and invalid UTF-8 of v as
// quoteEcho does, without cutting it or quoting it, for echoing request
// data (paths, headers) in control API answers.
func escapeControl(v string) string { return oneline.Quote(v, math.MaxInt) }
