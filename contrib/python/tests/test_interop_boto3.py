"""boto3 (botocore's own Device Farm model) against `testgrid serve` as a
separate process, through the plugin's fixtures: each test grid operation,
its happy path, a modelled error and paging where it pages."""

import datetime
import json
import urllib.error
import urllib.request

import pytest

from grid import PROJECT, UNKNOWN, UNKNOWN_SESSION, pages, session, session_arn


def error_codes(control):
    return [r.get("errorCode", "") for r in control.requests()]


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class TestProjects:
    """CreateTestGridProject, GetTestGridProject, ListTestGridProjects,
    UpdateTestGridProject, DeleteTestGridProject."""

    def test_create_get_update_delete(self, devicefarm_client):
        before = now() - datetime.timedelta(seconds=5)
        created = devicefarm_client.create_test_grid_project(name="checkout suite", description="nightly")
        project = created["testGridProject"]
        assert project["arn"].startswith("arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:")
        assert (project["name"], project["description"]) == ("checkout suite", "nightly")
        assert before <= project["created"] <= now() + datetime.timedelta(seconds=5)
        assert devicefarm_client.get_test_grid_project(projectArn=project["arn"])["testGridProject"] == project

        updated = devicefarm_client.update_test_grid_project(projectArn=project["arn"], description="hourly")
        assert updated["testGridProject"] == {**project, "description": "hourly"}
        assert devicefarm_client.get_test_grid_project(projectArn=project["arn"])["testGridProject"]["description"] == "hourly"

        devicefarm_client.delete_test_grid_project(projectArn=project["arn"])
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.get_test_grid_project(projectArn=project["arn"])

    def test_create_refuses_a_blank_name(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.ArgumentException, match="name"):
            devicefarm_client.create_test_grid_project(name="   ")

    def test_get_update_delete_unknown(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.get_test_grid_project(projectArn=UNKNOWN)
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.update_test_grid_project(projectArn=UNKNOWN, name="x")
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.delete_test_grid_project(projectArn=UNKNOWN)

    def test_delete_refuses_a_project_with_an_active_session(self, devicefarm_client, testgrid_control,
                                                              testgrid_project):
        testgrid_control.load([session(testgrid_project, "running", status="ACTIVE")])
        with pytest.raises(devicefarm_client.exceptions.CannotDeleteException):
            devicefarm_client.delete_test_grid_project(projectArn=testgrid_project)

    def test_list_pages(self, devicefarm_client):
        made = [devicefarm_client.create_test_grid_project(name=f"p{i}")["testGridProject"]["arn"] for i in range(5)]
        got = pages(devicefarm_client.list_test_grid_projects, "testGridProjects", maxResult=2)
        assert [len(p) for p in got] == [2, 2, 2]
        arns = [p["arn"] for page in got for p in page]
        assert sorted(arns) == sorted([PROJECT, *made])
        assert all(isinstance(p["created"], datetime.datetime) for page in got for p in page)

    def test_list_refuses_a_page_size_out_of_range(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.ArgumentException, match="maxResult"):
            devicefarm_client.list_test_grid_projects(maxResult=5000)


class TestCreateTestGridUrl:
    def test_url_and_expiry(self, devicefarm_client, testgrid_server):
        before = now()
        out = devicefarm_client.create_test_grid_url(projectArn=PROJECT, expiresInSeconds=300)
        assert out["url"].startswith(testgrid_server.endpoint + "/")
        assert before + datetime.timedelta(seconds=295) <= out["expires"] <= now() + datetime.timedelta(seconds=305)
        # The URL is a WebDriver remote end: a New Session without capabilities
        # gets WebDriver's "invalid argument", in its JSON shape.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as e:
            opener.open(urllib.request.Request(out["url"] + "/session", data=b"{}",
                                               headers={"Content-Type": "application/json"}), timeout=10)
        with e.value:
            assert e.value.code == 400
            assert json.load(e.value)["value"]["error"] == "invalid argument"

    def test_expiry_out_of_range(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.ArgumentException, match="expiresInSeconds"):
            devicefarm_client.create_test_grid_url(projectArn=PROJECT, expiresInSeconds=86401)

    def test_unknown_project(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.create_test_grid_url(projectArn=UNKNOWN, expiresInSeconds=60)


class TestGetTestGridSession:
    def test_by_arn_and_by_id(self, devicefarm_client, testgrid_control):
        held = testgrid_control.sessions(PROJECT)[3]
        by_arn = devicefarm_client.get_test_grid_session(sessionArn=held["arn"])["testGridSession"]
        assert by_arn["arn"] == held["arn"] and by_arn["status"] == held["status"]
        assert by_arn["created"].timestamp() == pytest.approx(held["created"], abs=1e-3)
        assert by_arn["seleniumProperties"] == held["seleniumProperties"]
        by_id = devicefarm_client.get_test_grid_session(projectArn=PROJECT, sessionId=held["arn"].rsplit("/", 1)[1])
        assert by_id["testGridSession"] == by_arn

    def test_unknown_session(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.get_test_grid_session(sessionArn=UNKNOWN_SESSION)

    def test_neither_arn_nor_id(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.ArgumentException):
            devicefarm_client.get_test_grid_session(projectArn=PROJECT)


class TestListTestGridSessions:
    def test_pages(self, devicefarm_client, testgrid_server, testgrid_control):
        got = pages(devicefarm_client.list_test_grid_sessions, "testGridSessions", projectArn=PROJECT)
        sessions = [s for page in got for s in page]
        assert len(got) == -(-137 // testgrid_server.ready["pageSize"])
        assert [s["arn"] for s in sessions] == [s["arn"] for s in testgrid_control.sessions(PROJECT)]
        created = [s["created"] for s in sessions]
        assert all(isinstance(c, datetime.datetime) for c in created) and created == sorted(created)
        assert all(("ended" in s) == (s["status"] != "ACTIVE") for s in sessions)

    def test_filters_and_page_size(self, devicefarm_client, testgrid_control):
        got = pages(devicefarm_client.list_test_grid_sessions, "testGridSessions", projectArn=PROJECT,
                    status="CLOSED", maxResult=7)
        closed = [s["arn"] for page in got for s in page]
        assert closed == [s["arn"] for s in testgrid_control.sessions(PROJECT) if s["status"] == "CLOSED"]
        assert all(len(page) <= 7 for page in got)

    def test_not_found(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.list_test_grid_sessions(projectArn=UNKNOWN)

    def test_argument(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.ArgumentException, match="maxResult"):
            devicefarm_client.list_test_grid_sessions(projectArn=PROJECT, maxResult=5000)

    def test_queued_fault_not_retried(self, devicefarm_client, testgrid_control):
        testgrid_control.fault(kind="FaultError", status=400, code="NotFoundException", message="no such project")
        with pytest.raises(devicefarm_client.exceptions.NotFoundException, match="no such project"):
            devicefarm_client.list_test_grid_sessions(projectArn=PROJECT)
        assert error_codes(testgrid_control) == ["NotFoundException"]

    def test_throttle_retried(self, devicefarm_client, testgrid_control):
        testgrid_control.fault("Throttling")
        page = devicefarm_client.list_test_grid_sessions(projectArn=PROJECT)
        assert len(page["testGridSessions"]) == 20
        assert page["ResponseMetadata"]["RetryAttempts"] == 1
        assert error_codes(testgrid_control) == ["ThrottlingException", ""]


class TestSessionActionsAndArtifacts:
    """ListTestGridSessionActions and ListTestGridSessionArtifacts."""

    @pytest.fixture
    def loaded(self, testgrid_control, testgrid_project):
        """A session with 25 actions and three artifacts (two logs, a video)."""
        testgrid_control.load([session(testgrid_project, "s1")])
        arn = session_arn(testgrid_project, "s1")
        actions = [{"action": f"POST /session/s1/element/{i}/click", "started": 1741435201 + i, "duration": 10 + i,
                    "statusCode": "200", "requestMethod": "POST"} for i in range(25)]
        artifacts = [
            {"filename": "selenium-1.log", "type": "SELENIUM_LOG", "contentType": "text/plain", "text": "one\n"},
            {"filename": "video.mp4", "type": "VIDEO", "contentType": "video/mp4", "base64": "AAECAw=="},
            {"filename": "selenium-2.log", "type": "SELENIUM_LOG", "contentType": "text/plain", "text": "two\n"},
        ]
        testgrid_control.add_session_data(arn, actions=actions, artifacts=artifacts)
        return arn, actions

    def test_actions_page(self, devicefarm_client, loaded):
        arn, actions = loaded
        got = pages(devicefarm_client.list_test_grid_session_actions, "actions", sessionArn=arn, maxResult=10)
        assert [len(p) for p in got] == [10, 10, 5]
        listed = [a for page in got for a in page]
        assert [a["action"] for a in listed] == [a["action"] for a in actions]
        assert [a["duration"] for a in listed] == [a["duration"] for a in actions]
        assert listed[3]["started"].timestamp() == actions[3]["started"]
        assert (listed[0]["statusCode"], listed[0]["requestMethod"]) == ("200", "POST")

    def test_artifacts_page_filter_and_download(self, devicefarm_client, loaded):
        arn, _ = loaded
        got = pages(devicefarm_client.list_test_grid_session_artifacts, "artifacts", sessionArn=arn, maxResult=2)
        assert [[a["filename"] for a in p] for p in got] == [["selenium-1.log", "video.mp4"], ["selenium-2.log"]]
        logs = devicefarm_client.list_test_grid_session_artifacts(sessionArn=arn, type="LOG")["artifacts"]
        assert [(a["filename"], a["type"]) for a in logs] == [("selenium-1.log", "SELENIUM_LOG"),
                                                              ("selenium-2.log", "SELENIUM_LOG")]
        [video] = devicefarm_client.list_test_grid_session_artifacts(sessionArn=arn, type="VIDEO")["artifacts"]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(video["url"], timeout=10) as resp:  # unsigned, as a presigned URL
            assert resp.read() == bytes([0, 1, 2, 3])
        with opener.open(logs[1]["url"], timeout=10) as resp:
            assert resp.read() == b"two\n"

    def test_a_session_without_any(self, devicefarm_client, testgrid_control, testgrid_project):
        testgrid_control.load([session(testgrid_project, "bare")])
        arn = session_arn(testgrid_project, "bare")
        assert devicefarm_client.list_test_grid_session_actions(sessionArn=arn)["actions"] == []
        assert devicefarm_client.list_test_grid_session_artifacts(sessionArn=arn)["artifacts"] == []

    def test_unknown_session(self, devicefarm_client):
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.list_test_grid_session_actions(sessionArn=UNKNOWN_SESSION)
        with pytest.raises(devicefarm_client.exceptions.NotFoundException):
            devicefarm_client.list_test_grid_session_artifacts(sessionArn=UNKNOWN_SESSION)

    def test_page_size_out_of_range(self, devicefarm_client, loaded):
        arn, _ = loaded
        with pytest.raises(devicefarm_client.exceptions.ArgumentException, match="maxResult"):
            devicefarm_client.list_test_grid_session_actions(sessionArn=arn, maxResult=5000)
        with pytest.raises(devicefarm_client.exceptions.ArgumentException, match="maxResult"):
            devicefarm_client.list_test_grid_session_artifacts(sessionArn=arn, maxResult=5000)


class TestAimedFaults:
    """Faults aimed at an operation and a project, as tests that share one
    fake (pytest-xdist workers, threads) aim theirs."""

    @pytest.mark.parametrize("operation,call,error", [
        ("GetTestGridProject", lambda c, p: c.get_test_grid_project(projectArn=p), "NotFoundException"),
        ("UpdateTestGridProject", lambda c, p: c.update_test_grid_project(projectArn=p, name="n"), "LimitExceededException"),
        ("DeleteTestGridProject", lambda c, p: c.delete_test_grid_project(projectArn=p), "CannotDeleteException"),
        ("CreateTestGridUrl", lambda c, p: c.create_test_grid_url(projectArn=p, expiresInSeconds=60), "InternalServiceException"),
        ("ListTestGridSessions", lambda c, p: c.list_test_grid_sessions(projectArn=p), "ArgumentException"),
        ("GetTestGridSession", lambda c, p: c.get_test_grid_session(projectArn=p, sessionId="s1"), "NotFoundException"),
        ("ListTestGridSessionActions", lambda c, p: c.list_test_grid_session_actions(sessionArn=session_arn(p, "s1")), "ArgumentException"),
        ("ListTestGridSessionArtifacts", lambda c, p: c.list_test_grid_session_artifacts(sessionArn=session_arn(p, "s1")), "NotFoundException"),
    ])
    def test_each_operation_raises_the_modelled_exception(self, devicefarm_client, testgrid_control,
                                                          testgrid_project, operation, call, error):
        testgrid_control.load([session(testgrid_project, "s1")])
        client = devicefarm_client
        # count=3: the SDK retries some of these (500s, LimitExceeded) up to 3 attempts.
        testgrid_control.fault(error.removesuffix("Exception").lower(), operation=operation, project_arn=testgrid_project,
                               message="aimed", count=3)
        testgrid_control.fault("NotFound", operation=operation, project_arn=PROJECT)  # another project's
        with pytest.raises(getattr(client.exceptions, error), match="aimed"):
            call(client, testgrid_project)
        testgrid_control.clear_faults(testgrid_project)
        call(client, testgrid_project)
        [other] = testgrid_control.pending_faults()["faults"]
        assert (other["projectArn"], other["fired"], other["pending"]) == (PROJECT, 0, 1), "never fired, still listed"

    def test_the_third_page_of_one_project(self, devicefarm_client, testgrid_control, testgrid_project):
        testgrid_control.seed(testgrid_project, sessions=50)
        testgrid_control.fault("InternalService", operation="ListTestGridSessions", project_arn=testgrid_project, nth=3,
                               count=3)
        with pytest.raises(devicefarm_client.exceptions.InternalServiceException):
            pages(devicefarm_client.list_test_grid_sessions, "testGridSessions", projectArn=testgrid_project,
                  maxResult=10)
        assert [r.get("errorCode", "") for r in testgrid_control.requests()] == ["", "", *["InternalServiceException"] * 3]
        # The fault spent, the listing completes; PROJECT was never touched.
        got = pages(devicefarm_client.list_test_grid_sessions, "testGridSessions", projectArn=testgrid_project,
                    maxResult=10)
        assert sum(map(len, got)) == 50

    def test_parallel_tests_sharing_one_fake(self, testgrid_server, testgrid_control):
        """Eight threads, each with its own project and client, throttled
        twice on their own project: each call succeeds on its third
        attempt, whatever the others do."""
        import concurrent.futures

        projects = [testgrid_control.add_project(name=f"worker-{i}")["arn"] for i in range(8)]
        for p in projects:
            testgrid_control.seed(p, sessions=30)
            testgrid_control.fault("throttling", project_arn=p, operation="ListTestGridSessions", count=2)

        def worker(project):
            client = testgrid_server.client()
            page = client.list_test_grid_sessions(projectArn=project, maxResult=30)
            return page["ResponseMetadata"]["RetryAttempts"], len(page["testGridSessions"])

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            assert list(pool.map(worker, projects)) == [(2, 30)] * 8
        assert testgrid_control.pending_faults()["pending"] == 0
