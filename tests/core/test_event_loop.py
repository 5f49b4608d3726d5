"""A Ctrl-C raised inside a task (an httpx connection attempt in anyio's task group) ends the loop with
no traceback on stderr: CI once showed "unhandled exception during asyncio.run() shutdown" with a stack
after `bench run`'s one line (tests/cli/test_bad_inputs.py's Ctrl-C test, in the rare moment the signal
lands in a connect)."""

from __future__ import annotations

import asyncio
import logging

import anyio
import pytest

from harness.core import event_loop


async def _interrupted_in_a_task_group() -> None:
    """A job awaiting a task group whose member takes the Ctrl-C, while the main coroutine waits on."""

    async def member() -> None:
        await asyncio.sleep(0)
        raise KeyboardInterrupt  # where the CLI's handler raises it: inside whatever task the loop runs

    async def job() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(member)
            group.start_soon(anyio.sleep, 60)

    pending = asyncio.create_task(job())
    await asyncio.sleep(60)
    pending.cancel()


def _asyncio_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "asyncio"]


def test_asyncio_run_alone_reports_the_interrupted_task_with_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """The control: what the rule exists for happens with the plain `asyncio.run`."""
    with caplog.at_level(logging.ERROR, logger="asyncio"), pytest.raises(KeyboardInterrupt):
        asyncio.run(_interrupted_in_a_task_group())
    assert _asyncio_errors(caplog), "asyncio no longer reports such a task: the rule may be unnecessary"


def test_an_interruption_inside_a_task_group_ends_the_loop_quietly(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="asyncio"), pytest.raises(KeyboardInterrupt):
        event_loop.run(_interrupted_in_a_task_group())
    assert _asyncio_errors(caplog) == []


def test_a_real_error_in_an_abandoned_task_is_still_reported(caplog: pytest.LogCaptureFixture) -> None:
    """Only interruptions are silenced: a task that failed on its own still reaches asyncio's handler."""

    async def broken() -> None:
        raise ValueError("a real fault")

    async def main() -> None:
        task = asyncio.create_task(broken())
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        del task

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        event_loop.run(main())
        import gc

        gc.collect()
    assert any("never retrieved" in message for message in _asyncio_errors(caplog))


@pytest.mark.parametrize(
    ("error", "quiet"),
    [
        (KeyboardInterrupt(), True),
        (asyncio.CancelledError(), True),
        (BaseExceptionGroup("g", [KeyboardInterrupt(), BaseExceptionGroup("h", [asyncio.CancelledError()])]), True),
        (BaseExceptionGroup("g", [KeyboardInterrupt(), ValueError("x")]), False),
        (ValueError("x"), False),
    ],
)
def test_an_interruption_is_a_ctrl_c_or_a_cancellation_alone_or_in_every_member(
    error: BaseException, quiet: bool
) -> None:
    assert event_loop.is_interruption(error) is quiet
