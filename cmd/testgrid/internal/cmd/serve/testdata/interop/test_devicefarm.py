"""boto3 against `testgrid serve`, through the fixtures of conftest.py.

Each test prints one line about what it saw, for the Go test that runs
this suite to log.
"""

import datetime

import pytest


def list_pages(client, project, **params):
    """Every page of ListTestGridSessions, following nextToken (botocore
    has no paginator for this operation)."""
    pages, token = [], None
    while True:
        if token:
            params["nextToken"] = token
        page = client.list_test_grid_sessions(projectArn=project, **params)
        pages.append(page["testGridSessions"])
        token = page.get("nextToken")
        if not token:
            return pages


def error_codes(control):
    return [r.get("errorCode", "") for r in control("GET", "/requests")["requests"]]


def test_walks_every_page(devicefarm, testgrid_serve):
    project = testgrid_serve["projects"][0]
    pages = list_pages(devicefarm, project["arn"])
    sessions = [s for page in pages for s in page]
    assert len(sessions) == project["sessions"]
    assert len(pages) == -(-project["sessions"] // testgrid_serve["pageSize"])
    assert len({s["arn"] for s in sessions}) == len(sessions)
    created = [s["created"] for s in sessions]
    assert all(isinstance(c, datetime.datetime) for c in created)
    assert created == sorted(created)
    assert all(("ended" in s) == (s["status"] != "ACTIVE") for s in sessions)
    print(f"boto3: walked {len(pages)} pages, {len(sessions)} sessions")


def test_filters_and_page_size(devicefarm, testgrid_serve):
    project = testgrid_serve["projects"][0]["arn"]
    pages = list_pages(devicefarm, project, status="CLOSED", maxResult=7)
    closed = [s for page in pages for s in page]
    assert closed and all(s["status"] == "CLOSED" for s in closed)
    assert all(len(page) <= 7 for page in pages)
    print(f"boto3: {len(closed)} CLOSED sessions in {len(pages)} pages of at most 7")


def test_queued_not_found(devicefarm, control, testgrid_serve):
    control("POST", "/faults", {"faults": [
        {"kind": "FaultError", "status": 400, "code": "NotFoundException", "message": "no such project"}]})
    with pytest.raises(devicefarm.exceptions.NotFoundException) as e:
        devicefarm.list_test_grid_sessions(projectArn=testgrid_serve["projects"][0]["arn"])
    assert e.value.response["Error"]["Message"] == "no such project"
    assert error_codes(control) == ["NotFoundException"], "not retried"
    print(f"boto3: queued fault raised {type(e.value).__name__}: {e.value.response['Error']['Message']}")


def test_unknown_project(devicefarm):
    unknown = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000"
    with pytest.raises(devicefarm.exceptions.NotFoundException):
        devicefarm.list_test_grid_sessions(projectArn=unknown)
    print("boto3: unknown project raised NotFoundException")


def test_argument_exception(devicefarm, testgrid_serve):
    with pytest.raises(devicefarm.exceptions.ArgumentException) as e:
        devicefarm.list_test_grid_sessions(projectArn=testgrid_serve["projects"][0]["arn"], maxResult=5000)
    assert "maxResult" in e.value.response["Error"]["Message"]
    print("boto3: maxResult 5000 raised ArgumentException")


def test_throttle_is_retried(devicefarm, control, testgrid_serve):
    control("POST", "/faults", {"faults": [{"preset": "Throttling"}]})
    page = devicefarm.list_test_grid_sessions(projectArn=testgrid_serve["projects"][0]["arn"])
    assert page["testGridSessions"]
    assert page["ResponseMetadata"]["RetryAttempts"] == 1
    assert error_codes(control) == ["ThrottlingException", ""]
    print(f"boto3: ThrottlingException retried, then {len(page['testGridSessions'])} sessions")
