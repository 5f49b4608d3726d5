"""A job's latency figures from its evidence and what the run learned of its provider's clock: every figure
an interval [low, high] that must hold the truth, and the estimate inside it.

A pure function of its inputs: the same `JobEvidence` and the same `ProviderStamps` give the same figures, so
a figure never depends on the order jobs finished in or on what the run had learned when one did. All
instants are on the run's clock (`harness.measurement.evidence`); the server's stamps are placed on it by the
clock offset, zone and convention of `ProviderStamps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.measurement.evidence import JobEvidence, Mark, ServerStamps, StatusAnswer
from harness.measurement.server_clock import Convention, ProviderStamps, is_zoned


@dataclass(frozen=True, slots=True)
class Window:
    """When an event happened, on the run's clock: bounds that must hold, and the best single guess."""

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


def client_bracket(job: JobEvidence) -> tuple[float, float, str] | None:
    """What our own clock says of when a job finished: after the last poll that saw it unfinished was sent
    (or the submit, if none did), before the answer or callback that saw it finished arrived. Bounds, not
    midpoints: a poll's answer describes the job at some instant between its send and its receipt."""
    sent = job.marks.get(Mark.REQUEST_SENT)
    if sent is None:
        return None
    callback = job.marks.get(Mark.WEBHOOK_RECEIVED)
    terminal = next((p for p in job.polls if p.terminal), None)
    pending = [p for p in job.polls if p.pending and (terminal is None or p.seq < terminal.seq)]
    low = max(pending[-1].sent, sent) if pending else sent
    if callback is not None:
        return low, callback, "webhook"
    if terminal is not None and terminal.received is not None:
        return low, terminal.received, "poll-bracket"
    return None


def start_bracket(sent: float, polls: Sequence[StatusAnswer], finished_by: float) -> tuple[float, float] | None:
    """When the job left the queue, by our clock: after the last poll that saw it queued (before any saw it
    further on) was sent, before the first that saw it further on was answered, and never after it finished."""
    onward = next((p for p in polls if (p.pending or p.terminal) and not p.queued), None)
    queued = [p for p in polls if p.queued and (onward is None or p.seq < onward.seq)]
    low = max(queued[-1].sent, sent) if queued else sent
    high = finished_by if onward is None or onward.received is None else min(onward.received, finished_by)
    return (low, high) if low <= high else None


def comparable(clock: ProviderStamps, *raws: str | None) -> bool:
    """Stamps can be subtracted when all are present and either share a form or the zone is known."""
    if any(raw is None for raw in raws):
        return False
    return len({is_zoned(raw or "") for raw in raws}) == 1 or clock.zone_known


def _narrow(low: float, high: float, views: Sequence[tuple[float, float, str]]) -> tuple[float, float, list[str]]:
    """Intersect a window with every view that does not contradict it (a contradicting one is dropped:
    the server's clock stepped, or a stamp is wrong)."""
    names = []
    for view_low, view_high, name in views:
        if view_low <= high and view_high >= low:
            low, high = max(low, view_low), min(high, view_high)
            names.append(name)
    return low, high, names


def _stamp_views(
    clock: ProviderStamps,
    *,
    convention: Convention,
    name: str,
    raw: str | None,
    created: str | None,
    sent: float,
    received: float,
    epoch: float,
) -> list[tuple[float, float, str]]:
    """Where the event stamped `raw` (field `name`) lies on the run's clock, under one convention: placed by
    its span from `created_at` (stamped while the submit was in flight), and by the clock offset."""
    stamp = clock.bounds(name, raw, convention) if raw is not None else None
    if stamp is None:
        return []
    views = []
    origin = clock.bounds("created", created, convention) if created is not None else None
    if origin is not None and comparable(clock, created, raw):
        views.append((sent + stamp[0] - origin[1], received + stamp[1] - origin[0], "server-span"))
    offset = clock.offsets[convention]
    # A zone-less stamp is placed by an offset learned from zoned ones only once the zone is known.
    zoned_origin = created is not None and is_zoned(created)
    if offset.known and (is_zoned(raw or "") or clock.zone_known or not zoned_origin):
        views.append((stamp[0] - offset.high - epoch, stamp[1] - offset.low - epoch, "server-clock"))
    return views


def event_window(
    clock: ProviderStamps,
    low: float,
    high: float,
    *,
    source: str,
    name: str,
    stamps: ServerStamps,
    sent: float,
    received: float,
    epoch: float,
) -> Window:
    """Our client window [low, high] for an event, narrowed by its stamp under each convention still
    possible; the union of those, so an unknown convention leaves the window covering both."""
    raw = getattr(stamps, name)
    lows, highs, names = [], [], [source]
    for convention in clock.conventions:
        views = _stamp_views(
            clock,
            convention=convention,
            name=name,
            raw=raw,
            created=stamps.created,
            sent=sent,
            received=received,
            epoch=epoch,
        )
        one_low, one_high, used = _narrow(low, high, views)
        lows.append(one_low)
        highs.append(one_high)
        names += [n for n in used if n not in names]
    window_low, window_high = min(lows), max(highs)
    return Window(window_low, window_high, (window_low + window_high) / 2, "+".join(names))


def completion_window(job: JobEvidence, clock: ProviderStamps) -> Window | None:
    """The window in which the job finished, narrowed by every view that holds.

    Client view: `client_bracket`. Server views, each widened by what the run has learned its stamps
    are worth (resolution, convention): the span `completed − created` placed by the submit exchange
    (the server stamped `created` while our submit was in flight), and `completed` placed by the run's
    learned clock offset. The estimate is the window's middle; for a webhook it is the callback's
    arrival, which follows the completion by a delivery time no view can bound better.
    """
    sent = job.marks.get(Mark.REQUEST_SENT)
    bracket = client_bracket(job)
    if sent is None or bracket is None:
        return None
    received = job.marks.get(Mark.RESPONSE_HEADERS, sent)
    low, high, source = bracket
    window = event_window(
        clock,
        low,
        high,
        source=source,
        name="completed",
        stamps=job.stamps,
        sent=sent,
        received=received,
        epoch=job.epoch,
    )
    if Mark.WEBHOOK_RECEIVED in job.marks:
        return Window(window.low, window.high, window.high, window.source)
    return window


def _server_e2e(
    clock: ProviderStamps, stamps: ServerStamps, done: Window | None, sent: float | None, received: float | None
) -> Figure | None:
    """completed − created as the server's clock runs, each stamp placed by the run's zone and widened by
    its resolution under every convention still possible; narrowed by our own view of both events."""
    if stamps.created is None or stamps.completed is None or not comparable(clock, stamps.created, stamps.completed):
        return None
    lows, highs = [], []
    for convention in clock.conventions:
        created = clock.bounds("created", stamps.created, convention)
        completed = clock.bounds("completed", stamps.completed, convention)
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


def _phases(clock: ProviderStamps, job: JobEvidence, done: Window | None) -> tuple[Figure | None, Figure | None]:
    """Queue (created → leaving the queue) and processing (→ completion), each an interval."""
    sent = job.marks.get(Mark.REQUEST_SENT)
    if done is None or sent is None or not job.polls:
        return None, None
    received = job.marks.get(Mark.RESPONSE_HEADERS, sent)
    bracket = start_bracket(sent, job.polls, done.high)
    if bracket is None:
        return None, None
    low, high = bracket
    start = event_window(
        clock,
        low,
        high,
        source="poll-bracket",
        name="started",
        stamps=job.stamps,
        sent=sent,
        received=received,
        epoch=job.epoch,
    )
    queue = Figure.of((start.low - received) * 1000.0, (start.high - sent) * 1000.0)
    processing = Figure.of((done.low - start.high) * 1000.0, (done.high - start.low) * 1000.0)
    return queue, processing


def columns(prefix: str, figure: Figure | None) -> dict[str, float | None]:
    if figure is None:
        return {f"{prefix}_ms": None, f"{prefix}_lo_ms": None, f"{prefix}_hi_ms": None}
    return {f"{prefix}_ms": figure.estimate, f"{prefix}_lo_ms": figure.low, f"{prefix}_hi_ms": figure.high}


def job_figures(job: JobEvidence, clock: ProviderStamps) -> dict[str, Any]:
    """The latency columns of `jobs` (see `harness.results.schema`): every figure an interval
    [`*_lo_ms`, `*_hi_ms`] that holds the truth and an estimate inside it, or NULL when nothing bounds it."""
    sent = job.marks.get(Mark.REQUEST_SENT)
    received = job.marks.get(Mark.RESPONSE_HEADERS, sent)
    e2e_client = job.since(Mark.REQUEST_SENT, Mark.TERMINAL)
    # Sync and stream answers are observed directly: their window is a point.
    e2e = None if e2e_client is None else Figure(e2e_client, e2e_client, e2e_client)
    source, window = "direct", None
    if job.polls or Mark.WEBHOOK_RECEIVED in job.marks:
        window = completion_window(job, clock)
    if window is not None and sent is not None:
        e2e = Figure((window.low - sent) * 1000.0, (window.high - sent) * 1000.0, (window.estimate - sent) * 1000.0)
        source = window.source
    queue, processing = _phases(clock, job, window) if job.start_observable else (None, None)
    finished = job.marks.get(Mark.FINISHED)
    return {
        "submit_ms": job.since(Mark.REQUEST_SENT, Mark.RESPONSE_HEADERS),
        **columns("queue", queue),
        **columns("processing", processing),
        "e2e_client_ms": e2e_client,
        **columns("e2e", e2e),
        "e2e_bracket_ms": None if e2e is None else e2e.high - e2e.low,
        "e2e_source": source if e2e is not None else None,
        **columns("e2e_server", _server_e2e(clock, job.stamps, window, sent, received)),
        "stamp_convention": clock.convention,
        "download_ms": job.since(Mark.MEDIA_REQUEST_SENT, Mark.MEDIA_LAST_BYTE),
        "ttfa_ms": job.since(Mark.REQUEST_SENT, Mark.FIRST_AUDIO),
        "total_ms": None if finished is None else (finished - job.start) * 1000.0,
    }
