"""A pytest a test starts in a subprocess, with only the options its install has: the one rule every such start
follows (`pytest_command`), and the root conftest's `PYTEST_ADDOPTS` for the pytests a test starts itself.

A child keeps to one process (the suite is already spread over the cores; nested workers would only compete for
them), and says so with pytest-xdist's option only where pytest-xdist is installed: in a plain
`pip install -e '.[bench]'` there is none, and `-n 0` stopped the child with "unrecognized arguments: -n" (the one
failure of a serial `python -m pytest` after the README's first command, issue 69). There the child runs in one
process anyway. The child is this interpreter (`sys.executable`), so what this process can import, it can.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path


def xdist_installed() -> bool:
    return importlib.util.find_spec("xdist") is not None


def one_process() -> tuple[str, ...]:
    """The options that keep a child pytest in one process: none where pytest-xdist is not installed."""
    return ("--numprocesses=0",) if xdist_installed() else ()


def pytest_command(*args: str) -> list[str]:
    """`python -m pytest` for a child: this interpreter, no cache written into the checkout, one process."""
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *one_process(), *args]


def pytest_command_in(env: dict[str, str], cwd: Path) -> list[str]:
    """`pytest_command()` as another install sees it (an imitated `.[bench]` has no pytest-xdist where this one has):
    asked of this interpreter run in that install's environment."""
    ask = "import json; from tests.helpers.child_pytest import pytest_command; print(json.dumps(pytest_command()))"
    asked = subprocess.run(
        [sys.executable, "-c", ask], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    command: list[str] = json.loads(asked.stdout)
    return command
