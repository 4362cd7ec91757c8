"""The pytest plugin (entry point pytest11 "testgrid"): fixtures that run
`testgrid serve`, a fake AWS Device Farm test grid."""

import json
import os
import shlex

import pytest

from .server import ServeProcess, find_binary


def pytest_addoption(parser):
    group = parser.getgroup("testgrid", "testgrid serve, a fake AWS Device Farm")
    group.addoption("--testgrid-binary", metavar="PATH",
                    help="the testgrid binary (default: $TESTGRID, else testgrid on PATH)")
    group.addoption("--testgrid-serve-args", metavar="FLAGS",
                    help="flags of the session-wide `testgrid serve`, shell-quoted "
                         "(default: $TESTGRID_SERVE_ARGS, else the ini option testgrid_serve_args, else none)")
    parser.addini("testgrid_binary", "the testgrid binary", default="")
    parser.addini("testgrid_serve_args", "flags of the session-wide `testgrid serve`", default="")


def _binary(config):
    return find_binary(config.getoption("testgrid_binary") or config.getini("testgrid_binary") or None)


def _session_args(config):
    args = (config.getoption("testgrid_serve_args") or os.environ.get("TESTGRID_SERVE_ARGS")
            or config.getini("testgrid_serve_args"))
    return shlex.split(args or "")


@pytest.fixture(scope="session")
def testgrid_server(pytestconfig):
    """One `testgrid serve` for the whole test session (one per xdist
    worker), started with --testgrid-serve-args; a ServeProcess. It must
    stop with status 0 at the end."""
    with ServeProcess(_binary(pytestconfig), _session_args(pytestconfig)) as server:
        yield server


@pytest.fixture
def testgrid_control(testgrid_server):
    """The session server's control API (a Control); after the test, its
    data, faults and request log are reset."""
    yield testgrid_server.control
    testgrid_server.control.reset()


@pytest.fixture
def testgrid_project(testgrid_control, request):
    """The ARN of a new, empty project on the session server, unique to
    the test (named after it): aim faults at it, and tests that share the
    server never take each other's."""
    return testgrid_control.add_project(name=request.node.name[-64:])["arn"]


@pytest.fixture
def devicefarm_client(testgrid_server, testgrid_control):
    """A boto3 Device Farm client for the session server (standard retry
    mode, 3 attempts); the server is reset after the test."""
    return testgrid_server.client()


@pytest.fixture
def testgrid_serve(pytestconfig, tmp_path):
    """A factory that starts a `testgrid serve` of the test's own and
    returns its ServeProcess, stopped (status 0 required) after the test:

        serve("--project", ARN, "--sessions", "40", "--page-size", "10")
        serve(load="recorded.json")          # a data file (--load)
        serve(load={"testGridSessions": [...]})  # data, written to a file
        serve(load=[path, {...}])            # several
    """
    started = []

    def serve(*flags, load=None):
        args = list(flags)
        for i, data in enumerate(load if isinstance(load, list) else [] if load is None else [load]):
            if isinstance(data, dict):
                path = tmp_path / f"testgrid-load-{len(started)}-{i}.json"
                path.write_text(json.dumps(data))
                data = path
            args += ["--load", str(data)]
        server = ServeProcess(_binary(pytestconfig), args)
        started.append(server)
        return server

    yield serve
    errors = []
    for server in started:
        try:
            server.stop()
        except Exception as e:  # stop them all, then report
            errors.append(e)
    if errors:
        raise errors[0]

