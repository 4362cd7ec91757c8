package serve

// Usage is the help text of "testgrid serve".
const Usage = `Usage:
  testgrid serve [--addr HOST:PORT] [--project ARN --sessions N [--seed S]]...
                 [--load FILE]... [flags]

Run a fake AWS Device Farm test grid (projects, URLs, sessions, their
actions and artifacts) until interrupted, for test suites in any
language: point an AWS SDK or the AWS CLI at it.

Once it listens, it prints one line on stdout, a JSON object:
  {"endpoint":"http://127.0.0.1:PORT","control":"http://127.0.0.1:PORT/_testgrid",
   "region":"us-west-2","accessKeyId":"...","secretAccessKey":"...",
   "epoch":"...","pageSize":50,"projects":[{"arn":"...","sessions":N}]}
(and "sessionToken" when one is set). Notices go to stderr. Ctrl-C or
SIGTERM stops it (exit status 0).

Listening:
  --addr HOST:PORT     where to listen (default 127.0.0.1:0, a free port);
                       a non-loopback address is allowed, with a notice:
                       the control API has no authentication
  --latency D          wait D before every answer (e.g. 200ms)
  --page-size N        sessions per page when a request has no maxResult,
                       1-1000 (default 50)

Credentials the fake accepts (SigV4 signatures are verified):
  --region R           the region requests must be signed for
                       (default us-west-2)
  --access-key-id ID   default: devicefarmtest's test key
  --secret-access-key K
  --session-token T    when set, requests must carry it (default: none)
  --any-credentials    accept any key pair and session token: only the
                       signature's form and scope (date, region, service)
                       are checked

Data:
  --project ARN        a test grid project; repeat for more projects
  --sessions N         generate N sessions for the --project before it
                       (0-1000000, default 0: an empty project)
  --seed S             generator seed for that --project (default 1)
  --epoch T            generated sessions lie before T (RFC 3339, a date,
                       or a duration before now such as 1h; default now)
  --load FILE          load sessions from FILE, as written by
                       'testgrid sessions --output json' or '--output ndjson',
                       or by 'aws devicefarm list-test-grid-sessions'; each
                       session's project comes from its ARN. A document may
                       add "projects" and "sessionData" (actions, artifacts).
                       Repeatable

Test grid (CreateTestGridUrl's URL is a WebDriver remote end, loopback
clients only; each WebDriver session is a TestGridSession):
  --chromedriver PATH  the chromedriver serve starts on a loopback port
                       (default /usr/bin/chromedriver, Debian's
                       chromium-driver); headless Chromium, a fresh profile
                       per session; "none": the grid is off
  --webdriver URL      use this running WebDriver server instead
                       (http://127.0.0.1:PORT; loopback only)
  --max-sessions N     sessions at once, 1-1000 (default 50, Device Farm's
                       quota); one more fails "session not created"
  --idle-timeout D     end a session with no command for D, ERRORED
                       (default 5m; at least 1s)
  --session-rate N     sessions created per second at most; one more fails
                       "session not created" (default 0: no cap)
  --url-rate N         CreateTestGridUrl calls per second at most; one more
                       gets a ThrottlingException (default 0: no cap)
  --quotas             Device Farm's creation quotas: --session-rate 5 and
                       --url-rate 10, unless given

Limits (a client cannot make the fake use more):
  --request-log N      requests the log keeps, newest first (default 10000)
  --request-log-mb N   MiB the log holds at most (default 32); a rejected
                       request keeps only its sizes and a 64-byte excerpt
  --max-stored-sessions N
                       sessions the control API may bring the total to
                       (default 1000000; data from the command line counts)
  --max-faults N       requests the queued faults may fail in total
                       (default 100000)
  --max-conns N        open connections at once; more wait (default 512)
  --read-timeout D     to read a whole request, body included (default 1m)
  --write-timeout D    to write a response (default 12m: past the longest
                       fault delay and latency, 10m)
  --conn-idle-timeout D
                       a keep-alive connection idle between requests is
                       closed after D (default 2m)
  Headers are read within 30s and hold at most 64 KiB.

Control API (unauthenticated JSON, on the same port under /_testgrid/):
  GET  /_testgrid/health      POST /_testgrid/reset
  GET|POST /_testgrid/projects  GET|POST /_testgrid/sessions
  GET|POST /_testgrid/session-data  POST /_testgrid/seed
  GET|POST|DELETE /_testgrid/faults  GET  /_testgrid/requests
  POST /_testgrid/latency   POST /_testgrid/end-session
A POST needs Content-Type: application/json (else 415). Requests with an
Origin header that is not a loopback host are refused (403), and so,
when listening on loopback, are requests whose Host is not localhost,
127.x.x.x or [::1] with the port: web pages cannot drive the fake.
See SERVE.md for every endpoint.

  -h, --help           show this help

Exit status: 0 stopped by a signal; 1 cannot listen or serve; 2 usage
error or a --load file that cannot be read (one line naming the file and
position).

Examples:
  testgrid serve --project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:ID --sessions 200
  testgrid sessions --demo --output json > sessions.json && testgrid serve --load sessions.json
`
