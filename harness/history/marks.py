"""A provider's timing marks over time: the offerings whose newest run's marks are worse than the run before's.

Each run's per-offering marks are `harness.measurement.offering_marks` over its rows (what its summary shows): the
invariants' findings by kind (`harness.core.timing_marks`: times going back, ends past the audio, a sample-rate
mismatch, duplicate timestamps, a misspelling, overlap or restart, marks advertised and none sent, bad input, and a
median onset error past the limit of the aligner that heard the words, `harness.scoring.ONSET_LIMIT_MS` for the
default one). A finding is deterministic, not noise, so like a
dearer bill or a language fallback it needs no series of runs: the nightly gate fails when the newest run finds a
kind for an offering that the run before it (of that offering, with marks) did not, or that no run before it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.history.newest import newest_beside_before
from harness.measurement import OfferingMarks, worse_kinds
from harness.scoring import ONSET_LIMIT_MS

RULE = ("An offering's marks are worse when the newest run finds a kind of marks finding (docs/marks.md: times going "
        "back, ends past the audio, a wrong rate, duplicate timestamps, a misspelling, overlap or restart, none sent, "
        f"bad input, a median onset error past its aligner's limit, {ONSET_LIMIT_MS:.0f} ms for the default one) the "
        "run before it did not "
        "(harness.history.marks).")


@dataclass(frozen=True, slots=True, kw_only=True)
class MarksWorse:
    """An offering whose newest run's marks have a kind of finding its run before did not."""

    provider: str
    model: str
    kinds: tuple[str, ...]  # the new kinds
    example: str  # one finding of the first new kind, in words
    run_id: str
    before: str | None  # the run compared with (None: no run before it had marks of this offering)

    def describe(self) -> str:
        since = f"than in run {self.before}" if self.before else "(no run before it with its marks)"
        return (f"{self.provider}/{self.model}: timing marks worse in run {self.run_id} {since}: "
                f"{', '.join(self.kinds)} ({self.example})")


def newest_marks_worse(runs: Sequence[tuple[str, tuple[OfferingMarks, ...]]]) -> tuple[MarksWorse, ...]:
    """Each offering the newest run (the last of `runs`: run id, its offerings' marks) finds new kinds of marks
    findings for."""
    found = []
    for newest, figure, before in newest_beside_before(runs):
        new = worse_kinds(before[1] if before else None, figure)
        if new:
            found.append(
                MarksWorse(
                    provider=figure.provider,
                    model=figure.model,
                    kinds=new,
                    example=figure.examples[new[0]],
                    run_id=newest,
                    before=before[0] if before else None,
                )
            )
    return tuple(found)
