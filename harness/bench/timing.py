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
from enum import StrEnum
from typing import Any

from harness.bench.provenance import iso_from_epoch
from harness.bench.stampbook import Convention, ProviderStamps, is_zoned
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
    queued: bool = False  # ... and had not left the queue (an initial state)
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


@dataclass(frozen=True, slots=True)
class ServerTimes:
    """The server's stamps of one job as the provider wrote them; what they are worth is the run's
    `ProviderStamps` (resolution, convention, zone, clock offset)."""

    created: str | None = None
    started: str | None = None
    completed: str | None = None


def read_server_times(clock: ProviderStamps, created: str | None, started: str | None,
                      completed: str | None) -> ServerTimes:
    """A job's stamps as written, learning from them what each field is worth."""
    for name, raw in (("created", created), ("started", started), ("completed", completed)):
        clock.observe(name, raw)
    return ServerTimes(created, started, completed)


@dataclass(frozen=True, slots=True)
class Window:
    """When an event happened, on our monotonic clock: bounds that must hold, and the best single guess."""

    low: float
    high: float
    estimate: float
    source: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A latency in ms: the interval that holds the truth, and the estimate inside it."""

    low: float
    high: float
    estimate: float

    @classmethod
    def of(cls, low: float, high: float, estimate: float | None = None) -> Figure:
        low = max(low, 0.0)
        high = max(high, low)
        middle = (low + high) / 2 if estimate is None else min(max(estimate, low), high)
        return cls(low, high, middle)


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


def start_bracket(marks: Marks, polls: Sequence[PollRecord], finished_by: float) -> tuple[float, float] | None:
    """When the job left the queue, by our clock: after the last poll that saw it queued (before any saw it
    further on) was sent, before the first that saw it further on was answered, and never after it finished."""
    sent = marks.values.get(Mark.REQUEST_SENT)
    if sent is None:
        return None
    onward = next((p for p in polls if (p.pending or p.terminal) and not p.queued), None)
    queued = [p for p in polls if p.queued and (onward is None or p.seq < onward.seq)]
    low = max(queued[-1].sent, sent) if queued else sent
    high = finished_by if onward is None or onward.received is None else min(onward.received, finished_by)
    return (low, high) if low <= high else None


def learn_clock_from_completion(clock: ProviderStamps, marks: Marks, polls: Sequence[PollRecord],
                                completed: str | None) -> None:
    """The completion stamp lies inside the client's bracket: one more bound on the server's clock."""
    bracket = client_bracket(marks, polls)
    if completed is not None and bracket is not None:
        clock.observe_completion(completed, wall_of(bracket[0]), wall_of(bracket[1]))


def _comparable(clock: ProviderStamps, *raws: str | None) -> bool:
    """Stamps can be subtracted when all are present and either share a form or the zone is known."""
    if any(raw is None for raw in raws):
        return False
    return len({is_zoned(raw or "") for raw in raws}) == 1 or clock.zone_known


def _learn_zone(clock: ProviderStamps, completed: str | None, low: float, high: float) -> None:
    if completed is None or is_zoned(completed) or clock.zone_known:
        return
    stamp = parse_timestamp(completed)
    if stamp is not None and clock.offsets[clock.conventions[0]].known:
        clock.learn_zone(stamp.timestamp(), wall_of(low), wall_of(high))


def _narrow(low: float, high: float, views: Sequence[tuple[float, float, str]]) -> tuple[float, float, list[str]]:
    """Intersect a window with every view that does not contradict it (a contradicting one is dropped:
    the server's clock stepped, or a stamp is wrong)."""
    names = []
    for view_low, view_high, name in views:
        if view_low <= high and view_high >= low:
            low, high = max(low, view_low), min(high, view_high)
            names.append(name)
    return low, high, names


def _stamp_views(clock: ProviderStamps, convention: Convention, name: str, raw: str | None,
                 created: str | None, sent: float, received: float) -> list[tuple[float, float, str]]:
    """Where the event stamped `raw` (field `name`) lies on our monotonic clock, under one convention:
    placed by its span from `created_at` (stamped while the submit was in flight), and by the clock offset."""
    stamp = clock.bounds(name, raw, convention) if raw is not None else None
    if stamp is None:
        return []
    views = []
    origin = clock.bounds("created", created, convention) if created is not None else None
    if origin is not None and _comparable(clock, created, raw):
        views.append((sent + stamp[0] - origin[1], received + stamp[1] - origin[0], "server-span"))
    offset = clock.offsets[convention]
    if offset.known and (is_zoned(raw or "") or clock.zone_known or not _zoned_anywhere(clock, created)):
        views.append((mono_of(stamp[0] - offset.high), mono_of(stamp[1] - offset.low), "server-clock"))
    return views


def _zoned_anywhere(clock: ProviderStamps, created: str | None) -> bool:
    """Whether the clock offset was learned from zoned stamps (a zone-less one then needs the zone)."""
    return created is not None and is_zoned(created)


def event_window(clock: ProviderStamps, low: float, high: float, source: str, name: str, server: ServerTimes,
                 sent: float, received: float) -> Window:
    """Our client window [low, high] for an event, narrowed by its stamp under each convention still
    possible; the union of those, so an unknown convention leaves the window covering both."""
    raw = getattr(server, name)
    lows, highs, names = [], [], [source]
    for convention in clock.conventions:
        views = _stamp_views(clock, convention, name, raw, server.created, sent, received)
        one_low, one_high, used = _narrow(low, high, views)
        lows.append(one_low)
        highs.append(one_high)
        names += [n for n in used if n not in names]
    window_low, window_high = min(lows), max(highs)
    return Window(window_low, window_high, (window_low + window_high) / 2, "+".join(names))


def completion_window(marks: Marks, polls: Sequence[PollRecord], server: ServerTimes,
                      clock: ProviderStamps | None = None) -> Window | None:
    """The monotonic window in which the job finished, narrowed by every view that holds.

    Client view: `client_bracket`. Server views, each widened by what the run has learned its stamps
    are worth (resolution, convention): the span `completed − created` placed by the submit exchange
    (the server stamped `created` while our submit was in flight), and `completed` placed by the run's
    learned clock offset. The estimate is the window's middle; for a webhook it is the callback's
    arrival, which follows the completion by a delivery time no view can bound better.
    """
    clock = clock if clock is not None else _clock_of(server)
    sent = marks.values.get(Mark.REQUEST_SENT)
    bracket = client_bracket(marks, polls)
    if sent is None or bracket is None:
        return None
    received = marks.values.get(Mark.RESPONSE_HEADERS, sent)
    _learn_zone(clock, server.completed, bracket[0], bracket[1])
    window = event_window(clock, *bracket, "completed", server, sent, received)
    if Mark.WEBHOOK_RECEIVED in marks.values:
        return Window(window.low, window.high, window.high, window.source)
    return window


def _clock_of(server: ServerTimes) -> ProviderStamps:
    """What a single job's stamps say of themselves, for callers without a run's `ProviderStamps`."""
    clock = ProviderStamps()
    read_server_times(clock, server.created, server.started, server.completed)
    return clock


def _server_e2e(clock: ProviderStamps, server: ServerTimes, done: Window | None, sent: float | None,
                received: float | None) -> Figure | None:
    """completed − created as the server's clock runs, each stamp placed by the run's zone and widened by
    its resolution under every convention still possible; narrowed by our own view of both events."""
    if not _comparable(clock, server.created, server.completed) or server.created is None \
            or server.completed is None:
        return None
    lows, highs = [], []
    for convention in clock.conventions:
        created = clock.bounds("created", server.created, convention)
        completed = clock.bounds("completed", server.completed, convention)
        if created is None or completed is None:
            return None
        lows.append(completed[0] - created[1])
        highs.append(completed[1] - created[0])
    low, high = min(lows) * 1000.0, max(highs) * 1000.0
    if done is not None and sent is not None and received is not None:
        ours_low, ours_high = (done.low - received) * 1000.0, (done.high - sent) * 1000.0
        if ours_low > high or ours_high < low:
            return None  # the stamps contradict what we saw: the server's clock stepped, or a stamp is wrong
        low, high = max(low, ours_low), min(high, ours_high)
    return Figure.of(low, high)


def _phases(clock: ProviderStamps, marks: Marks, polls: Sequence[PollRecord], server: ServerTimes,
            done: Window | None) -> tuple[Figure | None, Figure | None]:
    """Queue (created → leaving the queue) and processing (→ completion), each an interval."""
    sent, received = marks.values.get(Mark.REQUEST_SENT), marks.values.get(Mark.RESPONSE_HEADERS)
    if done is None or sent is None or not polls:
        return None, None
    received = sent if received is None else received
    bracket = start_bracket(marks, polls, done.high)
    if bracket is None:
        return None, None
    start = event_window(clock, *bracket, "poll-bracket", "started", server, sent, received)
    queue = Figure.of((start.low - received) * 1000.0, (start.high - sent) * 1000.0)
    processing = Figure.of((done.low - start.high) * 1000.0, (done.high - start.low) * 1000.0)
    return queue, processing


def _columns(prefix: str, figure: Figure | None) -> dict[str, float | None]:
    if figure is None:
        return {f"{prefix}_ms": None, f"{prefix}_lo_ms": None, f"{prefix}_hi_ms": None}
    return {f"{prefix}_ms": figure.estimate, f"{prefix}_lo_ms": figure.low, f"{prefix}_hi_ms": figure.high}


def derive(marks: Marks, polls: Sequence[PollRecord], server: ServerTimes, finished: float,
           clock: ProviderStamps | None = None, *, start_observable: bool = True) -> dict[str, Any]:
    """The derived latency columns of `jobs` (see `harness.results.schema`): every figure an interval
    [`*_lo_ms`, `*_hi_ms`] that holds the truth and an estimate inside it, or NULL when nothing bounds it.
    `start_observable`: the provider shows a state between queued and finished, so polls see the start."""
    clock = clock if clock is not None else _clock_of(server)
    sent = marks.values.get(Mark.REQUEST_SENT)
    received = marks.values.get(Mark.RESPONSE_HEADERS, sent)
    e2e_client = marks.since(Mark.REQUEST_SENT, Mark.TERMINAL)
    # Sync and stream answers are observed directly: their window is a point.
    e2e = None if e2e_client is None else Figure(e2e_client, e2e_client, e2e_client)
    source, window = "direct", None
    if polls or Mark.WEBHOOK_RECEIVED in marks.values:
        window = completion_window(marks, polls, server, clock)
    if window is not None and sent is not None:
        e2e = Figure((window.low - sent) * 1000.0, (window.high - sent) * 1000.0, (window.estimate - sent) * 1000.0)
        source = window.source
    queue, processing = _phases(clock, marks, polls, server, window) if start_observable else (None, None)
    e2e_columns = _columns("e2e", e2e)
    return {
        "submit_ms": marks.since(Mark.REQUEST_SENT, Mark.RESPONSE_HEADERS),
        **_columns("queue", queue),
        **_columns("processing", processing),
        "e2e_client_ms": e2e_client,
        **e2e_columns,
        "e2e_bracket_ms": None if e2e is None else e2e.high - e2e.low,
        "e2e_source": source if e2e is not None else None,
        **_columns("e2e_server", _server_e2e(clock, server, window, sent, received)),
        "stamp_convention": clock.convention,
        "download_ms": marks.since(Mark.MEDIA_REQUEST_SENT, Mark.MEDIA_LAST_BYTE),
        "ttfa_ms": marks.since(Mark.REQUEST_SENT, Mark.FIRST_AUDIO),
        "total_ms": (finished - marks.start) * 1000.0,
    }
