"""One event loop per command, and a Ctrl-C that ends it without a stack of tracebacks.

The CLI's Ctrl-C handler raises `KeyboardInterrupt` wherever the loop is (`harness.cli.interrupts`),
which may be inside a task: a connection attempt in httpx's task group, a socket read. `asyncio.run`
then cancels the tasks still pending, and a task whose group gathered that `KeyboardInterrupt` ends with
it (wrapped in a `BaseExceptionGroup` by anyio) instead of `CancelledError`; asyncio reports each such
task through the loop's exception handler ("unhandled exception during asyncio.run() shutdown", or "Task
exception was never retrieved") as a full traceback on stderr, after the command's one line. An
interruption is not an error: the handler here stays quiet for an exception made only of interruptions
and hands every other one to asyncio's own handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")

_INTERRUPTIONS = (KeyboardInterrupt, asyncio.CancelledError)


def run(main: Coroutine[Any, Any, _T]) -> _T:
    """`asyncio.run(main)`, quiet about the tasks an interruption ends."""
    with asyncio.Runner() as runner:
        runner.get_loop().set_exception_handler(_quiet_about_interruptions)
        return runner.run(main)


def is_interruption(error: BaseException) -> bool:
    """A Ctrl-C or a cancellation, alone or as every member of an exception group."""
    if isinstance(error, BaseExceptionGroup):
        return all(is_interruption(member) for member in error.exceptions)
    return isinstance(error, _INTERRUPTIONS)


def _quiet_about_interruptions(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException) and is_interruption(error):
        return
    loop.default_exception_handler(context)
