"""pytest fixtures for `testgrid serve`, a fake AWS Device Farm test grid.

Installed, the plugin gives tests these fixtures: testgrid_server (one fake
per test session), testgrid_control (its control API, reset after each
test), testgrid_project (a fresh project per test), devicefarm_client (a
boto3 client for it) and testgrid_serve (a factory for a fake of the
test's own). ServeProcess and Control work without pytest too.
"""

from .server import Control, ServeProcess, TestgridError, find_binary

__all__ = ["Control", "ServeProcess", "TestgridError", "find_binary"]
