"""The frameworks' clients, driven unchanged, leave HTTP clients for the garbage collector: the OpenAI SDK's
client closes itself in `__del__` by starting `aclose()` on whatever loop is running then. Collected during a later
test (in another test's loop, or the sandbox's), that task fails with "Event loop is closed" (its connections belong
to this test's loop, closed by then) and its traceback lands in whichever test captures the log at that moment (it
once failed a sandbox test's "no traceback in the log" check in a fresh clone). So each test here collects its
garbage while its own loop still runs, and lets those closes finish there."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator

import pytest

CLOSE_WAIT_S = 5.0  # a close aborts the connection: it takes milliseconds; the bound only keeps a hang from lasting


@pytest.fixture(autouse=True)
async def _clients_closed_on_this_loop() -> AsyncIterator[None]:
    # What lived before the test is frozen (left out of every later collection): the collection after it then walks
    # only what the test made, where its clients are, instead of the worker's whole heap (loaded models, sandboxes,
    # parsed declarations) once a test: measured, 1.5% of the suite's CPU.
    gc.freeze()
    yield
    gc.collect()  # the clients' __del__ start their aclose() on this, the running loop
    closing = [
        task
        for task in asyncio.all_tasks()
        if task is not asyncio.current_task() and "aclose" in getattr(task.get_coro(), "__qualname__", "")
    ]
    if closing:
        await asyncio.wait(closing, timeout=CLOSE_WAIT_S)
