"""Timing marks on a monotonic clock: what the runner records of a job's moments, never what they mean (the
figures are `harness.measurement`'s, derived from these after the run).

Every mark is `time.perf_counter()` in ms relative to the job's start; wall-clock times are derived
from one wall/monotonic pair taken at import, so a clock step during a run cannot bend a latency.
`HttpTrace` hooks httpcore's trace extension: the request counts as sent when its headers start going
out on an open connection, so TCP/TLS set-up is measured apart (`connect_ms`) and never billed to the
provider, and whether the connection was reused is known for each request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from harness.measurement import Mark, Seen, StatusAnswer
from harness.runner.record.provenance import iso_from_epoch

_WALL0 = time.time()
_MONO0 = time.perf_counter()
CLOCK_EPOCH = _WALL0 - _MONO0  # the wall time of this process's monotonic zero: wall_of(t) = CLOCK_EPOCH + t


def now() -> float:
    """Monotonic seconds."""
    return time.perf_counter()


def wall_of(mono: float) -> float:
    """Epoch seconds for a monotonic reading of this process."""
    return CLOCK_EPOCH + mono


def mono_of(wall: float) -> float:
    """The monotonic reading of this process that corresponds to epoch seconds `wall` (resume)."""
    return wall - CLOCK_EPOCH


@dataclass(slots=True)
class JobMoments:
    """One job's marks: the first occurrence of each wins (LAST_PENDING is overwritten on purpose)."""

    start: float  # monotonic seconds at the job's start
    values: dict[Mark, float] = field(default_factory=dict)  # mark -> monotonic seconds

    def set(self, mark: Mark, at: float | None = None, *, overwrite: bool = False) -> None:
        if overwrite or mark not in self.values:
            self.values[mark] = now() if at is None else at

    def ms(self, mark: Mark) -> float | None:
        at = self.values.get(mark)
        return None if at is None else (at - self.start) * 1000.0

    def since(self, a: Mark, b: Mark) -> float | None:
        """b − a in ms, when both are present."""
        first, second = self.values.get(a), self.values.get(b)
        return None if first is None or second is None else (second - first) * 1000.0

    def rows(self) -> list[tuple[str, float, str]]:
        return [(m.value, (t - self.start) * 1000.0, iso_from_epoch(wall_of(t))) for m, t in self.values.items()]


@dataclass(slots=True, kw_only=True)
class PollRecord:
    """One status request, in monotonic seconds."""

    seq: int
    reason: str
    planned_delay: float
    sent: float
    received: float | None = None
    http_status: int | None = None
    provider_status: str | None = None
    error_class: str | None = None
    connection_reused: bool | None = None
    seen: Seen | None = None  # what a readable answer said of the job
    stamps: tuple[str | None, str | None, str | None] = (None, None, None)  # created, started, completed as written

    @property
    def answer(self) -> StatusAnswer:
        """What the measurement reads of this poll: what its `pending`, `queued` and `terminal` mean is its rule."""
        return StatusAnswer(self.seq, self.sent, self.received, self.seen)

    pending = property(lambda self: self.answer.pending)
    queued = property(lambda self: self.answer.queued)
    terminal = property(lambda self: self.answer.terminal)


class HttpTrace:
    """Collects httpcore trace events of one request: when it was sent, connection set-up, reuse."""

    __slots__ = ("connect_end", "connect_start", "headers_received", "headers_sent")

    def __init__(self) -> None:
        self.connect_start: float | None = None
        self.connect_end: float | None = None
        self.headers_sent: float | None = None
        self.headers_received: float | None = None

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        if name.endswith("send_request_headers.started"):
            self.headers_sent = time.perf_counter()
        elif name.endswith("receive_response_headers.complete"):
            self.headers_received = time.perf_counter()
        elif name == "connection.connect_tcp.started":
            self.connect_start = time.perf_counter()
        elif name in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.connect_end = time.perf_counter()

    @property
    def reused(self) -> bool:
        return self.connect_start is None

    @property
    def connect_ms(self) -> float:
        if self.connect_start is None or self.connect_end is None:
            return 0.0
        return (self.connect_end - self.connect_start) * 1000.0
