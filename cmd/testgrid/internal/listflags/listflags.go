// Package listflags defines and checks the flags that select a listing,
// shared by "testgrid sessions" and "testgrid summary": what to list
// (project, status, times), the page size, resuming, and where to list
// from (AWS, an endpoint, or --demo).
package listflags

import (
	"flag"
	"slices"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
)

// Options is a validated listing command line: what to list and from
// where, and for "testgrid sessions" its output and paging.
type Options struct {
	Project       string
	Status        devicefarm.TestGridSessionStatus
	CreatedAfter  time.Time
	CreatedBefore time.Time
	EndedAfter    time.Time
	EndedBefore   time.Time
	PageSize      int32 // 0: the service's default
	MaxItems      int   // 0: no limit
	Output        string
	OutputFile    string // -o: "" for standard output
	Region        string
	Profile       string
	Endpoint      string
	Demo          bool
	Debug         bool

	// Query is the listing as resume tokens record it.
	Query listing.ResumeQuery
	// Start is where --starting-token resumes; nil: from the beginning.
	Start *listing.ResumePoint
}

// Input returns the request that the options select (without paging).
func (o *Options) Input() *devicefarm.ListTestGridSessionsInput {
	return &devicefarm.ListTestGridSessionsInput{
		ProjectArn:         o.Project,
		Status:             o.Status,
		CreationTimeAfter:  o.CreatedAfter,
		CreationTimeBefore: o.CreatedBefore,
		EndTimeAfter:       o.EndedAfter,
		EndTimeBefore:      o.EndedBefore,
	}
}

// awsCLIAliases are the AWS CLI's spellings of the options of
// "aws devicefarm list-test-grid-sessions", accepted as other names of the
// flags they mean, so that a script ports by changing the program name.
// (--max-result, which stands for two flags, is handled on its own.)
var awsCLIAliases = []struct{ alias, flag string }{
	{"project-arn", "project"},
	{"creation-time-after", "created-after"},
	{"creation-time-before", "created-before"},
	{"end-time-after", "ended-after"},
	{"end-time-before", "ended-before"},
	{"next-token", "starting-token"},
	{"endpoint-url", "endpoint"},
}

// Raw holds flag values before validation.
type Raw struct {
	Status, Output              string
	CreatedAfter, CreatedBefore string
	EndedAfter, EndedBefore     string
	PageSize, MaxItems          int
	MaxResult                   int
	StartingToken               string
}

// Add defines on fs the flags that "testgrid sessions" and
// "testgrid summary" share, storing into o and r: what to list (project,
// status, times), the page size, and where to list from (AWS or --demo).
// Validate checks them.
func Add(fs *flag.FlagSet, o *Options, r *Raw) {
	for name, p := range map[string]*string{
		"project":        &o.Project,
		"status":         &r.Status,
		"created-after":  &r.CreatedAfter,
		"created-before": &r.CreatedBefore,
		"ended-after":    &r.EndedAfter,
		"ended-before":   &r.EndedBefore,
		"region":         &o.Region,
		"profile":        &o.Profile,
		"endpoint":       &o.Endpoint,
	} {
		fs.StringVar(p, name, "", "")
	}
	fs.IntVar(&r.PageSize, "page-size", 0, "")
	fs.BoolVar(&o.Demo, "demo", false, "")
}

// AddAWSCLIAliases defines the AWS CLI spellings (awsCLIAliases) of the
// flags fs already has as other names of the same variables: those named
// in only, or all of them when only is empty.
func AddAWSCLIAliases(fs *flag.FlagSet, only ...string) {
	for _, a := range awsCLIAliases {
		if f := fs.Lookup(a.flag); f != nil && (len(only) == 0 || slices.Contains(only, a.alias)) {
			fs.Var(f.Value, a.alias, "")
		}
	}
}

// Validate checks the listing flags given (set, by name) and stores
// their values into o: those of Add, and the paging and resuming
// flags of "testgrid sessions" (--max-items, --max-result,
// --starting-token), which are never set for a command that does not
// define them. now anchors relative times. Errors are
// *cmdutil.UsageError values that name a flag as the user typed it.
func Validate(set map[string]bool, o *Options, r *Raw, now time.Time) error {
	// An AWS CLI spelling counts as its flag; messages use the spelling
	// the user typed.
	typed := map[string]string{}
	for _, a := range awsCLIAliases {
		if set[a.alias] && set[a.flag] {
			return cmdutil.Usagef("--%s and --%s are the same flag; give one", a.flag, a.alias)
		}
		if set[a.alias] {
			set[a.flag], typed[a.flag] = true, a.alias
		}
	}
	spelled := func(name string) string {
		if alias, ok := typed[name]; ok {
			return "--" + alias
		}
		return "--" + name
	}

	// Where to list from.
	if o.Demo {
		for _, name := range []string{"region", "profile", "endpoint", "starting-token"} {
			if set[name] {
				return cmdutil.Usagef("%s cannot be used with --demo, which lists from a built-in fake service started anew by every run", spelled(name))
			}
		}
	} else if !set["project"] {
		return cmdutil.Usagef("missing --project ARN (or try --demo to list from a built-in fake service)")
	}
	o.Project = strings.TrimSpace(o.Project)
	if set["project"] {
		if err := cmdutil.CheckProjectArn(o.Project); err != nil {
			return cmdutil.Usagef("%s %v", spelled("project"), err)
		}
	}
	if set["endpoint"] {
		if err := cmdutil.CheckEndpoint(o.Endpoint, spelled("endpoint")); err != nil {
			return err
		}
	}
	if set["region"] && strings.TrimSpace(o.Region) == "" {
		return cmdutil.Usagef("--region is empty")
	}
	if set["profile"] && strings.TrimSpace(o.Profile) == "" {
		return cmdutil.Usagef("--profile is empty")
	}

	// What to list.
	o.Query.Project = o.Project
	if r.Status != "" {
		o.Status = devicefarm.TestGridSessionStatus(strings.ToUpper(strings.TrimSpace(r.Status)))
		if !o.Status.Known() {
			return cmdutil.Usagef("--status %q is not one of ACTIVE, CLOSED, ERRORED", r.Status)
		}
		o.Query.Status = string(o.Status)
	} else if set["status"] {
		return cmdutil.Usagef("--status is empty; use ACTIVE, CLOSED or ERRORED, or leave it out")
	}
	for _, tf := range []struct {
		name  string
		text  string
		bound **listing.TimeBound
	}{
		{"created-after", r.CreatedAfter, &o.Query.CreatedAfter},
		{"created-before", r.CreatedBefore, &o.Query.CreatedBefore},
		{"ended-after", r.EndedAfter, &o.Query.EndedAfter},
		{"ended-before", r.EndedBefore, &o.Query.EndedBefore},
	} {
		if !set[tf.name] {
			continue
		}
		t, err := cmdutil.ParseTime(tf.text, now)
		if err != nil {
			return cmdutil.Usagef("%s: %v", spelled(tf.name), err)
		}
		*tf.bound = &listing.TimeBound{Raw: strings.TrimSpace(tf.text), At: t}
	}

	// Paging.
	if set["max-result"] {
		if set["max-items"] || set["page-size"] {
			return cmdutil.Usagef("--max-result N means --max-items N --page-size N (one page of N, as the AWS CLI prints); give either --max-result or those")
		}
		if r.MaxResult < 1 || r.MaxResult > cmdutil.MaxPageSize {
			return cmdutil.Usagef("--max-result %d is out of range: it must be 1 to %d", r.MaxResult, cmdutil.MaxPageSize)
		}
		r.MaxItems, r.PageSize = r.MaxResult, r.MaxResult
	} else {
		if set["page-size"] && (r.PageSize < 1 || r.PageSize > cmdutil.MaxPageSize) {
			return cmdutil.Usagef("--page-size %d is out of range: it must be 1 to %d", r.PageSize, cmdutil.MaxPageSize)
		}
		if set["max-items"] && r.MaxItems < 1 {
			return cmdutil.Usagef("--max-items %d is out of range: it must be at least 1 (leave it out for all sessions)", r.MaxItems)
		}
	}
	o.PageSize = int32(r.PageSize)
	o.MaxItems = r.MaxItems
	if set["starting-token"] {
		tok, err := listing.DecodeResumeToken(r.StartingToken)
		if err != nil {
			return cmdutil.Usagef("%s: %v", spelled("starting-token"), err)
		}
		q, start, err := listing.ResumeFrom(tok, o.Query, spelled)
		if err != nil {
			return err
		}
		o.Query, o.Start = q, &start
	}
	o.CreatedAfter, o.CreatedBefore = o.Query.CreatedAfter.Time(), o.Query.CreatedBefore.Time()
	o.EndedAfter, o.EndedBefore = o.Query.EndedAfter.Time(), o.Query.EndedBefore.Time()
	if !o.CreatedAfter.IsZero() && !o.CreatedBefore.IsZero() && !o.CreatedAfter.Before(o.CreatedBefore) {
		return cmdutil.Usagef("%s (%s) must be before %s (%s)", spelled("created-after"), cmdutil.FormatTime(o.CreatedAfter), spelled("created-before"), cmdutil.FormatTime(o.CreatedBefore))
	}
	if !o.EndedAfter.IsZero() && !o.EndedBefore.IsZero() && !o.EndedAfter.Before(o.EndedBefore) {
		return cmdutil.Usagef("%s (%s) must be before %s (%s)", spelled("ended-after"), cmdutil.FormatTime(o.EndedAfter), spelled("ended-before"), cmdutil.FormatTime(o.EndedBefore))
	}
	return nil
}

// AddOutputFile defines -o and its long name --output-file, storing the
// path into p: where "testgrid sessions" and "testgrid summary" write
// their output instead of standard output (cmdutil.OpenOutput).
func AddOutputFile(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "o", "", "")
	fs.Var(fs.Lookup("o").Value, "output-file", "")
}
