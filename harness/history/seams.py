"""A provider's seams over time: the offerings whose newest run's seam findings per minute of streamed audio rose
above the run before's (the one rule, `harness.results.seams_rose`; docs/seams.md), and, apart from them under a
heading of their own, those whose samples are newly heard at another rate than declared
(`harness.results.newly_misrated`).

Each run's per-offering seams are `harness.results.seam_figures` over its rows (what its summary shows). Seam
findings are deterministic, not noise, so like a dearer bill or worse timing marks a rise needs no series of runs:
the nightly gate fails when the newest run's findings per minute rose above those of the run before it that streamed
that offering (or, with none before, when it has findings at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.history.newest import newest_beside_before
from harness.results import SEAMS_RULE, SeamFigures, newly_misrated, seams_rose

RULE = SEAMS_RULE
RATE_RULE = ("An offering's samples are flagged when they are heard at another rate than declared and the run before's "
             "were not (harness.results.newly_misrated; docs/seams.md).")


@dataclass(frozen=True, slots=True, kw_only=True)
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


@dataclass(frozen=True, slots=True, kw_only=True)
class RateWrong:
    """An offering whose newest run's samples are heard at another rate than declared, where its run before's were
    not: a rule of its own, not a seam (rule `rate` in the contract suite too)."""

    provider: str
    model: str
    run_id: str
    rate: str  # the rate heard, in words

    def describe(self) -> str:
        return f"{self.provider}/{self.model}: heard at another rate than declared in run {self.run_id}: {self.rate}"


def newest_seams_worse(runs: Sequence[tuple[str, tuple[SeamFigures, ...]]]) -> tuple[SeamsWorse, ...]:
    """Each offering whose seams rose in the newest run (the last of `runs`: run id, its offerings' seams)."""
    return tuple(
        SeamsWorse(
            provider=figure.provider,
            model=figure.model,
            per_minute=figure.per_minute or 0.0,
            findings=dict(figure.findings),
            run_id=newest,
            before=before[0] if before else None,
            before_per_minute=before[1].per_minute if before else None,
        )
        for newest, figure, before in newest_beside_before(runs)
        if seams_rose(before[1] if before else None, figure)
    )


def newest_rates_wrong(runs: Sequence[tuple[str, tuple[SeamFigures, ...]]]) -> tuple[RateWrong, ...]:
    """Each offering newly heard at another rate than declared in the newest run (the last of `runs`)."""
    return tuple(RateWrong(provider=figure.provider, model=figure.model, run_id=newest, rate=figure.example)
                 for newest, figure, before in newest_beside_before(runs)
                 if newly_misrated(before[1] if before else None, figure))
