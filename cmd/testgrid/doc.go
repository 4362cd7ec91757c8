// Testgrid lists the Selenium sessions of an AWS Device Farm test grid
// project (DeviceFarm ListTestGridSessions), following every page.
//
// Usage:
//
//	testgrid sessions --project ARN [--status ACTIVE|CLOSED|ERRORED]
//	    [--created-after T] [--created-before T] [--ended-after T] [--ended-before T]
//	    [--page-size N] [--max-items N] [--output table|json|ndjson|csv]
//	    [--region R] [--profile P] [--endpoint URL]
//	testgrid sessions --demo [flags]
//	testgrid help [sessions]
//
// Run "testgrid sessions --help" for the full flag reference. Try it without
// an AWS account:
//
//	go run ./cmd/testgrid sessions --demo
//
// # Times
//
// T is an RFC 3339 time (2025-03-01T09:30:00Z, 2025-03-01T09:30:00.5+01:00),
// a date (2025-03-01, midnight UTC), or a duration before now: Go duration
// syntax (45s, 90m, 36h, 1h30m) or whole days and weeks (7d, 2w, 1w3d,
// 1d12h). A day is 24 hours.
//
// # Credentials and region
//
// Credentials, region and profiles come from aws-sdk-go-v2's
// config.LoadDefaultConfig: environment variables, the shared config and
// credentials files, SSO, web identity, container and instance roles.
// --profile selects a shared config profile and --region overrides the
// region; with no region configured anywhere, us-west-2 (the only region
// DeviceFarm serves) is used. --endpoint (or --endpoint-url, the AWS CLI's
// spelling) sends requests to another endpoint, such as a local fake; plain
// http:// is accepted only for loopback hosts. Without it, the endpoint
// settings of the AWS SDKs apply: AWS_ENDPOINT_URL_DEVICE_FARM or the
// profile's services section (device_farm), then AWS_ENDPOINT_URL or the
// profile's endpoint_url, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is set.
// Credentials are retrieved before the first request, so a missing or
// expired login is reported as such (exit status 1); they are never
// printed. The SDK's own log output is switched off: every problem is
// reported in the command's one error line.
//
// --demo starts an in-process fake of the service (package devicefarmtest)
// holding a few hundred generated sessions of a fixed demo project, created
// during the 30 days before now, and lists from it. It loads no AWS
// configuration and needs no credentials or network; --project is optional
// and --region, --profile and --endpoint are refused.
//
// # Paging
//
// --page-size is the number of sessions asked for per request (1-1000; by
// default the service chooses). --max-items is the total number of sessions
// to print; once it is reached no further page is fetched. The two are
// independent.
//
// # Output
//
// Data goes to standard output and nothing else does; progress, notices and
// errors go to standard error. Times are RFC 3339 in UTC.
//
//   - table (default): aligned columns SESSION ID, STATUS, CREATED, ENDED,
//     DURATION and BILLING MIN, then a line with the number of sessions and
//     the total billing minutes. Active sessions show "-" for ENDED and
//     DURATION. The table is written when the listing ends (aligning columns
//     needs every row), so it holds all rows in memory.
//   - json: one document, {"sessions":[...]}, one session object per line.
//   - ndjson: one session object per line.
//   - csv: a header row, then one row per session (RFC 4180).
//
// A session object has arn, id, status, created, ended and durationSeconds
// (both omitted while the session is active), billingMinutes (null if the
// service sent NaN or an infinity) and seleniumProperties (embedded as a JSON
// object when the service's text is one, otherwise a string; omitted when
// empty). CSV has the same columns, empty when absent, with
// seleniumProperties as the service's text.
//
// json, ndjson and csv are written page by page as pages arrive, so memory
// use does not grow with the number of sessions. If the command fails or is
// interrupted after the first page arrived, what was received is still
// written and the json document is closed, so it stays valid. If it fails
// before any page arrived, standard output stays empty.
//
// When standard error is a terminal and the listing spans more than one
// page, a progress line (pages, sessions, elapsed time) is shown there and
// erased at the end.
//
// # Exit status
//
//	0    success
//	1    service, network, credentials or output error: one line on
//	     standard error; for a service error it has the error code,
//	     message, HTTP status and request ID
//	2    usage error: bad flags, times, status, output format, or a
//	     configuration (profile, region, endpoint) that cannot work
//	130  interrupted (Ctrl-C or SIGTERM): fetching stops, what was received
//	     is written and closed validly. A second Ctrl-C kills at once.
package main
