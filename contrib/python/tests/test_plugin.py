"""The plugin's fixtures and helpers, against a real `testgrid serve`."""

import ipaddress
import json
import os
import urllib.parse

import pytest

from pytest_testgrid import Control, ServeProcess, TestgridError, find_binary

PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
OTHER = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:0d6d1c3e-54c8-4d36-9d5e-6a1c2b3d4e5f"


def session(project, sid, status="CLOSED", created=1741435200):
    """A session in the service's wire shape."""
    return {"arn": project.replace("testgrid-project:", "testgrid-session:") + "/" + sid, "status": status,
            "created": created, "ended": created + 61, "billingMinutes": 1.02,
            "seleniumProperties": '{"browserName":"chrome"}'}


def test_session_server_ready_line(testgrid_server):
    url = urllib.parse.urlsplit(testgrid_server.endpoint)
    assert url.scheme == "http" and ipaddress.ip_address(url.hostname).is_loopback
    assert testgrid_server.ready["control"] == testgrid_server.endpoint + "/_testgrid"
    assert testgrid_server.region == "us-west-2"
    # the ini option testgrid_serve_args of tests/pytest.ini
    assert testgrid_server.ready["projects"] == [{"arn": PROJECT, "sessions": 137}]
    assert testgrid_server.ready["pageSize"] == 20
    assert testgrid_server.control.health()["status"] == "ok"


def test_control_seed_load_sessions_requests(testgrid_control, devicefarm_client):
    assert testgrid_control.seed(OTHER, sessions=12, seed=3)["added"] == 12
    assert testgrid_control.load([session(OTHER, "extra")])["added"] == 1
    held = testgrid_control.sessions(OTHER)
    assert len(held) == 13 and session(OTHER, "extra")["arn"] in {s["arn"] for s in held}

    page = devicefarm_client.list_test_grid_sessions(projectArn=OTHER, maxResult=100)
    assert [s["arn"] for s in page["testGridSessions"]] == [s["arn"] for s in held]
    [req] = testgrid_control.requests()
    assert req["target"] == "DeviceFarm_20150623.ListTestGridSessions"
    assert req["status"] == 200 and req["projectArn"] == OTHER


def test_control_resets_after_each_test_first(testgrid_control):
    # This test and the next see the fake as the command line made it,
    # whichever runs first: the fixture resets after each test.
    assert [p["arn"] for p in testgrid_control.health()["projects"]] == [PROJECT]
    testgrid_control.seed(OTHER, sessions=1)
    testgrid_control.fault("Throttling")


def test_control_resets_after_each_test_second(testgrid_control):
    health = testgrid_control.health()
    assert [p["arn"] for p in health["projects"]] == [PROJECT]
    assert health["pendingFaults"] == 0 and health["requests"] == 0


def test_control_faults_and_partial_reset(testgrid_control, devicefarm_client):
    armed = testgrid_control.fault("Throttling", count=2)
    assert (armed["queued"], armed["pending"]) == (2, 2)
    assert armed["faults"][0]["code"] == "ThrottlingException" and armed["faults"][0]["fired"] == 0
    assert testgrid_control.faults({"kind": "FaultError", "status": 400, "code": "NotFoundException",
                                    "message": "no such project"})["pending"] == 3
    with pytest.raises(devicefarm_client.exceptions.NotFoundException):
        devicefarm_client.list_test_grid_sessions(projectArn=PROJECT)
    assert [r.get("errorCode") for r in testgrid_control.requests()] == [
        "ThrottlingException", "ThrottlingException", "NotFoundException"]

    testgrid_control.fault("Throttling")
    assert testgrid_control.reset(faults=True)["reset"] == ["faults"]
    assert testgrid_control.pending_faults()["pending"] == 0
    assert len(testgrid_control.requests()) == 3, "the request log is kept"


def test_control_aimed_faults(testgrid_control, testgrid_project, devicefarm_client):
    """A fault aimed at a project, an operation and its 2nd request fails
    that request only; pending_faults and clear_faults see per project."""
    testgrid_control.seed(testgrid_project, sessions=30)
    testgrid_control.fault("notfound", project_arn=testgrid_project, operation="ListTestGridSessions", nth=2)
    testgrid_control.fault("Throttling", project_arn=PROJECT)
    [aimed] = testgrid_control.pending_faults(testgrid_project)["faults"]
    assert (aimed["projectArn"], aimed["nth"], aimed["fired"]) == (testgrid_project, 2, 0)

    devicefarm_client.get_test_grid_project(projectArn=testgrid_project)  # another operation: not counted
    first = devicefarm_client.list_test_grid_sessions(projectArn=testgrid_project, maxResult=10)
    with pytest.raises(devicefarm_client.exceptions.NotFoundException):
        devicefarm_client.list_test_grid_sessions(projectArn=testgrid_project, maxResult=10,
                                                  nextToken=first["nextToken"])
    assert [r.get("errorCode", "") for r in testgrid_control.requests()] == ["", "", "NotFoundException"]
    assert testgrid_control.pending_faults(testgrid_project)["faults"] == []
    assert testgrid_control.pending_faults()["pending"] == 1, "the fault aimed at another project waits"
    assert testgrid_control.clear_faults(PROJECT)["pending"] == 0


def test_control_projects_and_session_data(testgrid_control, devicefarm_client):
    made = testgrid_control.add_project(name="web", description="the web suite")
    assert made["arn"].startswith("arn:aws:devicefarm:us-west-2:") and made["sessions"] == 0
    assert {"web", PROJECT.rsplit(":", 1)[1]} == {p["name"] for p in testgrid_control.projects()}
    assert testgrid_control.add_project(made["arn"], description="changed")["description"] == "changed"
    got = devicefarm_client.get_test_grid_project(projectArn=made["arn"])["testGridProject"]
    assert (got["name"], got["description"]) == ("web", "changed")

    sess = testgrid_control.sessions(PROJECT)[0]["arn"]
    action = {"action": "POST /session/1/url", "started": 1741435201, "duration": 350, "statusCode": "200",
              "requestMethod": "POST"}
    added = testgrid_control.add_session_data(sess, actions=[action], artifacts=[
        {"filename": "selenium.log", "type": "SELENIUM_LOG", "contentType": "text/plain", "text": "hello\n"}])
    assert added == {"actions": 1, "artifacts": 1}
    data = testgrid_control.session_data(sess)
    assert data["actions"][0]["action"] == "POST /session/1/url"
    assert data["artifacts"] == [{"filename": "selenium.log", "type": "SELENIUM_LOG", "contentType": "text/plain",
                                  "size": 6}]
    [artifact] = devicefarm_client.list_test_grid_session_artifacts(sessionArn=sess)["artifacts"]
    assert artifact["filename"] == "selenium.log"


def test_control_error_names_the_problem(testgrid_control):
    with pytest.raises(TestgridError, match=r"POST /faults: HTTP 400: .*nosuchmember"):
        testgrid_control.faults({"preset": "Throttling", "nosuchmember": 1})
    with pytest.raises(TestgridError, match=r"GET /nowhere: HTTP 404: "):
        testgrid_control.call("GET", "/nowhere")
    assert testgrid_control.pending_faults()["pending"] == 0, "all or none"


def test_latency(testgrid_control):
    assert testgrid_control.latency("5ms") == {"latency": "5ms"}
    assert testgrid_control.latency("0s") == {"latency": "0s"}


def test_project_per_test(testgrid_control, testgrid_project, devicefarm_client, request):
    assert testgrid_project != PROJECT
    assert devicefarm_client.list_test_grid_sessions(projectArn=testgrid_project)["testGridSessions"] == []
    got = devicefarm_client.get_test_grid_project(projectArn=testgrid_project)["testGridProject"]
    assert got["name"] == request.node.name


def test_serve_with_flags(testgrid_serve, testgrid_server):
    server = testgrid_serve("--project", OTHER, "--sessions", "40", "--page-size", "10", "--session-token", "TOKEN")
    assert server.endpoint != testgrid_server.endpoint
    assert server.projects == [OTHER]
    assert server.ready["sessionToken"] == "TOKEN"
    assert server.client_kwargs()["aws_session_token"] == "TOKEN"
    assert server.env()["AWS_SESSION_TOKEN"] == "TOKEN"
    page = server.client().list_test_grid_sessions(projectArn=OTHER)
    assert len(page["testGridSessions"]) == 10 and page["nextToken"]


def test_serve_loads_data(testgrid_serve, tmp_path):
    recorded = tmp_path / "recorded.json"
    recorded.write_text('{"testGridSessions":[' + ",".join(
        json.dumps(session(PROJECT, f"s{i}", created=1741435200 + i)) for i in range(3)) + "]}")
    server = testgrid_serve(load=[recorded, {"testGridSessions": [session(OTHER, "x", status="ACTIVE")]}])
    assert server.ready["projects"] == [{"arn": OTHER, "sessions": 1}, {"arn": PROJECT, "sessions": 3}]
    assert [s["arn"] for s in server.control.sessions(PROJECT)] == [session(PROJECT, f"s{i}")["arn"] for i in range(3)]
    assert testgrid_serve(load=str(recorded)).projects == [PROJECT]


def test_serve_refuses_bad_flags(testgrid_serve):
    with pytest.raises(TestgridError, match=r"exited with status 2: .*--sessions"):
        testgrid_serve("--sessions", "-1")


def test_serve_process_without_pytest():
    with ServeProcess(find_binary(), ["--project", PROJECT, "--sessions", "3"]) as server:
        assert Control(server.ready["control"]).health()["projects"] == [{"arn": PROJECT, "sessions": 3}]
    with pytest.raises(OSError):
        server.control.health()  # stopped: nothing listens


def test_find_binary(monkeypatch, tmp_path):
    binary = os.environ.get("TESTGRID") or find_binary()
    assert find_binary(binary) == binary or os.path.samefile(find_binary(binary), binary)
    monkeypatch.setenv("TESTGRID", str(tmp_path / "nothing-here"))
    with pytest.raises(TestgridError, match="not found: pass --testgrid-binary, set TESTGRID"):
        find_binary()


def test_plugin_options(pytester, monkeypatch):
    """A suite configured only by options: --testgrid-binary and
    --testgrid-serve-args (over the environment and the ini file)."""
    binary = find_binary()
    monkeypatch.delenv("TESTGRID", raising=False)
    monkeypatch.setenv("TESTGRID_SERVE_ARGS", "--project " + OTHER)
    monkeypatch.setenv("PATH", "/nonexistent")
    pytester.makeini("[pytest]\ntestgrid_serve_args = --page-size 3\n")
    pytester.makepyfile(test_options=f"""
        def test_args(testgrid_server):
            assert testgrid_server.ready["projects"] == [{{"arn": "{PROJECT}", "sessions": 7}}]
            assert testgrid_server.ready["pageSize"] == 50
    """)
    result = pytester.runpytest("--testgrid-binary", binary,
                                "--testgrid-serve-args", f"--project {PROJECT} --sessions 7")
    result.assert_outcomes(passed=1)


def test_plugin_environment(pytester, monkeypatch):
    """TESTGRID and TESTGRID_SERVE_ARGS, over the ini file."""
    monkeypatch.setenv("TESTGRID", find_binary())
    monkeypatch.setenv("TESTGRID_SERVE_ARGS", f"--project {OTHER} --sessions 2")
    pytester.makeini("[pytest]\ntestgrid_serve_args = --page-size 3\n")
    pytester.makepyfile(test_env=f"""
        def test_args(testgrid_server):
            assert testgrid_server.ready["projects"] == [{{"arn": "{OTHER}", "sessions": 2}}]
    """)
    pytester.runpytest().assert_outcomes(passed=1)


def test_plugin_missing_binary(pytester, monkeypatch):
    monkeypatch.setenv("TESTGRID", "/nonexistent/testgrid")
    pytester.makepyfile(test_missing="""
        def test_needs_the_fake(testgrid_server):
            pass
    """)
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*testgrid binary '/nonexistent/testgrid' not found*"])


def test_plugin_reports_unclean_exit(pytester):
    """A fake that does not exit with status 0 fails the test that started it."""
    pytester.makepyfile(test_unclean="""
        import os, signal
        def test_kills_it(testgrid_serve):
            server = testgrid_serve()
            os.kill(server._proc.pid, signal.SIGKILL)
            server._proc.wait()
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*TestgridError: testgrid serve exited with status -9*"])
