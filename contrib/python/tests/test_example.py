"""What SERVE.md shows: a suite using the plugin's fixtures."""

import pytest


def list_sessions(client, project, **params):
    """Every session of a project, following nextToken (botocore has no
    paginator for ListTestGridSessions)."""
    sessions, token = [], None
    while True:
        page = client.list_test_grid_sessions(projectArn=project, **params, **({"nextToken": token} if token else {}))
        sessions += page["testGridSessions"]
        token = page.get("nextToken")
        if not token:
            return sessions


def test_lists_every_session(devicefarm_client, testgrid_server):
    project = testgrid_server.ready["projects"][0]
    assert len(list_sessions(devicefarm_client, project["arn"])) == project["sessions"]


def test_the_third_page_is_throttled(devicefarm_client, testgrid_control, testgrid_project):
    # A fault aimed at this test's own project: tests sharing the fake never take it.
    testgrid_control.seed(testgrid_project, sessions=50)
    testgrid_control.fault("throttling", project_arn=testgrid_project, operation="ListTestGridSessions", nth=3)
    assert len(list_sessions(devicefarm_client, testgrid_project, maxResult=10)) == 50
    assert [r.get("errorCode") for r in testgrid_control.requests()][2] == "ThrottlingException"


def test_creates_a_project_and_a_url(devicefarm_client):
    project = devicefarm_client.create_test_grid_project(name="checkout")["testGridProject"]
    url = devicefarm_client.create_test_grid_url(projectArn=project["arn"], expiresInSeconds=300)
    assert url["url"].startswith("http://127.0.0.1:")
    with pytest.raises(devicefarm_client.exceptions.NotFoundException):
        devicefarm_client.get_test_grid_project(projectArn=project["arn"] + "0")


def test_a_fake_of_its_own(testgrid_serve):
    sessions = [{"arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p1/s1",
                 "status": "CLOSED", "created": 1741435200, "ended": 1741435261, "billingMinutes": 1.02}]
    server = testgrid_serve("--page-size", "1", load={"testGridSessions": sessions})
    with pytest.raises(server.client().exceptions.NotFoundException):
        server.client().list_test_grid_sessions(projectArn=server.projects[0] + "-unknown")
