package safetext

import (
	"math"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// maxEchoRunes caps a user-supplied value quoted in a message.
const maxEchoRunes = 128

// QuoteEcho quotes a user-supplied value for a message: cut to
// maxEchoRunes runes, its control characters and invalid UTF-8 escaped
// (\n, \x00, \xff) so that the message stays one line, between double
// quotes. It is the rule devicefarmtest's messages follow (oneline.Quote).
func QuoteEcho(v string) string { return `"` + oneline.Quote(v, maxEchoRunes) + `"` }

// EscapeControl escapes the control characters and invalid UTF-8 of v as
// QuoteEcho does, without cutting it or quoting it, for echoing request
// data (paths, headers) in control API answers.
func EscapeControl(v string) string { return oneline.Quote(v, math.MaxInt) }
