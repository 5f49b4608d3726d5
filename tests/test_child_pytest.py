"""A pytest a test starts gets only the options its install has (tests.helpers.child_pytest, the one rule): in a
plain `pip install -e '.[bench]'` (no pytest-xdist, the dev extra's) a child started with `-n 0` stopped with
"unrecognized arguments: -n", the one failure of a serial `python -m pytest` after the README's first command
(issue 69). Proved where that install is imitated (tests.helpers.base_install hides what the other extras bring);
and every child pytest of the suite is started through the rule."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import child_pytest
from tests.helpers.base_install import base_install_env
from tests.helpers.child_pytest import pytest_command, pytest_command_in
from tests.helpers.repo import REPO_ROOT


def test_xdist_s_option_only_where_xdist_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name == "xdist" else real(name, *rest))
    assert not any(arg.startswith(("-n", "--numprocesses")) for arg in pytest_command("-q"))
    monkeypatch.setattr(child_pytest, "xdist_installed", lambda: True)
    assert pytest_command("-q")[-2:] == ["--numprocesses=0", "-q"]


@pytest.mark.slow
def test_a_child_in_a_bench_install_runs_and_minus_n_did_not(tmp_path: Path) -> None:
    env = base_install_env(tmp_path / "bench-install", ("bench",))
    env["PYTHONPATH"] += f":{REPO_ROOT}"
    command = pytest_command_in(env, REPO_ROOT)
    assert not any(arg.startswith(("-n", "--numprocesses")) for arg in command), command  # no xdist there
    this = ["--collect-only", "-q", "tests/test_child_pytest.py"]
    done = subprocess.run([*command, *this], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "tests/test_child_pytest.py::" in done.stdout, done.stdout + done.stderr
    before = subprocess.run(
        [*command, "-n", "0", *this], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert before.returncode == pytest.ExitCode.USAGE_ERROR and "unrecognized arguments: -n" in before.stderr


def test_every_child_pytest_of_the_suite_starts_through_the_rule() -> None:
    """No test builds `python -m pytest` itself (it would pick its own options again): `pytest_command` does."""
    started = re.compile(r"""["']-m["'],\s*["']pytest["']""")
    own = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "tests").rglob("*.py")
        if started.search(path.read_text(encoding="utf-8")) and path.name != "child_pytest.py"
    ]
    assert own == [], own


_RUNNERS = {"runpytest", "runpytest_subprocess", "runpytest_inprocess", "inline_run"}  # pytester's own starts


def _asks_for_workers(call: ast.Call) -> bool:
    said = [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return any(word == "-n" or word.startswith(("-n=", "--numprocesses", "--dist")) for word in said)


def _skips_without_xdist(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "importorskip"
        and any(isinstance(arg, ast.Constant) and arg.value == "xdist" for arg in node.args)
        for node in ast.walk(function)
    )


def test_a_pytester_child_asks_for_workers_only_where_xdist_is() -> None:
    """A test that starts its pytest with pytester (not `pytest_command`) and asks for pytest-xdist's workers skips
    where pytest-xdist is not installed, rather than stopping at "unrecognized arguments: -n"."""
    unguarded = []
    for path in sorted((REPO_ROOT / "tests").rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            asks = [
                node
                for node in ast.walk(function)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RUNNERS
                and _asks_for_workers(node)
            ]
            if asks and not _skips_without_xdist(function):
                unguarded.append(f"{path.relative_to(REPO_ROOT)}::{function.name}")
    assert unguarded == [], unguarded
