"""A check of an answer, declared once: what every face needs to show it, pool it and judge it, without naming it.

lm-evaluation-harness registers a metric once (`@register_metric(metric=..., higher_is_better=..., aggregation=...)`)
and every task and table reads that; pytest declares each hook once in `hookspec.py`. Here a check is a
`CheckDeclaration`: its name and title, the per-clip figures it gives (`CheckField`: label, unit, which way is better,
how it pools over an offering's clips and so which interval it carries), the kinds of finding it raises with the
promise that makes one a violation (`FindingKind`), its thresholds, the stored columns its per-clip value is a pure
function of (`reads`: so every figure recomputes from the store), and how a change between two runs is judged
(`ChangeRule`). The check's module (`harness/checks/<name>.py`) holds the declaration beside the function computing
its per-clip value; the summary, `--format json|markdown`, the report, `compare` and `history`'s gate iterate the
registry (`harness.checks`) and name no check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Better(StrEnum):
    """Which way a figure is better; NEITHER: a change either way is what a user must hear about (a pace)."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


class Pooling(StrEnum):
    """How a figure pools over an offering's clips, which fixes its 95% interval (`harness.measurement`'s
    `sample_intervals`): MEDIAN between two order statistics (any distribution; none below six clips), MEAN by
    Student's t (a light-tailed figure; from two clips on), GEOMETRIC_MEAN by Student's t on the logarithms (a
    positive rate whose changes are ratios: its interval stays above zero where a mean's of two clips would not)."""

    MEDIAN = "median"
    MEAN = "mean"
    GEOMETRIC_MEAN = "geometric mean"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckField:
    """One figure a check gives per clip, pooled per offering."""

    name: str  # its key: "<check>_<name>" in JSON and the report's data
    label: str  # its heading, short: "pace wpm"
    unit: str  # "wpm", "ms", "s"
    meaning: str  # one sentence: what it is and where it is measured
    better: Better
    pooling: Pooling
    beside: str = ""  # a figure the faces already show that this one stands beside ("ttfa"); "": with its check
    decimals: int = 0


@dataclass(frozen=True, slots=True)
class FindingKind:
    """A kind of finding a check raises on a clip, and the promise (a provider's documents, or the check's rule) that
    makes one a violation."""

    kind: str
    promise: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeRule:
    """How a change of one field between two runs of an offering is judged (by `compare` and `history`'s gate):
    the clips both runs spoke (same item and repeat) paired, the mean of log(new / before) with its Student's t
    interval; a change when the point passes `relative` and the interval excludes no change."""

    field: str
    relative: float  # 0.10: a change of more than 10% either way (or the worse way, by the field's `better`)
    min_pairs: int = 5  # fewer clips spoken by both runs: no judgement, said so (compare's `min_samples` too)

    def describe(self, label: str) -> str:
        return (f"{label} changed by more than {self.relative:.0%} between the runs, over the clips both spoke "
                f"(paired, 95% Student's t interval of the mean log ratio excluding no change)")


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckDeclaration:
    """Everything a face needs to know of a check (see the module's docstring)."""

    name: str  # the check's module's name too: `harness/checks/<name>.py`
    title: str  # its heading in every face
    version: str  # the per-clip rule's version: a face prints it beside the figures it made
    doc: str  # the page that explains it: "docs/checks.md#speaking-pace"
    fields: tuple[CheckField, ...]
    reads: tuple[str, ...]  # "table.column": the stored columns the per-clip value is a function of
    findings: tuple[FindingKind, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    change: ChangeRule | None = None

    def field_named(self, name: str) -> CheckField:
        return next(item for item in self.fields if item.name == name)

    def key(self, item: CheckField) -> str:
        return f"{self.name}_{item.name}"
