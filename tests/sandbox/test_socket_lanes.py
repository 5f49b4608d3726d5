"""The sandbox's socket lanes say whether asked-for speech is still being made: a socket's idle timer
(`http_speech.responses.socket`, `IDLE_TIMEOUT_S`) counts only time when neither side has anything to do, so a
loaded sandbox that makes speech slowly never ends a waiting client's socket as idle (before: 10 of 642 jobs of
the whole market's default run ended `No message within 20 seconds` on a 2-core machine)."""

from __future__ import annotations

import asyncio

from harness.sandbox.socket_writer import Lanes


async def test_lanes_are_working_until_every_job_given_has_run() -> None:
    lanes, speaking = Lanes(), asyncio.Event()
    assert not lanes.working
    lanes.submit("a", speaking.wait)
    lanes.submit("a", speaking.wait)
    await asyncio.sleep(0)  # the lane's worker picks up its first job
    assert lanes.working and lanes.unfinished == 2
    speaking.set()
    await lanes.drain()
    assert not lanes.working


async def test_a_cancelled_lane_leaves_nothing_unfinished() -> None:
    lanes, never = Lanes(), asyncio.Event()
    for _ in range(3):
        lanes.submit("a", never.wait)
    await asyncio.sleep(0)
    lanes.cancel("a")
    for _ in range(3):  # the running job's cancellation reaches it
        await asyncio.sleep(0)
    assert lanes.unfinished == 0 and not lanes.working
