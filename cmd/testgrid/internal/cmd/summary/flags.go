package summary

import (
	"flag"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // --tz works where the system has no zone database

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// Output formats of "testgrid summary"; table, json and csv are shared
// with "testgrid sessions".
const (
	formatHTML     = "html"
	formatMarkdown = "markdown"
)

var summaryFormats = []string{output.FormatTable, output.FormatJSON, output.FormatCSV, formatMarkdown, formatHTML}

// Options is the validated command line of "testgrid summary".
type Options struct {
	list   *listflags.Options // what to list and from where
	loc    *time.Location     // --tz
	ascii  bool
	output string
	file   string // -o: "" for standard output
	gates  []gate // --max-errored, --max-active, in that order
	// listErrored is how many of the newest errored sessions are listed.
	listErrored int
}

// gateFlags holds the text of the gate flags, by flag name.
type gateFlags map[string]*string

// summaryFlagSet defines the flags of "testgrid summary", storing into o
// (whose list must not be nil), r and tz (the text of --tz). The listing
// flags are those of "testgrid sessions" (listflags.Add), with one AWS CLI
// spelling, --endpoint-url. The help text is Usage.
func summaryFlagSet(o *Options, r *listflags.Raw, tz *string, gates gateFlags) *flag.FlagSet {
	fs := cmdutil.NewFlagSet("testgrid summary")
	listflags.Add(fs, o.list, r)
	listflags.AddAWSCLIAliases(fs, "endpoint-url")
	fs.StringVar(tz, "tz", "UTC", "")
	fs.BoolVar(&o.ascii, "ascii", false, "")
	fs.StringVar(&r.Output, "output", output.FormatTable, "")
	listflags.AddOutputFile(fs, &o.file)
	fs.IntVar(&o.listErrored, "list-errored", stats.DefaultErroredListed, "")
	for _, g := range gateStatuses {
		gates[g.flag] = new(string)
		fs.StringVar(gates[g.flag], g.flag, "", "")
	}
	return fs
}

// NewOptions parses and validates the arguments of "testgrid
// summary". now anchors relative times. It returns flag.ErrHelp when help
// was asked for, and a *cmdutil.UsageError for anything wrong. The flags shared
// with "testgrid sessions" are checked by the same code (listflags.Validate), so
// both commands accept the same values and refuse bad ones with the same
// messages.
func NewOptions(args []string, now time.Time) (*Options, error) {
	var (
		o  = Options{list: &listflags.Options{}}
		r  listflags.Raw
		tz string
		gf = gateFlags{}
	)
	set, err := cmdutil.ParseFlags(summaryFlagSet(&o, &r, &tz, gf), args)
	if err != nil {
		return nil, err
	}
	if err := listflags.Validate(set, o.list, &r, now); err != nil {
		return nil, err
	}

	name := strings.TrimSpace(tz)
	if name == "" {
		return nil, cmdutil.Usagef("--tz is empty; give an IANA time zone such as UTC, Europe/Paris or America/New_York")
	}
	if o.loc, err = time.LoadLocation(name); err != nil {
		return nil, cmdutil.Usagef("--tz %q is not an IANA time zone (such as UTC, Europe/Paris or America/New_York)", tz)
	}
	o.output = strings.ToLower(strings.TrimSpace(r.Output))
	if !slices.Contains(summaryFormats, o.output) {
		return nil, cmdutil.Usagef("--output %q is not one of %s", r.Output, strings.Join(summaryFormats, ", "))
	}
	if set["o"] || set["output-file"] {
		if strings.TrimSpace(o.file) == "" {
			return nil, cmdutil.Usagef("-o is empty; give a file name, or - for standard output")
		}
	}
	if o.listErrored < 0 || o.listErrored > stats.MaxErroredListed {
		return nil, cmdutil.Usagef("--list-errored %d is not from 0 to %d", o.listErrored, stats.MaxErroredListed)
	}
	for _, g := range gateStatuses {
		if !set[g.flag] {
			continue
		}
		parsed, err := parseGate(g.flag, g.status, *gf[g.flag])
		if err != nil {
			return nil, err
		}
		o.gates = append(o.gates, parsed)
	}
	return &o, nil
}
