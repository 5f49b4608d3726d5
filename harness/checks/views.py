"""A check's own views: where a check's faces say more than its declared fields' pooling can (a table of medians
and worsts with the verdicts, a report column with its note, `compare`'s one-sided test against an absolute size,
`history`'s gate on a verdict newly broken), the check's module gives each face's view as data
(`OwnViews`), and each face renders every registered check's views without naming one. The generic machinery
(`pooled`, `change`) leaves such a check to its views, so no face shows it twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from harness.results import RequestRow


@dataclass(frozen=True, slots=True)
class Shown:
    """A figure as a face shows it: its text, and its value in JSON (None: no figure)."""

    text: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class OwnFigures:
    """An offering's figures of a check, each by its key (the leaderboard's JSON key where it gives one)."""

    provider: str
    model: str
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionView:
    """A check's section of the summary, in every format: its sentences (with every offering's figures in JSON,
    `values`), then a table keyed `table`, each heading (its text, aligned left) and each offering's row."""

    key: str
    lines: tuple[str, ...]
    values: Mapping[str, Any]
    table: str
    title: str
    headings: tuple[tuple[str, bool], ...]
    rows: tuple[tuple[str | Shown, ...], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnView:
    """A check's column of the report (under "every column"), sorted by one of its figures, and that figure as
    `history`'s series."""

    key: str  # the column's key in the report
    heading: str
    meaning: str
    figure: str  # the figure it shows and sorts by (a key of the check's `figures`; the leaderboard's JSON key)
    unit: str  # the figure's unit, as the report formats it ("ms")
    note: Callable[[Mapping[str, Any]], str]  # the line under the figure, from the offering's figures
    series: str  # `history`'s series key
    series_label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftView:
    """`compare`'s test of a check's per-clip figure: NEW's later than BASE's by a one-sided Mann–Whitney U (Holm
    over the comparison decides), a regression past an absolute size, the threshold named `threshold` in `compare
    --threshold` (its default the declaration's threshold of that name)."""

    metric: str  # its metric in `compare --fail-on`
    statistic: str
    threshold: str
    unit: str
    value: Callable[[RequestRow], float | None]  # a clip's figure (None: not measured)
    measured: str  # what a measured clip is, plural ("answers measured")
    method: str  # the test in words (compare's METHODS)


class Worse(Protocol):
    """An offering the check's gate rule flags in `history`'s newest run."""

    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class OwnViews:
    """Every face's view of a check (see the module's docstring)."""

    figures: Callable[[Sequence[RequestRow]], tuple[OwnFigures, ...]]  # per offering with any, in the rows' order
    section: Callable[[Sequence[OwnFigures]], SectionView | None]  # the summary's, none where the run has nothing
    figure_keys: tuple[str, ...]  # the figures the leaderboard's JSON gives each offering (None where it has none)
    column: ColumnView
    shift: ShiftView
    # the gate's rule: an offering's figures in the newest run (its id) against the latest earlier run's that had it
    worse: Callable[[str, OwnFigures, tuple[str, OwnFigures] | None], Worse | None]
    rule: str  # the gate's rule in words (history's JUnit failure)
