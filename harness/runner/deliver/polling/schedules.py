"""What a schedule is asked, and the simplest answer: a fixed interval (the documents' way). The adaptive
schedule is `harness.runner.deliver.polling.adaptive`; one per model of a run is kept by `ScheduleBook`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class PollContext:
    """What the scheduler knows about one job when it chooses the next poll (seconds since submit)."""

    elapsed: float  # now − request sent
    # Status requests already sent, not counting those that found the job still queued: they only look for
    # its start, so they neither spend its budget nor end its exploration.
    polls: int
    last_pending: float | None  # elapsed time of the last poll that saw the job unfinished
    chars: int
    # Where the server's whole seconds begin, as elapsed time modulo 1 s: known when the provider stamps
    # completion at whole seconds and the run has pinned its clock (see `second_origins`); None otherwise.
    second_origin: float | None = None
    stamp_resolution: float | None = None  # of the completion stamp (None: no stamp; 1.0: whole seconds)
    # While truncation and rounding are both possible and place the server's seconds apart (a millisecond
    # `created_at` beside whole-second completions), `second_origin` is the truncating clock's and this the
    # rounding clock's (half a second away); None once one convention is known, or when they agree.
    round_origin: float | None = None
    origin_doubt: float = 0.0  # seconds either side of the origins the clock offset leaves open
    round_trip: float = 0.0  # of the last status request (its answer must come back before a deciding point)
    queued: bool = False  # the last answer showed the job still queued: it cannot finish before it starts
    # When the job left the queue (elapsed, the middle of the polls that bracket it), for a provider that
    # shows its queue: its duration is predicted from there, as the model learned it (see `observe`).
    started: float | None = None


class Schedule(Protocol):
    label: str

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        """Seconds to wait before the next poll, and why (stored with the poll)."""
        ...

    def observe(self, chars: int, total_s: float, polls: int | None = None, processing_s: float | None = None) -> None:
        """A finished job's duration (submit → completion), the status polls its budget counted (not those
        that found it queued), and the part of it after the job left the queue (None when the provider does
        not show its queue)."""
        ...


@dataclass(slots=True)
class FixedSchedule:
    """The documents' way: poll every `interval` seconds."""

    interval: float
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or f"fixed:{self.interval:g}"

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        return self.interval, "fixed"

    def observe(self, chars: int, total_s: float, polls: int | None = None, processing_s: float | None = None) -> None:
        return None
