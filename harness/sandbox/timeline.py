"""A job's life as a function of time: drawn once at submit, read at every poll.

Nothing sleeps to move a job along. At submit the sandbox draws when the job leaves the queue and when it
would finish; the state at any clock reading follows from those times, two facts learnt later (when the
audio was really ready, and whether producing it failed), and the job's faults. Because states are a
function of time, the true state-change times the runner's accuracy check needs are exact, and a manual
clock walks a job through its states deterministically.

COMPLETED is never reported before the audio exists: a job whose drawn finish has passed but whose audio
is still being synthesised stays PROCESSING, and completes at the moment the audio is ready.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """The generic job states; each emulation names them in its provider's vocabulary."""

    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    ERROR = "error"

    @property
    def terminal(self) -> bool:
        return self in (Phase.COMPLETED, Phase.FAILED, Phase.ERROR)


NEVER = math.inf


@dataclass(frozen=True, slots=True)
class Timeline:
    """The drawn plan of one job (clock readings)."""

    created: float
    started: float  # PROCESSING begins
    finished: float  # the drawn end; NEVER for a job that never finishes
    outcome: Phase  # the drawn terminal phase
    regress: tuple[float, float] | None = None  # [from, to): QUEUED again (the status-backwards fault)

    @classmethod
    def draw(
        cls,
        created: float,
        queue_s: float,
        processing_s: float,
        outcome: Phase = Phase.COMPLETED,
        *,
        never_finish: bool = False,
        backwards: bool = False,
    ) -> Timeline:
        started = created + queue_s
        finished = NEVER if never_finish else started + processing_s
        regress = None
        if backwards:
            # A third of the way into processing the job shows QUEUED again for a sixth of it.
            span = processing_s if math.isfinite(finished) else max(processing_s, 1e-3)
            regress = (started + span / 3, started + span / 2)
        return cls(created, started, finished, outcome, regress)


class WorkerPool:
    """A model's fixed pool of workers, first come first served: a job waits in QUEUED until a worker is
    free, so latency grows with the jobs in flight once they outnumber the workers — the knee a load sweep
    looks for. Jobs are placed in submit order; a worker is busy for the job's drawn processing time."""

    __slots__ = ("free_at",)

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.free_at = [-math.inf] * workers  # a heap of the readings at which each worker is free

    def start(self, ready: float, processing_s: float) -> float:
        """The reading at which a job that could start at `ready` gets a worker (taken from then on)."""
        start = max(ready, heapq.heappop(self.free_at))
        heapq.heappush(self.free_at, start + processing_s)
        return start


@dataclass(frozen=True, slots=True)
class Outcome:
    """What production learnt: audio ready at a reading, or a failure at a reading."""

    ready_at: float | None = None
    failed_at: float | None = None
    failure: Phase | None = None
    message: str | None = None


def terminal_at(timeline: Timeline, outcome: Outcome) -> float:
    """The reading at which the job ends (NEVER while unknown or never)."""
    if outcome.failure is not None and outcome.failed_at is not None:
        return max(timeline.started, outcome.failed_at)
    if not math.isfinite(timeline.finished):
        return NEVER
    if timeline.outcome is Phase.COMPLETED:
        return NEVER if outcome.ready_at is None else max(timeline.finished, outcome.ready_at)
    return timeline.finished


def final_phase(timeline: Timeline, outcome: Outcome) -> Phase:
    return outcome.failure if outcome.failure is not None else timeline.outcome


def phase_at(timeline: Timeline, outcome: Outcome, reading: float) -> Phase:
    if reading >= terminal_at(timeline, outcome):
        return final_phase(timeline, outcome)
    if reading < timeline.started:
        return Phase.QUEUED
    if timeline.regress is not None and timeline.regress[0] <= reading < timeline.regress[1]:
        return Phase.QUEUED
    return Phase.PROCESSING


def transitions(timeline: Timeline, outcome: Outcome, until: float) -> list[tuple[Phase, float]]:
    """Every true state change up to `until`, oldest first (the first is QUEUED at creation)."""
    end = terminal_at(timeline, outcome)
    changes: list[tuple[Phase, float]] = [(Phase.QUEUED, timeline.created)]
    candidates = [(Phase.PROCESSING, timeline.started)]
    if timeline.regress is not None:
        candidates += [(Phase.QUEUED, timeline.regress[0]), (Phase.PROCESSING, timeline.regress[1])]
    for phase, at in candidates:
        if at < end and at <= until and at > timeline.created:
            changes.append((phase, at))
    if end <= until:
        changes.append((final_phase(timeline, outcome), end))
    return changes
