// Testgrid lists the Selenium sessions of an AWS Device Farm test grid
// project (DeviceFarm ListTestGridSessions), following every page;
// summarises them as a table, JSON, CSV or a one-file HTML report; watches
// them start and end, with Prometheus metrics; and serves a fake of the service for test suites in any language.
//
// Usage:
//
//	testgrid sessions --project ARN [--status ACTIVE|CLOSED|ERRORED]
//	    [--created-after T] [--created-before T] [--ended-after T] [--ended-before T]
//	    [--page-size N] [--max-items N] [--starting-token TOKEN]
//	    [--output table|json|ndjson|csv|aws-json] [-o FILE] [--debug]
//	    [--region R] [--profile P] [--endpoint URL]
//	testgrid sessions --demo [flags]
//	testgrid summary [the selection and AWS flags of sessions] [--tz ZONE] [--ascii]
//	    [--output table|json|csv|markdown|html] [-o FILE] [--list-errored N]
//	    [--max-errored N|P%] [--max-active N|P%]
//	testgrid watch --project ARN [--created-after T] [--interval D]
//	    [--until-idle [--allow-empty]] [--fail-on-errored] [--resume TOKEN]
//	    [--output table|ndjson] [--metrics-addr HOST:PORT] [AWS flags]
//	testgrid watch --demo [flags]
//	testgrid serve [--addr HOST:PORT] [--project ARN --sessions N [--seed S]]...
//	    [--load FILE]... [flags]
//	testgrid help [sessions|summary|serve|watch]
//	testgrid version (or testgrid --version)
//
// Run "testgrid sessions --help" for the full flag reference. Try it without
// an AWS account:
//
//	go run ./cmd/testgrid sessions --demo
//
// # Times
//
// T is an RFC 3339 time (2025-03-01T09:30:00Z, 2025-03-01T09:30:00.5+01:00),
// a date (2025-03-01, midnight UTC), epoch seconds as the AWS CLI takes them
// (1740821400, 1740821400.5), or a duration before now: Go duration syntax
// (45s, 90m, 36h, 1h30m) or whole days and weeks (7d, 2w, 1w3d, 1d12h). A
// day is 24 hours. A bare number is always epoch seconds, never a duration
// missing its unit; epoch seconds before 2000 (likely a forgotten unit, as
// in "7") or after 9999 (likely milliseconds) are refused, and so are
// negative ones. Unlike the AWS CLI, which drops the fraction, testgrid
// sends it (to the millisecond).
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
// # Paging and resuming
//
// --page-size is the number of sessions asked for per request (1-1000; by
// default the service chooses). --max-items is the total number of sessions
// to print; once it is reached no further page is fetched. The two are
// independent.
//
// When the output stops before the end of the listing (--max-items reached,
// Ctrl-C, a failure after some pages), testgrid prints a resume token: as
// "nextToken" in the json and aws-json documents, otherwise on standard
// error as one line, "testgrid: more sessions follow; resume with
// --starting-token TOKEN". --starting-token TOKEN continues exactly there,
// even inside a page that --max-items cut, so walking a listing in chunks
// prints every session once, in order. The token records the service's
// nextToken of the page, how many of its sessions were printed, the page
// size it was asked for with (the first request of the resumed run uses it
// again, so that the page holds the same sessions), and the query: project,
// status, and each time flag as typed and the instant it meant. The resumed
// run must give the same --project, --status and time flags, typed the
// same; a relative time such as 24h then keeps meaning what it meant in the
// first run. Anything else, and a token that is not one, is a usage error
// (exit status 2) naming what differs. --page-size, --max-items and
// --output may change between runs. --demo prints no tokens and refuses
// --starting-token: its service lives only as long as one run.
//
// # Coming from the AWS CLI
//
// The AWS CLI's spellings of the options of "aws devicefarm
// list-test-grid-sessions" are accepted as other names of testgrid's flags:
// --project-arn (--project), --creation-time-after and --creation-time-before
// (--created-after, --created-before), --end-time-after and --end-time-before
// (--ended-after, --ended-before), --next-token (--starting-token, with a
// token testgrid printed) and --endpoint-url (--endpoint). --max-result N,
// which makes the AWS CLI print one page of at most N sessions and its
// nextToken, means --max-items N --page-size N: one request, then the resume
// token. Giving a flag under both names is a usage error. --output aws-json
// prints the --output json document of AWS CLI v1 (see Output; v2 prints
// ISO 8601 times unless cli_timestamp_format = none), so a script ports by
// changing the command name and its --output value. --debug writes
// the library's per-attempt records, not the AWS CLI's botocore log.
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
//   - aws-json: the document that "aws devicefarm list-test-grid-sessions
//     --output json" prints with AWS CLI v1, or with AWS CLI v2 configured
//     with cli_timestamp_format = none (by default v2 prints times as ISO
//     8601 text): {"testGridSessions":[...]}, with the service's
//     members (arn, status, created, ended, billingMinutes,
//     seleniumProperties), times as epoch seconds as the service sends them
//     (a whole number, or up to three decimals), seleniumProperties as the
//     service's string, members the service omits omitted (ended while
//     active, seleniumProperties when empty), a NaN or infinite
//     billingMinutes as the service's string ("NaN"), and the AWS CLI's
//     4-space indentation. It spans the whole listing, where the AWS CLI
//     prints one page.
//
// A session object has arn, id, status, created, ended and durationSeconds
// (both omitted while the session is active), billingMinutes (null if the
// service sent NaN or an infinity) and seleniumProperties (embedded as a JSON
// object when the service's text is one, otherwise a string; omitted when
// empty). CSV has the same columns, empty when absent, with
// seleniumProperties as the service's text.
//
// Strings from the service cannot drive the terminal through table output:
// control characters, escape sequences and invisible formatting characters
// are shown escaped, Go style (\x1b, \n, \u202e). CSV cells that a
// spreadsheet would run as a formula, starting with =, +, -, @, a tab or a
// carriage return, are prefixed with a single quote as OWASP recommends;
// numbers are never negative, so only text can change, and there is no
// switch to turn it off. The JSON formats escape control characters as JSON
// does.
//
// json, ndjson, csv and aws-json are written page by page as pages arrive,
// so memory use does not grow with the number of sessions. If the command
// fails or is interrupted after the first page arrived, what was received is
// still written and the json and aws-json documents are closed, so they stay
// valid. If it fails before any page arrived, standard output stays empty.
//
// -o FILE (or --output-file FILE) writes to FILE instead of standard
// output, atomically: into a temporary file in FILE's directory, synced and
// renamed over FILE once the listing has succeeded. After an error or an
// interruption FILE keeps what it had, no temporary file is left, and the
// resume token goes to standard error.
//
// When standard error is a terminal and the listing spans more than one
// page, a progress line (pages, sessions, elapsed time) is shown there and
// erased at the end.
//
// --debug writes one log/slog text record per HTTP attempt to standard error
// (operation, attempt, status, request ID, latency, error, retry delay):
// the library's records, which never hold credentials, signatures, headers
// or bodies. It turns the progress line off and never changes standard
// output.
//
// # Version
//
// "testgrid version" (or "testgrid --version") prints "key: value" lines:
// testgrid (the main module's version from the build information, "(devel)"
// when built from a checkout), commit (the VCS revision, when stamped),
// library (devicefarm.Version, and the module version when the library is a
// dependency) and go (toolchain and platform).
//
// # Exit status
//
//	0    success
//	1    service, network, credentials or output error: one line on
//	     standard error; for a service error it has the error code,
//	     message, HTTP status and request ID
//	2    usage error: bad flags, times, status, output format, a
//	     --starting-token that is not one or belongs to another listing,
//	     or a configuration (profile, region, endpoint) that cannot work;
//	     the line says what to do, such as "pass --region us-west-2"
//	130  interrupted (Ctrl-C or SIGTERM): fetching stops, what was received
//	     is written and closed validly, with the resume token. A second
//	     Ctrl-C kills at once.
//
// Reaching --max-items is a success (0), with the resume token printed.
// "testgrid summary" also exits 1 when a gate (--max-errored,
// --max-active) is exceeded, after writing its output in full.
// # Summary
//
// "testgrid summary" takes the selection and AWS flags of "sessions" and
// summarises the listing as pages arrive, in memory that does not grow with
// the number of sessions nor with the time span they claim: totals and
// share per status, billing minutes,
// durations of ended sessions (median and p95 within 1%, exact max),
// sessions per day in --tz (default UTC), the browser (browserName,
// browserVersion) and platform (platformName) mix from seleniumProperties
// ("(unknown)" without them), and the peak number of sessions running at
// once, overall and per hour; ACTIVE sessions run until now. --output table
// (bars in Unicode blocks, ASCII with --ascii, TERM=dumb or a non-UTF-8
// locale), json, csv (section,name,version,metric,value), markdown
// (GitHub-flavoured, for a CI job summary) or html: one self-contained
// page, inline CSS and SVG, no script, nothing fetched, readable from 360 px
// wide phones to desktops, in a light or dark theme as the viewer prefers.
// Every format lists the newest errored sessions (--list-errored, default
// 20: ARN, created, duration, browser, platform), then how many more. -o
// FILE writes atomically, as for sessions.
//
// As a CI gate, --max-errored LIMIT fails the command (status 1) when the
// ERRORED sessions exceed LIMIT, a share of all sessions (5%) or a number
// (3), with one line on standard error such as "errored 8.8% (22 of 250)
// exceeds --max-errored 5%"; --max-active does the same for sessions still
// ACTIVE. The output is written in full first.
// Service strings are escaped. A failed or interrupted listing writes no
// summary. If sessions arrive out of creation order, concurrency is a lower
// bound (json "exact": false). Days are shown for the last 3,653 (10 years)
// at most, up to the latest creation, and hours for the last 8,784 (366
// days) at most, ending at most a day after the latest start (or now while
// sessions are active); what falls outside is summed up (json earlierDays,
// concurrency.hoursBefore and hoursAfter) and noted (json "notes", a
// "Note:" line in the table and the HTML, a warning on standard error). The
// overall peak stays exact.
//
// # Watch
//
// "testgrid watch" prints one event when a session of the project is first
// seen (started) and one when it is first seen CLOSED or ERRORED (ended),
// each once per watch, as a table or NDJSON ({"event", "session", "time"},
// the session as "sessions --output ndjson" writes it). --until-idle exits
// once no session is ACTIVE, after at least one was seen (at once with
// --allow-empty); --fail-on-errored then exits 1 if one ended ERRORED. On
// Ctrl-C it prints "testgrid: resume with --resume TOKEN" on stderr.
// --metrics-addr serves Prometheus metrics on a loopback address. At the
// default 30-second interval it sends 240 requests an hour. Run "testgrid
// watch --help" for the flags.
//
// # Serve
//
// "testgrid serve" runs package devicefarmtest's fake as a process: it
// prints one JSON line (endpoint, region, credentials, projects) once it
// listens, serves ListTestGridSessions with SigV4 checks, and answers an
// unsigned JSON control API under /_testgrid/ (health, reset, sessions,
// seed, faults, requests, latency). SIGINT and SIGTERM stop it with status
// 0. SERVE.md at the repository root is its reference.
package main
