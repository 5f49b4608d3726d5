"""A provider's seams over time: the offerings whose newest run's seam findings per minute of streamed audio rose
above the run before's (the one rule, `harness.results.seams_rose`; docs/seams.md).

Each run's per-offering seams are `harness.results.seam_figures` over its rows (what its summary shows). Seam
findings are deterministic, not noise, so like a dearer bill or worse timing marks a rise needs no series of runs:
the nightly gate fails when the newest run's findings per minute rose above those of the run before it that streamed
that offering (or, with none before, when it has findings at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.results import SEAMS_RULE, SeamFigures, seams_rose

RULE = SEAMS_RULE


@dataclass(frozen=True, slots=True)
class SeamsWorse:
    """An offering whose newest run's seam findings per minute rose above its run before's."""

    provider: str
    model: str
    per_minute: float
    findings: dict[str, int]  # the newest run's, by kind
    run_id: str
    before: str | None  # the run compared with (None: no run before it streamed this offering)
    before_per_minute: float | None

    def describe(self) -> str:
        since = (f"from {self.before_per_minute or 0.0:.1f} in run {self.before}" if self.before
                 else "(no run before it streamed it)")
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.findings.items()))
        return (f"{self.provider}/{self.model}: seam findings rose to {self.per_minute:.1f} a minute of streamed audio "
                f"in run {self.run_id} {since} ({kinds})")


def newest_seams_worse(runs: Sequence[tuple[str, tuple[SeamFigures, ...]]]) -> tuple[SeamsWorse, ...]:
    """Each offering whose seams rose in the newest run (the last of `runs`: run id, its offerings' seams)."""
    if not runs:
        return ()
    newest, figures = runs[-1]
    found = []
    for figure in figures:
        before = next(((run_id, one) for run_id, earlier in reversed(runs[:-1]) for one in earlier
                       if (one.provider, one.model) == (figure.provider, figure.model)
                       and one.per_minute is not None), None)
        if figure.per_minute is not None and seams_rose(before[1] if before else None, figure):
            found.append(SeamsWorse(figure.provider, figure.model, figure.per_minute, dict(figure.findings), newest,
                                    before[0] if before else None, before[1].per_minute if before else None))
    return tuple(found)
