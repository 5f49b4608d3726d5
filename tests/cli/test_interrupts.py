"""Ctrl-C in each phase of the CLI's life is one line and exit 130: while the CLI loads (typer, rich and the
commands imported), while a command imports what it needs, and after the command has ended (interpreter
shutdown); once or twice. Never a traceback, "Exception ignored" or an abort.

Deterministic, without timing: the child process is `python -m harness.cli` (through runpy, as `-m` runs it)
started by a bootstrap that signals itself — `os.kill(own pid, SIGINT)` — at the moment under test: when a
named module is first imported (an import hook), or from an atexit callback. The signal is delivered to
the process as a terminal's Ctrl-C is; Python runs the handler at the next instruction, inside that import.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli_runs import in_subprocess

# The child's bootstrap: argv[1] is when to signal (`import:MODULE`, `import-twice:MODULE`, `exit:` from the
# atexit callback run last, `exit:MODULE` from one registered when MODULE is imported, `finalizer:MODULE` from an
# object's `__del__` as MODULE is imported, `finalizer-twice:MODULE` and a second Ctrl-C after it), the rest is the
# command line.
BOOTSTRAP = """
import atexit, importlib.abc, os, runpy, signal, sys

when, _, module = sys.argv.pop(1).partition(":")

def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)

class Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != module:
            return None
        sys.meta_path.remove(self)
        if when == "exit":
            atexit.register(ctrl_c)  # registered after the CLI's own: runs before its last
            return None
        if when.startswith("finalizer"):
            Teardown()  # collected at once: the Ctrl-C lands in its finalizer, as the garbage collector may run one
            if when == "finalizer-twice":
                ctrl_c()
            return None
        if when == "import-twice":
            try:
                ctrl_c()  # the first Ctrl-C raises here...
            finally:
                ctrl_c()  # ...and a second arrives while it unwinds
        ctrl_c()
        return None

class Teardown:
    def __del__(self):
        ctrl_c()
        sum(range(10))  # Python code after the signal: the handler runs here, inside the finalizer

if when == "teardown":
    keep = Teardown()  # a global of __main__: deleted as Python tears the modules down, after its signal handling
elif when == "exit" and not module:
    atexit.register(ctrl_c)  # registered first: runs last, after the CLI's own last callback
else:
    sys.meta_path.insert(0, Hook())
sys.argv[0] = "tts-harness"
runpy.run_module("harness.cli", run_name="__main__", alter_sys=True)
"""

ABORTS = ("Traceback", "Exception ignored", "Fatal Python error", "terminate called", "KeyboardInterrupt", "Aborted")


def _child(when: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    return subprocess.run(
        [sys.executable, "-c", BOOTSTRAP, when, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )


def _interrupted(when: str, *args: str, cwd: Path) -> tuple[str, str]:
    done = _child(when, *args, cwd=cwd)
    for mark in ABORTS:
        assert mark not in done.stderr, done.stderr
    assert done.returncode == 130, (done.returncode, done.stderr)
    # the plan's own notes (a price's weak source) come before any request; the interruption is one line
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("note:")]
    assert len(lines) == 1, done.stderr
    return lines[0], done.stdout


@pytest.mark.parametrize("when", ["import:typer", "import:harness.cli.bench", "import-twice:rich.console"])
def test_ctrl_c_while_the_cli_loads_is_one_line(when: str, tmp_path: Path) -> None:
    line, out = _interrupted(when, "bench", "run", "--corpus", "en_read:1", "--out", "out", cwd=tmp_path)
    assert line == "interrupted" and out == ""
    assert not (tmp_path / "out").exists()  # nothing had started


@pytest.mark.parametrize("when", ["import:harness.report.compare", "import-twice:harness.report.compare"])
def test_ctrl_c_while_a_command_loads_what_it_needs_is_one_line(when: str, tmp_path: Path) -> None:
    line, _ = _interrupted(when, "report", "RUN", "--db", "runs.db", cwd=tmp_path)
    assert line.startswith("interrupted")


def test_ctrl_c_after_the_command_ended_does_not_interrupt_shutdown(tmp_path: Path) -> None:
    line, out = _interrupted("exit:harness.cli.commands", "serve", "--help", cwd=tmp_path)
    assert line == "interrupted" and "Usage:" in out  # the command's own output is whole


@pytest.mark.parametrize("when", ["exit:", "teardown"])
def test_ctrl_c_in_the_last_of_shutdown_is_ignored_not_a_silent_kill(when: str, tmp_path: Path) -> None:
    """After the last atexit callback Python resets its handlers to the default: a Ctrl-C while it then tears
    the modules down killed the process by SIGINT without a word (the soak's trial at 8 s). Everything is
    written by then, so it is ignored."""
    done = _child(when, "serve", "--help", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "") and "Usage:" in done.stdout


def test_the_entry_loads_nothing_before_it_sets_the_handler(tmp_path: Path) -> None:
    """What runs before `main`'s first line (the `harness` and `harness.cli` packages, the entry module) is
    the only window where a Ctrl-C is still the interpreter's: it loads no library, not even typing."""
    probe = (
        "import sys; before = set(sys.modules); import harness.cli.entry; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    loaded = set(done.stdout.split())
    own = {"harness", "harness._version", "harness.cli", "harness.cli.entry", "harness.cli.interrupts"}
    start_up = {"signal", "atexit", "__future__", "contextlib", "importlib"}  # loaded by `site` already, in most setups
    assert loaded <= own | start_up, loaded - own - start_up


@pytest.mark.parametrize("when", ["finalizer:anyio._backends._asyncio", "finalizer-twice:anyio._backends._asyncio"])
def test_ctrl_c_in_a_finalizer_mid_run_stops_at_once_and_the_run_resumes(when: str, tmp_path: Path) -> None:
    """The first request imports anyio's asyncio backend while the jobs run; a Ctrl-C landing in a finalizer the
    garbage collector runs there raises where Python can only print it ("Exception ignored" and a traceback) and
    carry on: the run went on (one Ctrl-C: exit 0), or a second Ctrl-C stopped it after the traceback. It stops at
    once, with one line, and `--resume` finishes the run."""
    run = (
        "bench",
        "run",
        "--providers",
        "pixazo",
        "--models",
        "chatterbox",
        "--corpus",
        "en_read:2",
        "--sandbox-profile",
        "fast",
        "--no-score",
        "--no-report",
        "--out",
        "out",
    )
    line, _ = _interrupted(when, *run, cwd=tmp_path)
    assert line.startswith("interrupted: stopped at once"), line
    run_id = sqlite3.connect(tmp_path / "out" / "runs.db").execute("SELECT run_id FROM runs").fetchone()[0]
    resumed = in_subprocess("bench", "run", "--resume", run_id, "--out", "out", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    states = sqlite3.connect(tmp_path / "out" / "runs.db").execute("SELECT state, COUNT(*) FROM jobs GROUP BY state")
    assert dict(states.fetchall()) == {"done": 2}
