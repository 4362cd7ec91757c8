"""The AWS CLI (`aws devicefarm ...`, a separate process) against
`testgrid serve`: each test grid operation, its happy path, a modelled
error and paging where it pages."""

import datetime
import json
import os
import shutil
import subprocess

import pytest

from grid import PROJECT, UNKNOWN, UNKNOWN_SESSION, session, session_arn

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
    """Every page, following nextToken: the CLI has no paginator for the
    test grid operations and prints one page."""
    out, token = [], None
    while True:
        page = aws(operation, *args, *(["--next-token", token] if token else []))
        out.append(page[key])
        token = page.get("nextToken")
        if not token:
            return out


def is_timestamp(value):
    """A timestamp as the CLI prints it: epoch seconds (v1) or ISO 8601 (v2)."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).tzinfo is not None
    return isinstance(value, (int, float)) and value > 1e9


def fails_with(code, operation):
    return pytest.raises(CLIError, match=rf"\({code}\) when calling the {operation} operation")


class TestProjects:
    def test_create_get_update_list_delete(self, aws):
        project = aws("create-test-grid-project", "--name", "checkout suite", "--description", "nightly")["testGridProject"]
        assert (project["name"], project["description"]) == ("checkout suite", "nightly")
        assert is_timestamp(project["created"])
        assert aws("get-test-grid-project", "--project-arn", project["arn"])["testGridProject"] == project
        updated = aws("update-test-grid-project", "--project-arn", project["arn"], "--name", "renamed")
        assert updated["testGridProject"] == {**project, "name": "renamed"}
        got = cli_pages(aws, "list-test-grid-projects", "testGridProjects", "--max-result", "1")
        assert [len(p) for p in got] == [1, 1]
        assert {p["arn"] for page in got for p in page} == {PROJECT, project["arn"]}
        assert aws("delete-test-grid-project", "--project-arn", project["arn"]) == {}
        with fails_with("NotFoundException", "GetTestGridProject"):
            aws("get-test-grid-project", "--project-arn", project["arn"])

    def test_errors(self, aws, testgrid_control, testgrid_project):
        with fails_with("ArgumentException", "CreateTestGridProject"):
            aws("create-test-grid-project", "--name", "   ")
        with fails_with("NotFoundException", "UpdateTestGridProject"):
            aws("update-test-grid-project", "--project-arn", UNKNOWN, "--name", "x")
        with fails_with("ArgumentException", "ListTestGridProjects"):
            aws("list-test-grid-projects", "--max-result", "5000")
        testgrid_control.load([session(testgrid_project, "running", status="ACTIVE")])
        with fails_with("CannotDeleteException", "DeleteTestGridProject"):
            aws("delete-test-grid-project", "--project-arn", testgrid_project)


class TestCreateTestGridUrl:
    def test_url(self, aws, testgrid_server):
        out = aws("create-test-grid-url", "--project-arn", PROJECT, "--expires-in-seconds", "600")
        assert out["url"].startswith(testgrid_server.endpoint + "/")
        assert is_timestamp(out["expires"])

    def test_unknown_project(self, aws):
        with fails_with("NotFoundException", "CreateTestGridUrl"):
            aws("create-test-grid-url", "--project-arn", UNKNOWN, "--expires-in-seconds", "600")


class TestSessions:
    """GetTestGridSession, ListTestGridSessions, ListTestGridSessionActions,
    ListTestGridSessionArtifacts."""

    def test_get_session(self, aws, testgrid_control):
        held = testgrid_control.sessions(PROJECT)[0]
        assert aws("get-test-grid-session", "--session-arn", held["arn"])["testGridSession"]["arn"] == held["arn"]
        by_id = aws("get-test-grid-session", "--project-arn", PROJECT, "--session-id", held["arn"].rsplit("/", 1)[1])
        assert by_id["testGridSession"]["arn"] == held["arn"]
        with fails_with("NotFoundException", "GetTestGridSession"):
            aws("get-test-grid-session", "--session-arn", UNKNOWN_SESSION)

    def test_list_sessions_pages(self, aws, testgrid_control):
        got = cli_pages(aws, "list-test-grid-sessions", "testGridSessions", "--project-arn", PROJECT,
                        "--max-result", "50")
        assert [len(p) for p in got] == [50, 50, 37]
        sessions = [s for page in got for s in page]
        assert [s["arn"] for s in sessions] == [s["arn"] for s in testgrid_control.sessions(PROJECT)]

    def test_list_sessions_not_found(self, aws):
        with fails_with("NotFoundException", "ListTestGridSessions"):
            aws("list-test-grid-sessions", "--project-arn", UNKNOWN)

    def test_throttle_retried(self, aws, testgrid_control):
        testgrid_control.fault("Throttling")
        assert len(aws("list-test-grid-sessions", "--project-arn", PROJECT, "--max-result", "5")["testGridSessions"]) == 5
        assert [r.get("errorCode", "") for r in testgrid_control.requests()] == ["ThrottlingException", ""]

    def test_output_loads_into_a_fake(self, aws, testgrid_control, testgrid_serve):
        """What the CLI prints, `testgrid serve --load` serves."""
        page = aws("list-test-grid-sessions", "--project-arn", PROJECT, "--max-result", "50")
        loaded = testgrid_serve(load=page)
        assert loaded.ready["projects"] == [{"arn": PROJECT, "sessions": 50}]
        assert loaded.control.sessions(PROJECT) == testgrid_control.sessions(PROJECT)[:50]

    def test_actions_and_artifacts(self, aws, testgrid_control, testgrid_project):
        testgrid_control.load([session(testgrid_project, "s1")])
        arn = session_arn(testgrid_project, "s1")
        testgrid_control.add_session_data(arn, actions=[
            {"action": f"GET /session/s1/title/{i}", "started": 1741435201 + i, "duration": i, "statusCode": "200",
             "requestMethod": "GET"} for i in range(5)], artifacts=[
            {"filename": "selenium.log", "type": "SELENIUM_LOG", "text": "log\n"},
            {"filename": "video.mp4", "type": "VIDEO", "base64": "AAEC"}])
        got = cli_pages(aws, "list-test-grid-session-actions", "actions", "--session-arn", arn, "--max-result", "2")
        assert [[a["duration"] for a in p] for p in got] == [[0, 1], [2, 3], [4]]
        got = cli_pages(aws, "list-test-grid-session-artifacts", "artifacts", "--session-arn", arn, "--max-result", "1")
        assert [[a["filename"] for a in p] for p in got] == [["selenium.log"], ["video.mp4"]]
        [video] = aws("list-test-grid-session-artifacts", "--session-arn", arn, "--type", "VIDEO")["artifacts"]
        assert video["type"] == "VIDEO" and video["url"]
        with fails_with("ArgumentException", "ListTestGridSessionArtifacts"):
            aws("list-test-grid-session-artifacts", "--session-arn", arn, "--max-result", "5000")
        with fails_with("NotFoundException", "ListTestGridSessionActions"):
            aws("list-test-grid-session-actions", "--session-arn", UNKNOWN_SESSION)

    def test_aimed_fault(self, aws, testgrid_control, testgrid_project):
        """A fault aimed at one operation of one project: the CLI's other
        calls, and other projects, never see it."""
        testgrid_control.fault("NotFound", operation="GetTestGridSession", project_arn=testgrid_project)
        testgrid_control.load([session(testgrid_project, "s1")])
        aws("list-test-grid-sessions", "--project-arn", testgrid_project)
        aws("get-test-grid-session", "--session-arn", testgrid_control.sessions(PROJECT)[0]["arn"])
        with fails_with("NotFoundException", "GetTestGridSession"):
            aws("get-test-grid-session", "--session-arn", session_arn(testgrid_project, "s1"))
        assert aws("get-test-grid-session", "--session-arn", session_arn(testgrid_project, "s1"))["testGridSession"]
