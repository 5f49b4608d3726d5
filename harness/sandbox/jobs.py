"""Jobs and the bounded store that keeps them.

A `EmulatedJob` holds its drawn `Timeline`, what production has learnt (`Outcome`), and everything needed to
render it later. Its state is never stored: it is read off the timeline at the clock reading asked for.
The store is bounded: past its capacity it evicts the oldest *finished* jobs; when every job is still
running it refuses new ones (the engine answers 503 "queue full" with Retry-After).

`EmulatedJob.truth()` is the record the runner's accuracy check compares its measurements with: every true
state change as a clock reading and as the wall time the server reports.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from harness.core.spec import Cost
from harness.core.timestamps import format_iso
from harness.sandbox.clock import Clock
from harness.sandbox.emulation import JobPlan, StateNames, WebhookTarget
from harness.sandbox.faults import Fault
from harness.sandbox.timeline import (
    Outcome,
    Phase,
    Timeline,
    final_phase,
    phase_at,
    terminal_at,
    transitions,
)

if TYPE_CHECKING:
    from harness.sandbox.job_audio import Recipe


@dataclass(slots=True, eq=False, kw_only=True)
class EmulatedJob:
    id: str
    sequence: int
    provider: str
    key: str | None  # None: submitted without a key (where the documents allow it)
    client: str  # the submitter's address
    payer: str | None  # the wallet charged (the key, or the address's anonymous wallet)
    endpoint_key: str
    plan: JobPlan
    params: BaseModel | None
    cost: Cost | None
    timeline: Timeline
    faults: frozenset[Fault]
    origin: str  # the client's origin at submit: every URL rendered for this job is built on it
    states: StateNames
    webhook: WebhookTarget | None = None
    outcome: Outcome = field(default_factory=Outcome)
    recipe: Recipe | None = None  # the resolved speech, once references are fetched
    ready: threading.Event = field(default_factory=threading.Event)  # set when production has finished
    webhooks_done: threading.Event = field(default_factory=threading.Event)  # set when no callback is left
    called_back: bool = False  # every callback delivered (or given up): a restored job does not call again

    def phase(self, now: float) -> Phase:
        return phase_at(self.timeline, self.outcome, now)

    def ends_at(self) -> float:
        return terminal_at(self.timeline, self.outcome)

    @property
    def final(self) -> Phase:
        return final_phase(self.timeline, self.outcome)

    def truth(self, clock: Clock) -> dict[str, Any]:
        """The true life of this job so far, for accuracy checks (JSON-ready)."""
        now = clock.now()
        changes = transitions(self.timeline, self.outcome, now)
        return {
            "id": self.id,
            "provider": self.provider,
            "model_id": self.plan.model_id,
            "endpoint": self.endpoint_key,
            "state": self.states.word(self.phase(now)),
            "transitions": [
                {"state": self.states.word(phase), "phase": phase.value, "at": at, "wall": format_iso(clock.wall(at))}
                for phase, at in changes
            ],
            "planned": {
                "started": self.timeline.started,
                "finished": _finite(self.timeline.finished),
                "outcome": self.states.word(self.timeline.outcome),
            },
            "audio_ready_at": self.outcome.ready_at,
            "failure": self.outcome.message,
            "faults": sorted(f.value for f in self.faults),
            "cost": None if self.cost is None else {"amount": str(self.cost.amount), "unit": self.cost.unit.value},
            "characters": self.plan.speech.characters,
            "lines": [text for _, text in self.plan.speech.lines],  # what it says (a resumed run finds its orphans)
            "now": now,
        }


def _finite(value: float) -> float | None:
    return value if value != float("inf") else None


class StoreFull(Exception):
    """Every stored job is still running and the store is at capacity."""


class JobStore:
    """Jobs by id, oldest first. Thread-safe."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"job store capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self._jobs: OrderedDict[str, EmulatedJob] = OrderedDict()
        self._lock = threading.Lock()
        self._sequence = 0
        self.evicted = 0

    def next_sequence(self) -> int:
        with self._lock:
            self._sequence += 1
            return self._sequence

    def continue_after(self, sequence: int) -> None:
        """Number new jobs after `sequence` (a restored store keeps its old jobs' numbers and draws)."""
        with self._lock:
            self._sequence = max(self._sequence, sequence)

    def add(self, job: EmulatedJob, now: float) -> None:
        with self._lock:
            if len(self._jobs) >= self.capacity:
                self._evict_one(now)
            self._jobs[job.id] = job

    def _evict_one(self, now: float) -> None:
        for job_id, job in self._jobs.items():
            if job.phase(now).terminal:
                del self._jobs[job_id]
                self.evicted += 1
                return
        raise StoreFull(f"all {self.capacity} stored jobs are unfinished")

    def get(self, job_id: str) -> EmulatedJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def active(self, provider: str, key: str | None, now: float, client: str | None = None) -> int:
        """Unfinished jobs of a provider: of one key, or of one key-less client, or all."""

        def mine(job: EmulatedJob) -> bool:
            if key is not None:
                return job.key == key
            if client is not None:
                return job.key is None and job.client == client
            return True

        with self._lock:
            return sum(
                1 for j in self._jobs.values() if j.provider == provider and mine(j) and not j.phase(now).terminal
            )

    def __iter__(self) -> Iterator[EmulatedJob]:
        with self._lock:
            return iter(list(self._jobs.values()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)
