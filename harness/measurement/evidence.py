"""What a run observed, as plain values: the evidence every latency figure is derived from.

The runner records; it never decides what a figure is. Each job leaves its marks (when a request went out,
when its answer's headers came back, when the first audio arrived…), every status answer it read (when that
poll was sent and answered, and whether it saw the job queued, running or finished), the server's stamps as
the provider wrote them, and for a stream every chunk of audio with the interval it reached us in. Those
are stored as rows (`harness.results.schema`: `marks`, `polls`, `chunks`, and the evidence columns of
`jobs`), and `harness.measurement.derivation` turns them into figures, after the run or again on demand.

Every instant here is in seconds on *the run's clock*: a monotonic clock whose zero is the epoch second
`epoch` (an instant t happened at wall time epoch + t; one wall/monotonic pair places it, so a wall-clock step
during a run bends nothing). Its readings stay small, so instants of one job subtract exactly; jobs of one run
share it; the server's stamps are placed on it by what the run learns of the server's clock
(`harness.measurement.server_clock`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Mark(StrEnum):
    """A moment of a job, recorded once (the first occurrence wins; LAST_PENDING is overwritten)."""

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
    FINISHED = "finished"  # the runner was done with the job (its total time)


class Seen(StrEnum):
    """What a status answer said of the job."""

    QUEUED = "queued"  # not finished, and not out of the queue (an initial state of the lifecycle)
    RUNNING = "running"  # not finished, out of the queue
    FINISHED = "finished"  # a terminal state


PENDING = frozenset({Seen.QUEUED, Seen.RUNNING})  # what an answer that says the job is not finished saw


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """One status request: sent at `sent`, its answer's headers at `received` (None: no answer), and what the
    answer said of the job (None: no readable answer)."""

    seq: int
    sent: float
    received: float | None = None
    seen: Seen | None = None

    @property
    def pending(self) -> bool:
        return self.seen in PENDING

    @property
    def queued(self) -> bool:
        return self.seen is Seen.QUEUED

    @property
    def terminal(self) -> bool:
        return self.seen is Seen.FINISHED


@dataclass(frozen=True, slots=True)
class ServerStamps:
    """The server's stamps of one job exactly as the provider wrote them (what they are worth is the run's
    `ProviderStamps`: resolution, convention, zone, clock offset)."""

    created: str | None = None
    started: str | None = None
    completed: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Chunk:
    """One chunk of streamed audio: it reached us after `earliest` and by `latest`, and decoded (the facts of
    the bytes, measured as they arrived) to `audio_s` seconds whose speech begins `onset_s` into it (None: no
    speech in it). `audio_s` None: the chunk did not decode on its own. `header`: the container header or tag its
    bytes hold and where ("wav@0", `harness.core.audio.headers_inside`), None: none (the seams' evidence)."""

    earliest: float
    latest: float
    size: int
    audio_s: float | None = None
    onset_s: float | None = None
    header: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobEvidence:
    """Everything one job observed that a figure may be derived from.

    `resumed`: picked up after a crash, so its brackets span the crash (its submit teaches nothing of the
    server's clock). `start_observable`: the provider shows a state between queued and finished, so polls can
    see the job leave its queue. `declared_convention`: how the provider's documents say its stamps round
    (`truncate`, `round`), which ends the question before the evidence is asked."""

    job_key: str
    provider: str
    start: float
    epoch: float  # the wall time (epoch seconds) of this clock's zero: every job of a run shares it
    marks: Mapping[Mark, float] = field(default_factory=dict)
    polls: tuple[StatusAnswer, ...] = ()
    stamps: ServerStamps = field(default_factory=ServerStamps)
    resumed: bool = False
    start_observable: bool = True
    declared_convention: str | None = None
    chunks: tuple[Chunk, ...] = ()

    def since(self, a: Mark, b: Mark) -> float | None:
        """b − a in ms, when both are present."""
        first, second = self.marks.get(a), self.marks.get(b)
        return None if first is None or second is None else (second - first) * 1000.0

    @property
    def submit_order(self) -> tuple[float, str]:
        """Where this job stands among the run's: by when it was sent, then by key (a total order that does
        not depend on when jobs finished or were stored)."""
        return self.marks.get(Mark.REQUEST_SENT, self.start), self.job_key
