"""Timing marks on a monotonic clock, and the latencies derived from them.

Every mark is `time.perf_counter()` in ms relative to the job's start; wall-clock times are derived
from one wall/monotonic pair taken at import, so a clock step during a run cannot bend a latency.
`HttpTrace` hooks httpcore's trace extension: the request counts as sent when its headers start going
out on an open connection, so TCP/TLS set-up is measured apart (`connect_ms`) and never billed to the
provider, and whether the connection was reused is known for each request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from harness.bench.provenance import iso_from_epoch

_WALL0 = time.time()
_MONO0 = time.perf_counter()


def now() -> float:
    """Monotonic seconds."""
    return time.perf_counter()


def wall_of(mono: float) -> float:
    """Epoch seconds for a monotonic reading of this process."""
    return _WALL0 + (mono - _MONO0)


def mono_of(wall: float) -> float:
    """The monotonic reading of this process that corresponds to epoch seconds `wall` (resume)."""
    return _MONO0 + (wall - _WALL0)


class Mark(StrEnum):
    REQUEST_SENT = "request_sent"
    RESPONSE_HEADERS = "response_headers"
    ACCEPTED = "accepted"
    FIRST_PROCESSING = "first_processing"
    LAST_PENDING = "last_pending"
    TERMINAL = "terminal"
    WEBHOOK_RECEIVED = "webhook_received"
    MEDIA_REQUEST_SENT = "media_request_sent"
    MEDIA_FIRST_BYTE = "media_first_byte"
    MEDIA_LAST_BYTE = "media_last_byte"
    FIRST_AUDIO = "first_audio"


@dataclass(slots=True)
class Marks:
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


@dataclass(slots=True)
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
    pending: bool = False  # the answer said the job was not finished
    terminal: bool = False

    @property
    def server_instant(self) -> float:
        """When the server most likely read the job's state: halfway between send and receipt."""
        return self.sent if self.received is None else (self.sent + self.received) / 2


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


def _ms_between(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else (b - a).total_seconds() * 1000.0


_FRACTION = re.compile(r"[T ]\d{2}:\d{2}:\d{2}(?:\.(\d+))?")


def resolution_of(raw: str | None) -> float:
    """Seconds one unit of a timestamp's last digit stands for: 0.001 for `…:32.110Z`, 1 for `…:32`."""
    match = _FRACTION.search(raw or "")
    digits = len(match.group(1)) if match and match.group(1) else 0
    return 10.0 ** -digits


@dataclass(frozen=True, slots=True)
class ServerTimes:
    created: datetime | None = None
    started: datetime | None = None
    completed: datetime | None = None
    created_resolution: float = 1.0  # seconds (timestamps are truncated to their last digit)
    completed_resolution: float = 1.0


def completion_window(
    marks: Marks, polls: Sequence[PollRecord], server: ServerTimes
) -> tuple[float, float, str] | None:
    """(earliest, latest, source): the monotonic window in which the job finished, narrowed by every view.

    Client view: after the last poll that saw it pending, before the poll (or callback) that saw it done.
    Server view: `completed − created` on the server's clock, placed on ours by the submit exchange (the
    server stamped `created` between our request going out and its answer coming back), each timestamp
    widened by its resolution. Both views hold, so the job finished inside their intersection; when they
    do not intersect the server's clock or stamps are wrong, and only the client view is kept.
    """
    sent = marks.values.get(Mark.REQUEST_SENT)
    if sent is None:
        return None
    callback = marks.values.get(Mark.WEBHOOK_RECEIVED)
    terminal = next((p for p in polls if p.terminal), None)
    pending = [p for p in polls if p.pending and (terminal is None or p.seq < terminal.seq)]
    low = pending[-1].server_instant if pending else sent
    if callback is not None:
        high, source = callback, "webhook"
    elif terminal is not None:
        high, source = terminal.server_instant, "poll-bracket"
    else:
        return None
    received = marks.values.get(Mark.RESPONSE_HEADERS, sent)
    if server.created is not None and server.completed is not None:
        span = (server.completed - server.created).total_seconds()
        earliest = sent + span - server.created_resolution
        latest = received + span + server.completed_resolution
        if earliest <= high and latest >= low:
            return max(low, earliest), min(high, latest), source + "+server-timestamps"
    return low, high, source


def derive(marks: Marks, polls: Sequence[PollRecord], server: ServerTimes, finished: float) -> dict[str, Any]:
    """The derived latency columns of `jobs` (see `harness.bench.store`)."""
    sent = marks.values.get(Mark.REQUEST_SENT)
    e2e_client = marks.since(Mark.REQUEST_SENT, Mark.TERMINAL)
    e2e, bracket, source = e2e_client, (0.0 if e2e_client is not None else None), "direct"
    window = completion_window(marks, polls, server) if polls or Mark.WEBHOOK_RECEIVED in marks.values else None
    if window is not None and sent is not None:
        low, high, source = window
        e2e, bracket = ((low + high) / 2 - sent) * 1000.0, (high - low) * 1000.0
    return {
        "submit_ms": marks.since(Mark.REQUEST_SENT, Mark.RESPONSE_HEADERS),
        "queue_ms": marks.since(Mark.ACCEPTED, Mark.FIRST_PROCESSING),
        "processing_ms": marks.since(Mark.FIRST_PROCESSING, Mark.TERMINAL),
        "e2e_client_ms": e2e_client,
        "e2e_ms": e2e,
        "e2e_bracket_ms": bracket,
        "e2e_source": source if e2e is not None else None,
        "e2e_server_ms": _ms_between(server.created, server.completed),
        "server_queue_ms": _ms_between(server.created, server.started),
        "server_processing_ms": _ms_between(server.started, server.completed),
        "download_ms": marks.since(Mark.MEDIA_REQUEST_SENT, Mark.MEDIA_LAST_BYTE),
        "ttfa_ms": marks.since(Mark.REQUEST_SENT, Mark.FIRST_AUDIO),
        "total_ms": (finished - marks.start) * 1000.0,
    }
