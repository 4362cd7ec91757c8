"""pytest fixtures that run `testgrid serve`, a fake AWS Device Farm.

Copy this file next to your tests. One fake runs per test session on a free
port; the fixtures read the JSON line it prints once it listens and hand
tests a boto3 Device Farm client pointed at it. After each test the fake is
reset (data, queued faults, request log) through its control API.

Environment: TESTGRID is the testgrid binary (default: testgrid on PATH);
TESTGRID_SERVE_ARGS are the flags of `testgrid serve` (default: one project
of 137 generated sessions, 20 per page).
"""

import json
import os
import selectors
import shlex
import subprocess
import urllib.error
import urllib.request

import boto3
import botocore.config
import pytest

DEFAULT_SERVE_ARGS = (
    "--project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:"
    "8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11 --sessions 137 --seed 7 --page-size 20"
)


@pytest.fixture(scope="session")
def testgrid_serve():
    """Starts the fake and yields its ready line as a dict: endpoint,
    control, region, accessKeyId, secretAccessKey, pageSize, projects..."""
    args = [os.environ.get("TESTGRID", "testgrid"), "serve"]
    args += shlex.split(os.environ.get("TESTGRID_SERVE_ARGS", DEFAULT_SERVE_ARGS))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout=30):
                raise RuntimeError("testgrid serve printed no ready line within 30 s")
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"testgrid serve exited with status {proc.wait(10)}")
        yield json.loads(line)
    finally:
        proc.terminate()  # SIGTERM: the fake stops gracefully, status 0
        try:
            status = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        proc.stdout.close()
        assert status == 0, f"testgrid serve exited with status {status}"


@pytest.fixture
def control(testgrid_serve):
    """Calls the fake's control API: control("POST", "/faults", {...})
    returns the JSON answer as a dict. Resets the fake after the test."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(testgrid_serve["control"] + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with opener.open(req, timeout=10) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: HTTP {e.code}: {json.load(e)['error']}") from None

    yield call
    call("POST", "/reset")


@pytest.fixture
def devicefarm(testgrid_serve, control):
    """A boto3 Device Farm client for the fake: its endpoint, region and
    credentials, standard retry mode (3 attempts)."""
    return boto3.client(
        "devicefarm",
        endpoint_url=testgrid_serve["endpoint"],
        region_name=testgrid_serve["region"],
        aws_access_key_id=testgrid_serve["accessKeyId"],
        aws_secret_access_key=testgrid_serve["secretAccessKey"],
        aws_session_token=testgrid_serve.get("sessionToken"),
        config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 3}),
    )
