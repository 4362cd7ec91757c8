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


def test_a_throttle_is_retried(devicefarm_client, testgrid_control, testgrid_project):
    testgrid_control.seed(testgrid_project, sessions=5)
    testgrid_control.fault("Throttling")
    page = devicefarm_client.list_test_grid_sessions(projectArn=testgrid_project)
    assert len(page["testGridSessions"]) == 5
    assert page["ResponseMetadata"]["RetryAttempts"] == 1


def test_a_fake_of_its_own(testgrid_serve):
    sessions = [{"arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p1/s1",
                 "status": "CLOSED", "created": 1741435200, "ended": 1741435261, "billingMinutes": 1.02}]
    server = testgrid_serve("--page-size", "1", load={"testGridSessions": sessions})
    with pytest.raises(server.client().exceptions.NotFoundException):
        server.client().list_test_grid_sessions(projectArn=server.projects[0] + "-unknown")
