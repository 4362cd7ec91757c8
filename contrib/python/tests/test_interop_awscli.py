"""The AWS CLI (`aws devicefarm ...`, a separate process) against
`testgrid serve`: each test grid operation, its happy path, a modelled
error and paging where it pages."""

import json
import os
import shutil
import subprocess

import pytest

PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
UNKNOWN = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000"

AWS = shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI (aws) is not on PATH")


class CLIError(Exception):
    """The CLI exited with a status other than 0; the message is its stderr."""


@pytest.fixture
def aws(testgrid_server, testgrid_control, tmp_path):
    """Runs `aws devicefarm OPERATION ARGS...` against the session fake and
    returns its JSON output; raises CLIError when it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(testgrid_server.env(), AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="3", AWS_PAGER="", HOME=str(tmp_path))

    def run(operation, *args):
        done = subprocess.run([AWS, "devicefarm", operation, "--endpoint-url", testgrid_server.endpoint,
                               "--output", "json", *args], env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise CLIError(done.stderr.strip())
        return json.loads(done.stdout) if done.stdout.strip() else {}

    return run


def cli_pages(aws, operation, key, *args):
    out, token = [], None
    while True:
        page = aws(operation, *args, *(["--next-token", token] if token else []))
        out.append(page[key])
        token = page.get("nextToken")
        if not token:
            return out


class TestListTestGridSessions:
    def test_pages(self, aws, testgrid_control):
        got = cli_pages(aws, "list-test-grid-sessions", "testGridSessions", "--project-arn", PROJECT,
                        "--max-result", "50")
        assert [len(p) for p in got] == [50, 50, 37]
        sessions = [s for page in got for s in page]
        assert [s["arn"] for s in sessions] == [s["arn"] for s in testgrid_control.sessions(PROJECT)]

    def test_not_found(self, aws):
        with pytest.raises(CLIError, match=r"\(NotFoundException\) when calling the ListTestGridSessions operation"):
            aws("list-test-grid-sessions", "--project-arn", UNKNOWN)

    def test_throttle_retried(self, aws, testgrid_control):
        testgrid_control.fault("Throttling")
        assert len(aws("list-test-grid-sessions", "--project-arn", PROJECT, "--max-result", "5")["testGridSessions"]) == 5
        assert [r.get("errorCode", "") for r in testgrid_control.requests()] == ["ThrottlingException", ""]

    def test_output_loads_into_a_fake(self, aws, testgrid_control, testgrid_serve, tmp_path):
        """What the CLI prints, `testgrid serve --load` serves."""
        page = aws("list-test-grid-sessions", "--project-arn", PROJECT, "--max-result", "50")
        loaded = testgrid_serve(load=page)
        assert loaded.ready["projects"] == [{"arn": PROJECT, "sessions": 50}]
        assert loaded.control.sessions(PROJECT) == testgrid_control.sessions(PROJECT)[:50]
