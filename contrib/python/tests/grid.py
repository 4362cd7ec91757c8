"""What the interop tests share: the session fake's project (tests/pytest.ini),
an ARN nobody registered, and wire-shape sessions to load."""

PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
UNKNOWN = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000"
UNKNOWN_SESSION = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:00000000-0000-4000-8000-000000000000/nope"


def session_arn(project, sid):
    return project.replace(":testgrid-project:", ":testgrid-session:") + "/" + sid


def session(project, sid, status="CLOSED", created=1741435200):
    """A session in the service's wire shape (the control API's and --load's)."""
    s = {"arn": session_arn(project, sid), "status": status, "created": created, "billingMinutes": 1.02,
         "seleniumProperties": '{"browserName":"chrome"}'}
    if status != "ACTIVE":
        s["ended"] = created + 61
    return s


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
