package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // --tz works where the system has no zone database
)

// Output formats of "testgrid summary"; table, json and csv are shared
// with "testgrid sessions".
const formatHTML = "html"

var summaryFormats = []string{formatTable, formatJSON, formatCSV, formatHTML}

// summaryOptions is the validated command line of "testgrid summary".
type summaryOptions struct {
	list   *sessionsOptions // what to list and from where
	loc    *time.Location   // --tz
	ascii  bool
	output string
}

// summaryListFlags are the string flags that "testgrid summary" shares
// with "testgrid sessions": selection, paging and connection. --demo is
// shared too.
var summaryListFlags = []string{
	"project", "status", "created-after", "created-before", "ended-after", "ended-before",
	"page-size", "region", "profile", "endpoint", "endpoint-url",
}

// parseSummaryArgs parses and validates the arguments of "testgrid
// summary". now anchors relative times. It returns flag.ErrHelp when help
// was asked for, and a *usageError for anything wrong.
//
// The flags shared with "testgrid sessions" are handed, as given, to
// parseSessionsArgs, so that both commands accept the same values and
// refuse bad ones with the same messages. (A shared flag-set helper in
// flags.go would avoid the round trip; see the summary's design notes.)
func parseSummaryArgs(args []string, now time.Time) (*summaryOptions, error) {
	fs := flag.NewFlagSet("testgrid summary", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, name := range summaryListFlags {
		fs.String(name, "", "")
	}
	fs.Bool("demo", false, "")
	tz := fs.String("tz", "UTC", "")
	ascii := fs.Bool("ascii", false, "")
	output := fs.String("output", formatTable, "")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usagef("%s", strings.Replace(err.Error(), " -", " --", 1))
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q: testgrid summary takes only flags", fs.Arg(0))
	}

	var listArgs []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "tz", "ascii", "output":
		default:
			listArgs = append(listArgs, "--"+f.Name+"="+f.Value.String())
		}
	})
	list, err := parseSessionsArgs(listArgs, now)
	if err != nil {
		return nil, err
	}

	o := &summaryOptions{list: list, ascii: *ascii}
	name := strings.TrimSpace(*tz)
	if name == "" {
		return nil, usagef("--tz is empty; give an IANA time zone such as UTC, Europe/Paris or America/New_York")
	}
	if o.loc, err = time.LoadLocation(name); err != nil {
		return nil, usagef("--tz %q is not an IANA time zone (such as UTC, Europe/Paris or America/New_York)", *tz)
	}
	o.output = strings.ToLower(strings.TrimSpace(*output))
	if !slices.Contains(summaryFormats, o.output) {
		return nil, usagef("--output %q is not one of %s", *output, strings.Join(summaryFormats, ", "))
	}
	return o, nil
}
