"""A provider's cancels over time: the offerings whose newest `--cancel-after` run broke what their documents
promise after a cancel (`harness.core.protocols.cancel`: audio after the acknowledgement where none is promised, or
no acknowledgement) where the run before it that cancelled them did not. A violation is the one rule's verdict on
what came, not noise: like worse timing marks it needs no series of runs (docs/cancel.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.history.newest import newest_beside_before
from harness.results import CancelFigures

RULE = ("An offering's cancels are worse when the newest run's cancels broke what the documents promise (a "
        "violation of harness.core.protocols.cancel) and the run before it that cancelled the offering's had none "
        "(harness.history.cancel).")


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelWorse:
    """An offering whose newest run's cancels have violations its run before's had not."""

    provider: str
    model: str
    violations: int
    cancelled: int
    frames_after_ack: int | None
    run_id: str
    before: str | None  # the run compared with (None: no run before it cancelled this offering)

    def describe(self) -> str:
        since = f"where run {self.before} had none" if self.before else "(no run before it cancelled it)"
        frames = "" if self.frames_after_ack is None else f"; {self.frames_after_ack} audio frames after the ack"
        return (f"{self.provider}/{self.model}: {self.violations} of {self.cancelled} cancels broke what the documents "
                f"promise in run {self.run_id} {since}{frames}")


def newest_cancels_worse(runs: Sequence[tuple[str, tuple[CancelFigures, ...]]]) -> tuple[CancelWorse, ...]:
    """Each offering whose cancels newly broke the documents' promise in the newest run (the last of `runs`)."""
    found = []
    for newest, figure, before in newest_beside_before(runs):
        broken = figure.verdicts.get("violation", 0)
        if broken and not (before and before[1].verdicts.get("violation", 0)):
            found.append(
                CancelWorse(
                    provider=figure.provider,
                    model=figure.model,
                    violations=broken,
                    cancelled=figure.cancelled,
                    frames_after_ack=figure.after_ack_frames,
                    run_id=newest,
                    before=before[0] if before else None,
                )
            )
    return tuple(found)
