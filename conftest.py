"""Repository-wide test configuration: pytester drives the plugin's own tests."""

pytest_plugins = ["pytester", "tests.helpers.default_run"]  # default_run: the README's run, once
