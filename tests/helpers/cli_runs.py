"""The CLI's entry point, `harness.cli.main`, run two ways with one result shape.

`in_subprocess` is the command as a user or a CI job meets it: a fresh interpreter, its own stderr and
encoding, its real exit status. `in_process` calls the same function with the same argument list,
environment and working folder in the test's own process: no interpreter start (about a second of CPU
each), and an exception that escapes `main` fails the test where it is raised instead of printing a
traceback a test must look for. A test file keeps at least one subprocess run per command it covers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def in_subprocess(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> CliRun:
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


def in_process(
    *args: str,
    cwd: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str] | None = None,
) -> CliRun:
    from harness.cli import main

    capsys.readouterr()  # only what this command prints
    handler = signal.getsignal(signal.SIGINT)  # main sets the CLI's Ctrl-C handling for its process: not pytest's
    with monkeypatch.context() as patch:
        patch.chdir(cwd)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.setattr(sys, "argv", ["tts-harness", *args])
        patch.setattr(sys, "unraisablehook", sys.unraisablehook)  # main's hook for Ctrl-C in a finalizer: not pytest's
        try:
            main()
            code: object = 0
        except SystemExit as exit:
            code = exit.code
        finally:
            signal.signal(signal.SIGINT, handler)
    out, err = capsys.readouterr()
    if isinstance(code, str):  # sys.exit("message"): the interpreter prints it and exits 1
        return CliRun(1, out, err + code + "\n")
    return CliRun(code if isinstance(code, int) else 0, out, err)  # None: success
