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

The entry (`harness.cli.entry`) sets the handlers in three phases. While the CLI loads (`loading`:
typer, rich and the commands take a second or more of imports) nothing has started, so a Ctrl-C stops at
once, wherever in an import it lands. While the command runs (`arm`), the first Ctrl-C is the
`KeyboardInterrupt` above. Once the command has ended (`ending`), a Ctrl-C during interpreter shutdown
stops at once too, instead of raising in an atexit callback; after the last atexit callback (`_last`) it is
ignored, since Python then resets its handlers and a Ctrl-C would kill the process without a word.

One place the first Ctrl-C's `KeyboardInterrupt` cannot travel from: a finalizer (an object's `__del__`, a
generator closed as it is collected, a weakref callback), run wherever the garbage collector happens to run — in
the middle of any import or allocation, the first request's import of anyio's asyncio backend among them. Python
prints an exception raised there as "Exception ignored in ..." with its traceback and carries on: the Ctrl-C was
lost, and a second one then stopped a process that had already printed a traceback. While a command runs
(`arm`), the unraisable hook (`_swallowed`) treats the interruption a finalizer swallowed as a second Ctrl-C: it
stops at once, with one line. Before
the harness's first line runs (the interpreter starting and importing `site`, tens of milliseconds), a
Ctrl-C is the interpreter's own. This module imports only the built-in `atexit` and `signal` and what
`import harness` has loaded already (os, sys, contextlib): the entry loads it first.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: nothing more to load before the handler
if TYPE_CHECKING:
    from types import FrameType
    from typing import NoReturn

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a process ended by Ctrl-C

_state = {"interrupted": False, "said": False}
_hooks = {"unraisable": sys.unraisablehook}  # the hook `arm` replaces, for every other unraisable exception


def loading() -> None:
    """While the CLI loads: a Ctrl-C ends the process at once, with one line (main thread only, as every
    handler here: signal handlers live there). Registered before any library registers its own, `_last`
    is the last atexit callback to run."""
    signal.signal(signal.SIGINT, _at_once)
    atexit.register(_last)


def arm() -> None:
    """While a command runs: the first Ctrl-C raises `KeyboardInterrupt` where the program is; where that is a
    finalizer, which cannot raise it further, it stops the process at once (`_swallowed`)."""
    signal.signal(signal.SIGINT, _first)
    if sys.unraisablehook is not _swallowed:
        _hooks["unraisable"] = sys.unraisablehook
        sys.unraisablehook = _swallowed


def ending() -> None:
    """Once the command has ended: a Ctrl-C during shutdown ends the process at once, with one line."""
    if not _state["interrupted"]:
        signal.signal(signal.SIGINT, _at_once)


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
    interpreter's shutdown — the command has already committed what it keeps, and a second Ctrl-C during
    the shutdown's wait for worker threads would abort the process instead of exiting 130."""
    say(line)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken stream: exiting anyway
            stream.flush()
    os._exit(EXIT_INTERRUPTED)


def _first(signum: int, frame: FrameType | None) -> None:
    _state["interrupted"] = True
    signal.signal(signal.SIGINT, _again)
    raise KeyboardInterrupt


def _swallowed(unraisable: sys.UnraisableHookArgs) -> None:
    """An exception a finalizer raised, which Python can only report: the first Ctrl-C's `KeyboardInterrupt`
    stops the process at once (the command will never see it, and its traceback is no answer to a Ctrl-C);
    anything else goes to the hook this one replaced."""
    if _state["interrupted"] and isinstance(unraisable.exc_value, KeyboardInterrupt):
        _again(signal.SIGINT, None)
    _hooks["unraisable"](unraisable)


def _last() -> None:
    """After the last atexit callback Python resets every signal handler it set to the default (to
    SIG_DFL, unless it is SIG_IGN), so a Ctrl-C in what is left — modules torn down, memory freed — would
    kill the process without a word. The command has ended and everything is written: ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _at_once(signum: int, frame: FrameType | None) -> None:
    leave("interrupted")


def _again(signum: int, frame: FrameType | None) -> None:
    leave("interrupted: stopped at once (everything kept is committed; `bench run --resume RUN_ID` finishes a run)")
