"""Run `testgrid serve` as a process and drive its control API."""

import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

#: Seconds to wait for the ready line, and for the exit after SIGTERM.
READY_TIMEOUT = 30
STOP_TIMEOUT = 10

# Control answers are small JSON objects, except the session listing of a
# large project; an answer larger than this is refused.
_MAX_ANSWER = 256 << 20


class TestgridError(Exception):
    """`testgrid serve` could not start or stop as expected, or its control
    API refused a request. The message names what went wrong."""

    __test__ = False  # not a test class, although its name starts with "Test"


def find_binary(explicit=None):
    """The testgrid binary: `explicit` (an option's value) if given, else
    the TESTGRID environment variable, else `testgrid` on PATH."""
    name = explicit or os.environ.get("TESTGRID") or "testgrid"
    path = shutil.which(name)
    if path is None:
        raise TestgridError(
            f"testgrid binary {name!r} not found: pass --testgrid-binary, set TESTGRID, or put testgrid on PATH "
            "(go install github.com/testgridkit/devicefarm/cmd/testgrid@latest)")
    return path


def _camel(name):
    """project_arn -> projectArn: keyword arguments in Python's style name
    the control API's members."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def _project_query(project_arn):
    return "" if project_arn is None else "?" + urllib.parse.urlencode({"projectArn": project_arn})


class Control:
    """The control API of one `testgrid serve` (its ready line's `control`
    URL). Each method returns the decoded JSON answer; an answer other than
    200 raises TestgridError with the fake's message."""

    def __init__(self, url, timeout=10):
        self.url = url.rstrip("/")
        self.timeout = timeout
        # The fake is on loopback: never send control requests through a proxy.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method, path, body=None):
        """Any control request: call("POST", "/faults", {...})."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None or method == "POST" else {}
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                answer = resp.read(_MAX_ANSWER + 1)
        except urllib.error.HTTPError as e:
            with e:
                try:
                    message = json.loads(e.read(1 << 16)).get("error", "")
                except ValueError:
                    message = "(not a JSON answer)"
            raise TestgridError(f"{method} {path}: HTTP {e.code}: {message}") from None
        if len(answer) > _MAX_ANSWER:
            raise TestgridError(f"{method} {path}: answer over {_MAX_ANSWER} bytes")
        return json.loads(answer)

    def health(self):
        """GET /health: status, projects, pending faults, request count."""
        return self.call("GET", "/health")

    def reset(self, *, data=False, faults=False, requests=False):
        """POST /reset: with no argument, the data (back to what the command
        line loaded), the faults and the request log; else only the parts
        set to True."""
        parts = {k: True for k, v in (("data", data), ("faults", faults), ("requests", requests)) if v}
        return self.call("POST", "/reset", parts or None)

    def projects(self):
        """GET /projects: every project, in ListTestGridProjects order, with
        its number of sessions."""
        return self.call("GET", "/projects")["testGridProjects"]

    def add_project(self, arn=None, **fields):
        """POST /projects: add a project (a random ARN unless `arn` is
        given; name, description, vpc_config, created), or change the
        members given of an existing one. Returns the project."""
        body = {_camel(k): v for k, v in fields.items()}
        if arn is not None:
            body["arn"] = arn
        return self.call("POST", "/projects", body)["testGridProject"]

    def seed(self, project_arn, sessions, seed=1):
        """POST /seed: generate `sessions` sessions for a project."""
        return self.call("POST", "/seed", {"projectArn": project_arn, "sessions": sessions, "seed": seed})

    def load(self, sessions=(), project_arn=None):
        """POST /sessions: add sessions in the service's wire shape (dicts
        as ListTestGridSessions returns them, times in epoch seconds).
        With `project_arn` and no sessions, register an empty project."""
        body = {"testGridSessions": list(sessions)}
        if project_arn is not None:
            body["projectArn"] = project_arn
        return self.call("POST", "/sessions", body)

    def sessions(self, project_arn):
        """GET /sessions: the sessions of a project, in listing order."""
        return self.call("GET", "/sessions?" + urllib.parse.urlencode({"projectArn": project_arn}))["testGridSessions"]

    def add_session_data(self, session_arn, actions=(), artifacts=()):
        """POST /session-data: append actions (the service's shape) and
        artifacts (filename, type, contentType, and `text` or `base64`) to
        a loaded session."""
        return self.call("POST", "/session-data",
                         {"sessionArn": session_arn, "actions": list(actions), "artifacts": list(artifacts)})

    def session_data(self, session_arn):
        """GET /session-data: a session's actions, and its artifacts with
        their sizes."""
        return self.call("GET", "/session-data?" + urllib.parse.urlencode({"sessionArn": session_arn}))

    def faults(self, *faults):
        """POST /faults: arm faults (dicts in the control API's shape), all
        or none. Returns {"queued": N, "pending": M, "faults": [...]}."""
        return self.call("POST", "/faults", {"faults": list(faults)})

    def fault(self, preset=None, **fields):
        """Arm one fault; keyword arguments in snake_case name its members:
        fault("Throttling", project_arn=P, operation="ListTestGridSessions",
        nth=3), fault(kind="FaultHang")."""
        body = {_camel(k): v for k, v in fields.items()}
        if preset is not None:
            body["preset"] = preset
        return self.faults(body)

    def pending_faults(self, project_arn=None):
        """GET /faults: the faults that will still fire (with `fired` and
        `pending`), all or those aimed at a project."""
        return self.call("GET", "/faults" + _project_query(project_arn))

    def clear_faults(self, project_arn=None):
        """DELETE /faults: disarm every fault, or those aimed at a project."""
        return self.call("DELETE", "/faults" + _project_query(project_arn))

    def requests(self):
        """GET /requests: the service requests since the start or the last
        reset, oldest first (method, target, status, errorCode, fault...)."""
        return self.call("GET", "/requests")["requests"]

    def latency(self, duration):
        """POST /latency: wait `duration` (a Go duration such as "250ms";
        "0s" removes it) before every answer."""
        return self.call("POST", "/latency", {"latency": duration})


class ServeProcess:
    """A running `testgrid serve`. `ready` is its ready line as a dict
    (endpoint, control, region, accessKeyId, secretAccessKey, projects...);
    `control` drives its control API. Use it as a context manager, or call
    stop(), which raises TestgridError unless the process exits with
    status 0 after SIGTERM."""

    def __init__(self, binary, args=(), ready_timeout=READY_TIMEOUT):
        self.args = [binary, "serve", *args]
        # Its stderr (notices, errors; nothing secret) goes to a file that
        # errors quote: a pipe nobody reads could fill up and block it.
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=self._stderr)
        try:
            self.ready = self._read_ready(ready_timeout)
        except BaseException:
            self._kill()
            raise
        self.control = Control(self.ready["control"])

    def _read_ready(self, timeout):
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout=timeout):
                raise TestgridError(f"testgrid serve printed no ready line within {timeout} s: {self.stderr()}")
        line = self._proc.stdout.readline(1 << 20)
        if not line.endswith(b"\n"):
            status = self._proc.wait(STOP_TIMEOUT)
            raise TestgridError(f"testgrid serve exited with status {status}: {self.stderr()}")
        return json.loads(line)

    def stderr(self):
        """What the process wrote on stderr so far (at most its last 4 KiB)."""
        self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(0, self._stderr.tell() - 4096))
        return self._stderr.read().decode("utf-8", "replace").strip()

    @property
    def endpoint(self):
        """The base URL for an SDK's endpoint_url."""
        return self.ready["endpoint"]

    @property
    def region(self):
        return self.ready["region"]

    @property
    def projects(self):
        """The ARNs of the projects the ready line lists."""
        return [p["arn"] for p in self.ready["projects"]]

    def client_kwargs(self):
        """Keyword arguments of boto3.client for this fake: endpoint_url,
        region_name and the credentials it accepts."""
        return {
            "endpoint_url": self.endpoint,
            "region_name": self.region,
            "aws_access_key_id": self.ready["accessKeyId"],
            "aws_secret_access_key": self.ready["secretAccessKey"],
            "aws_session_token": self.ready.get("sessionToken"),
        }

    def client(self, **kwargs):
        """A boto3 Device Farm client for this fake (standard retry mode,
        3 attempts). Keyword arguments override client_kwargs()."""
        import boto3  # only those who ask for a client need boto3
        import botocore.config

        options = self.client_kwargs()
        options.setdefault("config", botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 3}))
        options.update(kwargs)
        return boto3.client("devicefarm", **options)

    def env(self):
        """Environment variables that point the AWS CLI (or any SDK reading
        the environment) at this fake; pass --endpoint-url as well."""
        env = {
            "AWS_ACCESS_KEY_ID": self.ready["accessKeyId"],
            "AWS_SECRET_ACCESS_KEY": self.ready["secretAccessKey"],
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }
        if "sessionToken" in self.ready:
            env["AWS_SESSION_TOKEN"] = self.ready["sessionToken"]
        return env

    def stop(self):
        """SIGTERM, then require exit status 0 within STOP_TIMEOUT seconds."""
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
        try:
            status = self._proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._kill()
            raise TestgridError(f"testgrid serve did not stop within {STOP_TIMEOUT} s of SIGTERM") from None
        finally:
            self._proc.stdout.close()
        try:
            if status != 0:
                raise TestgridError(f"testgrid serve exited with status {status}: {self.stderr()}")
        finally:
            self._stderr.close()

    def _kill(self):
        self._proc.kill()
        self._proc.wait()
        self._proc.stdout.close()
        self._stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
