"""`RenderRoom`: a job waits, before its clock starts, while the embedded sandbox's renders pile up."""

from __future__ import annotations

import asyncio

from harness.runner.deliver.client_health import RenderRoom


class Queue:
    """An embedded sandbox whose renders finish one at each look (an event per poll, no clock)."""

    def __init__(self, waiting: int) -> None:
        self.waiting = waiting
        self.looks = 0

    def renders_waiting(self) -> int:
        self.looks += 1
        waiting = self.waiting
        self.waiting = max(0, self.waiting - 1)
        return waiting

    def health(self) -> object:
        raise AssertionError("not read here")


def test_a_job_waits_while_renders_pile_up_and_is_counted() -> None:
    queue = Queue(5)
    room = RenderRoom(queue, room=2, poll_s=0)
    asyncio.run(room.wait())
    assert queue.waiting == 0 and queue.looks == 5  # 5 then 4, 3, 2 (still no room), 1: room
    assert room.held == 1 and room.held_s >= 0
    asyncio.run(room.wait())  # room at once: not held
    assert room.held == 1


def test_without_an_embedded_sandbox_nothing_is_held() -> None:
    room = RenderRoom(None)
    asyncio.run(room.wait())
    assert room.held == 0 and room.held_s == 0.0
