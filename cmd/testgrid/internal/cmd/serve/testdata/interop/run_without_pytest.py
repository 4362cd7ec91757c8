"""Runs the tests of this directory where pytest is not installed.

It stands in for the little of pytest that conftest.py and test_*.py use
(pytest.fixture with a scope, fixtures requested by parameter name,
generator fixtures with teardown, pytest.raises), so the very same fixture
code runs either way. It prints PASSED/FAILED per test and closes with
"N passed, N failed"; the exit status is 1 if any test failed.
"""

import contextlib
import importlib
import inspect
import os
import sys
import traceback
import types


def fixture(fn=None, *, scope="function"):
    def mark(f):
        f._fixture_scope = scope
        return f

    return mark(fn) if fn else mark


class raises:
    def __init__(self, exc_type):
        self.exc_type = exc_type
        self.value = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            raise AssertionError(f"DID NOT RAISE {self.exc_type.__name__}")
        if not issubclass(exc_type, self.exc_type):
            return False
        self.value = exc
        return True


pytest = types.ModuleType("pytest")
pytest.fixture, pytest.raises = fixture, raises
sys.modules["pytest"] = pytest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
conftest = importlib.import_module("conftest")
fixtures = {n: f for n, f in vars(conftest).items() if hasattr(f, "_fixture_scope")}


class Fixtures:
    def __init__(self):
        self.session = contextlib.ExitStack()
        self.session_values = {}

    def resolve(self, name, stack, values):
        if name in values:
            return values[name]
        f = fixtures[name]
        session = f._fixture_scope == "session"
        if session and name in self.session_values:
            return self.session_values[name]
        args = {p: self.resolve(p, stack, values) for p in inspect.signature(f).parameters}
        if inspect.isgeneratorfunction(f):
            gen = f(**args)
            value = next(gen)
            (self.session if session else stack).callback(finish, gen)
        else:
            value = f(**args)
        (self.session_values if session else values)[name] = value
        return value


def finish(gen):
    try:
        next(gen)
    except StopIteration:
        return
    raise RuntimeError("a fixture yielded twice")


def main():
    fx = Fixtures()
    passed = failed = 0
    with fx.session:
        for file in sorted(os.listdir(here)):
            if not (file.startswith("test_") and file.endswith(".py")):
                continue
            module = importlib.import_module(file[:-3])
            for name, test in vars(module).items():
                if not (name.startswith("test_") and inspect.isfunction(test)):
                    continue
                try:
                    with contextlib.ExitStack() as stack:
                        values = {}
                        args = {p: fx.resolve(p, stack, values) for p in inspect.signature(test).parameters}
                        test(**args)
                    passed += 1
                    print(f"{file}::{name} PASSED", flush=True)
                except Exception:
                    failed += 1
                    print(f"{file}::{name} FAILED", flush=True)
                    traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
