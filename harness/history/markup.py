"""Markup over time: the offerings whose newest run honoured a smaller share of its markup clips than the run before.

Each run's per-offering share is `harness.results.markup_figures` over its rows (what its summary shows): clips whose
every break was heard within tolerance and whose tags were never spoken (docs/markup.md). A clip's verdict is what
its audio did, not noise, so like a dearer bill or worse timing marks it needs no series of runs: the nightly gate
fails when the newest run's share is below that of the run before it (of that offering, with markup judged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.history.newest import newest_beside_before
from harness.results import MarkupFigures

RULE = ("An offering's markup is worse when the newest run honours a smaller share of its markup clips (every break "
        "within max(100 ms, 25%) of the asked, no tag spoken; docs/markup.md) than the run before it did "
        "(harness.history.markup).")


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkupFell:
    """An offering whose newest run's markup honoured share is below its run before's."""

    provider: str
    model: str
    run_id: str
    now: tuple[int, int]  # (honoured, judged) in the newest run
    before: tuple[int, int]
    before_run: str

    def describe(self) -> str:
        return (f"{self.provider}/{self.model}: markup honoured {self.now[0]}/{self.now[1]} in run {self.run_id}, "
                f"{self.before[0]}/{self.before[1]} in run {self.before_run}")


def newest_markup_fell(runs: Sequence[tuple[str, tuple[MarkupFigures, ...]]]) -> tuple[MarkupFell, ...]:
    """Each offering whose share the newest run (the last of `runs`: run id, its offerings' markup figures) lowered."""
    found = []
    for newest, figure, before in newest_beside_before(runs):
        if before is not None and figure.share < before[1].share:
            found.append(
                MarkupFell(
                    provider=figure.provider,
                    model=figure.model,
                    run_id=newest,
                    now=(figure.honoured, figure.judged),
                    before=(before[1].honoured, before[1].judged),
                    before_run=before[0],
                )
            )
    return tuple(found)
