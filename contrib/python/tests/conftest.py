"""The plugin's own tests: pytester runs small suites that use it."""

pytest_plugins = ["pytester"]
