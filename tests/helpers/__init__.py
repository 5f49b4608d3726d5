"""Helpers the tests import as plain modules (`from tests.helpers.speech import speak`), one module per topic.

conftest.py files hold only fixtures; everything a test calls directly lives here. pytest puts the
repository root on sys.path (`pythonpath` in pyproject.toml), so these imports work under
`--import-mode=importlib` from any working directory.
"""
