"""Timing marks on a monotonic clock, and the latencies derived from them.

Every mark is `time.perf_counter()` in ms relative to the job's start; wall-clock times are derived
from one wall/monotonic pair taken at import, so a clock step during a run cannot bend a latency.
`HttpTrace` hooks httpcore's trace extension: the request counts as sent when its headers start going
out on an open connection, so TCP/TLS set-up is measured apart (`connect_ms`) and never billed to the
provider, and whether the connection was reused is known for each request.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from harness.bench.provenance import iso_from_epoch
from harness.bench.stampbook import ProviderStamps, is_zoned
from harness.core.timestamps import parse_timestamp

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


@dataclass(frozen=True, slots=True)
class ServerTimes:
    """The server's stamps of one job, with what the run has learned they are worth (`StampBook`)."""

    created: datetime | None = None  # zone-less stamps are parsed as UTC; `*_zoned` says which were
    started: datetime | None = None
    completed: datetime | None = None
    created_resolution: float = 1.0  # seconds (timestamps are truncated to their last digit)
    completed_resolution: float = 1.0
    created_zoned: bool = True
    completed_zoned: bool = True


def read_server_times(clock: ProviderStamps, created: str | None, started: str | None,
                      completed: str | None) -> ServerTimes:
    """A job's stamps as written, with what the run has learned of each field (learning from them too)."""
    for name, raw in (("created", created), ("started", started), ("completed", completed)):
        clock.observe(name, raw)
    return ServerTimes(parse_timestamp(created), parse_timestamp(started), parse_timestamp(completed),
                       clock.resolution("created"), clock.resolution("completed"),
                       is_zoned(created or "Z"), is_zoned(completed or "Z"))


@dataclass(frozen=True, slots=True)
class Window:
    """When a job finished, on our monotonic clock: bounds that must hold, and the best single guess."""

    low: float
    high: float
    estimate: float
    source: str


def client_bracket(marks: Marks, polls: Sequence[PollRecord]) -> tuple[float, float, str] | None:
    """What our own clock says of when a job finished: after the last poll that saw it unfinished was sent
    (or the submit, if none did), before the answer or callback that saw it finished arrived. Bounds, not
    midpoints: a poll's answer describes the job at some instant between its send and its receipt."""
    sent = marks.values.get(Mark.REQUEST_SENT)
    if sent is None:
        return None
    callback = marks.values.get(Mark.WEBHOOK_RECEIVED)
    terminal = next((p for p in polls if p.terminal), None)
    pending = [p for p in polls if p.pending and (terminal is None or p.seq < terminal.seq)]
    low = max(pending[-1].sent, sent) if pending else sent
    if callback is not None:
        return low, callback, "webhook"
    if terminal is not None:
        return low, (terminal.received if terminal.received is not None else now()), "poll-bracket"
    return None


def learn_clock_from_completion(clock: ProviderStamps, marks: Marks, polls: Sequence[PollRecord],
                                completed: str | None) -> None:
    """The completion stamp lies inside the client's bracket: one more bound on the server's clock."""
    bracket = client_bracket(marks, polls)
    if completed is not None and bracket is not None:
        clock.observe_completion(completed, wall_of(bracket[0]), wall_of(bracket[1]))


def completion_window(marks: Marks, polls: Sequence[PollRecord], server: ServerTimes,
                      clock: ProviderStamps | None = None) -> Window | None:
    """The monotonic window in which the job finished, narrowed by every view that holds.

    Client view: `client_bracket`. Server views, each widened by the learned resolution of its
    stamps: the span `completed − created` placed by the submit exchange (the server stamped `created`
    while our submit was in flight), and `completed` placed by the run's learned clock offset. A view that
    contradicts the client's bounds is dropped (the server's clock stepped, or a stamp is wrong). The
    estimate is the window's middle; for a webhook it is the callback's arrival, which follows the
    completion by a delivery time no view can bound better.
    """
    sent = marks.values.get(Mark.REQUEST_SENT)
    bracket = client_bracket(marks, polls)
    if sent is None or bracket is None:
        return None
    low, high, source = bracket
    callback = marks.values.get(Mark.WEBHOOK_RECEIVED)
    received = marks.values.get(Mark.RESPONSE_HEADERS, sent)
    parts = [source]
    for view_low, view_high, name in _server_views(server, clock, sent, received, low, high):
        if view_low <= high and view_high >= low:
            low, high = max(low, view_low), min(high, view_high)
            parts.append(name)
    estimate = high if callback is not None else (low + high) / 2
    return Window(low, high, estimate, "+".join(parts))


def _server_views(server: ServerTimes, clock: ProviderStamps | None, sent: float, received: float,
                  low: float, high: float) -> list[tuple[float, float, str]]:
    if server.completed is None:
        return []
    completed = server.completed.timestamp()
    if not server.completed_zoned and clock is not None:
        if server.created_zoned:
            clock.learn_zone(completed, wall_of(low), wall_of(high))
        completed -= clock.zone_shift_s if server.created_zoned else 0.0
    views = []
    if server.created is not None and (server.created_zoned == server.completed_zoned or clock is not None):
        span = completed - server.created.timestamp()
        views.append((sent + span - server.created_resolution, received + span + server.completed_resolution,
                      "server-span"))
    if clock is not None and clock.offset.known:
        own = completed if server.completed_zoned else server.completed.timestamp() - clock.zone_shift_s
        views.append((mono_of(own - clock.offset.high),
                      mono_of(own + server.completed_resolution - clock.offset.low), "server-clock"))
    return views


def derive(marks: Marks, polls: Sequence[PollRecord], server: ServerTimes, finished: float,
           clock: ProviderStamps | None = None) -> dict[str, Any]:
    """The derived latency columns of `jobs` (see `harness.results.schema`)."""
    sent = marks.values.get(Mark.REQUEST_SENT)
    e2e_client = marks.since(Mark.REQUEST_SENT, Mark.TERMINAL)
    # Sync and stream answers are observed directly: their window is a point.
    e2e, low, high, source = e2e_client, e2e_client, e2e_client, "direct"
    window = None
    if polls or Mark.WEBHOOK_RECEIVED in marks.values:
        window = completion_window(marks, polls, server, clock)
    if window is not None and sent is not None:
        e2e = (window.estimate - sent) * 1000.0
        low, high, source = (window.low - sent) * 1000.0, (window.high - sent) * 1000.0, window.source
    return {
        "submit_ms": marks.since(Mark.REQUEST_SENT, Mark.RESPONSE_HEADERS),
        "queue_ms": marks.since(Mark.ACCEPTED, Mark.FIRST_PROCESSING),
        "processing_ms": marks.since(Mark.FIRST_PROCESSING, Mark.TERMINAL),
        "e2e_client_ms": e2e_client,
        "e2e_ms": e2e,
        "e2e_lo_ms": low,
        "e2e_hi_ms": high,
        "e2e_bracket_ms": None if low is None or high is None else high - low,
        "e2e_source": source if e2e is not None else None,
        "e2e_server_ms": _ms_between(server.created, server.completed),
        "server_queue_ms": _ms_between(server.created, server.started),
        "server_processing_ms": _ms_between(server.started, server.completed),
        "download_ms": marks.since(Mark.MEDIA_REQUEST_SENT, Mark.MEDIA_LAST_BYTE),
        "ttfa_ms": marks.since(Mark.REQUEST_SENT, Mark.FIRST_AUDIO),
        "total_ms": (finished - marks.start) * 1000.0,
    }
