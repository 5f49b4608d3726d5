"""Ctrl-C, at any moment, ends the CLI with one line and exit code 130.

The first Ctrl-C raises `KeyboardInterrupt` where the program is (Python's own behaviour): a command
that can stop cleanly catches it — `bench run` lets the event loop cancel its jobs, marks the run
interrupted and says how to resume it — and `main` turns it into one line for every other command.
From then on the process is stopping, and a second Ctrl-C must not interrupt the stopping: raised in
the middle of interpreter shutdown (the `concurrent.futures` atexit join of the worker threads that
run Piper's ONNX session and the ASR model), it let Python finalize while a native thread was still
running; the C++ runtime's thread objects were then destroyed joinable and `std::terminate` aborted the
process (SIGABRT, "terminate called without an active exception"). So the first Ctrl-C re-arms the
handler to stop at once: one line and `os._exit(130)`, which runs neither atexit handlers nor static
destructors. Stopping at once is safe because everything the harness keeps is committed in SQLite
transactions (the runner survives `kill -9`; `--resume` finishes the run).

Before Python runs the harness's first line (the interpreter importing `site`), a Ctrl-C is the
interpreter's own; `arm` is the first thing `main` does, before any heavy import.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType
from typing import NoReturn

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a process ended by Ctrl-C

_state = {"interrupted": False, "said": False}


def arm() -> None:
    """Install the handler (main thread only: signal handlers live there)."""
    signal.signal(signal.SIGINT, _first)


def interrupted() -> bool:
    return _state["interrupted"]


def say(line: str) -> None:
    """Write the one line an interrupted command ends with (once: a later call is silent)."""
    if _state["said"]:
        return
    _state["said"] = True
    os.write(2, (line.rstrip("\n") + "\n").encode("utf-8", "replace"))


def leave(line: str) -> NoReturn:
    """End an interrupted process: its line (unless the command said its own), then exit 130 without the
    interpreter's shutdown — the command has already committed what it keeps, and the shutdown's wait
    for worker threads is where a second Ctrl-C used to abort the process."""
    say(line)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(EXIT_INTERRUPTED)


def _first(signum: int, frame: FrameType | None) -> None:
    _state["interrupted"] = True
    signal.signal(signal.SIGINT, _again)
    raise KeyboardInterrupt


def _again(signum: int, frame: FrameType | None) -> None:
    leave("interrupted: stopped at once (everything kept is committed; `bench run --resume RUN_ID` finishes a run)")
