"""boto3 (botocore's own Device Farm model) against `testgrid serve` as a
separate process, through the plugin's fixtures: each test grid operation,
its happy path, a modelled error and paging where it pages."""

import datetime

import pytest

PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
UNKNOWN = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000"


def pages(call, key, **params):
    """Every page of a listing, following nextToken (botocore has no
    paginators for the test grid operations)."""
    out, token = [], None
    while True:
        page = call(**params, **({"nextToken": token} if token else {}))
        out.append(page[key])
        token = page.get("nextToken")
        if not token:
            return out


def error_codes(control):
    return [r.get("errorCode", "") for r in control.requests()]


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
