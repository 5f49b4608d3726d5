"""A job's one deadline: `--job-timeout` bounds the whole job, whatever its answer.

A job gets its deadline when it starts (`Job`): its start plus `--job-timeout` seconds, or, for a job picked up
by `--resume`, the resume plus `--job-timeout` (the crash was not its fault). Every wire path waits under it —
the request and its answer, headers, body and stream alike (`exchange.send`), the socket (`socket_speech`), the
polls and the wait for a callback (`waiting`), the download and its retries (`download`), the provider's gate
(`admission`) — so a server that drips a byte a second ends as a `timeout` at the deadline, never held by a
read timeout that every byte resets.

`within` is how a wait is cut: the work runs as its own task and is cancelled at the deadline; a cancellation
that the work swallows (Python 3.11's `asyncio.wait_for` can, when its inner wait has just finished) is
repeated, and work that still does not end within `CANCEL_GRACE_S` is left to end on its own, so the job's
end never waits on it. Work that finished by the time it was stopped gives its result: a result is never
thrown away for being a moment late.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from harness.core.errors import TimeoutError_
from harness.runner.record.timing import now

_T = TypeVar("_T")

CANCEL_GRACE_S = 2.0  # how long cut work is given to end after the deadline before it is left behind
_CANCEL_AGAIN_S = 0.5  # cut work that has not ended by then is cancelled again (time enough to close a socket)


class DeadlineReached(Exception):
    """The work was cut at its deadline (the caller says what was being done)."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """An instant on a monotonic clock (`timing.now`, the runner's), and the seconds it was given (for messages)."""

    at: float
    seconds: float
    clock: Callable[[], float] = field(default=now, compare=False)  # a test's own clock (downloads' retries)
    whose: str = "the job's"  # for the messages: what the deadline bounds,
    setting: str = "--job-timeout"  # and the setting that gave it

    @classmethod
    def after(
        cls, seconds: float, start: float | None = None, *, whose: str = "the job's", setting: str = "--job-timeout"
    ) -> Deadline:
        """`seconds` from `start` (monotonic; default now)."""
        return cls((now() if start is None else start) + seconds, seconds, whose=whose, setting=setting)

    def left(self) -> float:
        """Seconds until the deadline (negative once it has passed)."""
        return self.at - self.clock()

    def passed(self) -> bool:
        return self.left() <= 0

    def reached(self, doing: str) -> TimeoutError_:
        """The time-out, saying what was being done when the time was up."""
        return TimeoutError_(f"{self.whose} {self.seconds:g} s deadline ({self.setting}) was reached {doing}")


async def within(deadline: Deadline | None, work: Coroutine[Any, Any, _T]) -> _T:
    """`await work`, cut at `deadline` (None: not bounded); raises `DeadlineReached` when cut."""
    if deadline is None or math.isinf(deadline.at):
        return await work
    left = deadline.left()
    if left <= 0:
        work.close()  # never started: nothing of it happened
        raise DeadlineReached
    task = asyncio.ensure_future(work)
    try:
        await asyncio.wait({task}, timeout=left)
    except BaseException:  # the job itself is cancelled (Ctrl-C): so is its work
        task.cancel()
        task.add_done_callback(_retrieve)
        raise
    if task.done():
        return task.result()
    await _stop(task)
    if task.done() and not task.cancelled() and task.exception() is None:
        return task.result()  # it finished as it was being stopped
    raise DeadlineReached


async def _stop(task: asyncio.Future[Any]) -> None:
    """Cancel `task` until it ends, for at most `CANCEL_GRACE_S`; then leave it to end on its own."""
    give_up = now() + CANCEL_GRACE_S
    try:
        while not task.done() and (left := give_up - now()) > 0:
            task.cancel()
            await asyncio.wait({task}, timeout=min(left, _CANCEL_AGAIN_S))
    finally:
        if not task.done():
            task.cancel()
            task.add_done_callback(_retrieve)


def _retrieve(task: asyncio.Future[Any]) -> None:
    """A task left behind ends unobserved: its outcome is read so asyncio does not report it."""
    if not task.cancelled():
        task.exception()
