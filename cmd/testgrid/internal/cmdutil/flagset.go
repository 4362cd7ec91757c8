package cmdutil

import (
	"errors"
	"flag"
	"io"
	"strings"

	"github.com/testgridkit/devicefarm/internal/endpointurl"
)

// NewFlagSet returns an empty flag set for the command name ("testgrid
// sessions"). Its messages are discarded: parseFlags reports errors as one
// line plus a pointer to --help (see UsageFailure), and each command has
// its own help text.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// ParseFlags parses args with fs, which takes only flags, and returns the
// names of the flags given. It returns flag.ErrHelp when help was asked
// for, and a *UsageError for anything wrong.
func ParseFlags(fs *flag.FlagSet, args []string) (set map[string]bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, Usagef("%s", strings.Replace(err.Error(), " -", " --", 1))
	}
	if fs.NArg() > 0 {
		return nil, Usagef("unexpected argument %q: %s takes only flags", fs.Arg(0), fs.Name())
	}
	set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set, nil
}

// CheckEndpoint rejects --endpoint values that cannot be a base URL, by the
// library's own rule (package endpointurl), worded for flag, the flag's
// name as the user typed it (--endpoint or --endpoint-url): no scheme, not
// http or https, no host, user information, a query or fragment, and plain
// http:// to a host that is not loopback (the signature and session token
// would travel in clear).
//
// The value is never echoed before it parses as a URL without user
// information: url.Parse's *url.Error quotes the raw text, password
// included, so only its inner error is shown, and a value without "://"
// ("admin:secret@host") parses as a scheme and opaque data, printed whole.
// Once parsed, it is shown with u.Redacted().
func CheckEndpoint(s, flag string) error {
	u, problem, err := endpointurl.Check(s)
	switch problem {
	case endpointurl.NoScheme:
		return Usagef("%s has no scheme: write https://HOST[:PORT], or http://127.0.0.1:PORT for a local fake", flag)
	case endpointurl.Unparseable:
		return Usagef("%s is not a URL: %v", flag, err)
	case endpointurl.BadScheme:
		return Usagef("%s %q must start with https:// (or http:// for a local fake)", flag, u.Redacted())
	case endpointurl.NoHost:
		return Usagef("%s %q has no host", flag, u.Redacted())
	case endpointurl.UserInfo:
		return Usagef("%s must not contain user information", flag)
	case endpointurl.QueryOrFragment:
		return Usagef("%s must not have a query or fragment", flag)
	case endpointurl.Plaintext:
		return Usagef("%s %q must use https:// (plain http:// is only for loopback hosts)", flag, u.Redacted())
	}
	return nil
}
