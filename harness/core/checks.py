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

A check whose findings are deterministic (the same audio, the same findings: a click where chunks meet) is *counted*:
its fields are totals over the clips (`Pooling.SUM`), a ratio of two totals (`Pooling.RATIO`: findings a minute of
streamed audio is the sum of findings over the sum of minutes) or the clips counted by the value they gave
(`Pooling.TALLY`), with no interval; its change is judged run against run, no test needed (`ChangeTest.ROSE`,
`ChangeTest.NEWLY`); the summary says it in a section of its own rather than as columns of the models table.
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
    SUM = "sum"  # a total over the clips: deterministic, no interval
    RATIO = "ratio"  # the total of one field over the total of another (`CheckField.of`)
    TALLY = "tally"  # the clips counted by the value each gave (24,000 Hz in 3 answers)
    MAX = "max"  # the worst clip's value, no interval (a check's own view says it beside its median)
    # the median of every value the clips gave, a clip giving several (each break's error): no interval
    EVERY_VALUE_MEDIAN = "median of every value"
    # the median and the p95 of every value the clips gave (each word's onset error), each with its interval between
    # two order statistics (none where too few values hold one): a check's own view says them
    EVERY_VALUE_P50 = "median of every value, with its interval"
    EVERY_VALUE_P95 = "p95 of every value, with its interval"
    # a long-tailed figure (a latency): its p50, p95 and p99, each with its interval between two order statistics
    # (none where too few clips hold one), and its mean without one (none holds at a few values of a long tail)
    QUANTILES = "p50, p95 and p99 with their intervals, and the mean"

    @property
    def counted(self) -> bool:
        """A deterministic figure: no interval, judged run against run."""
        return self in (Pooling.SUM, Pooling.RATIO, Pooling.TALLY, Pooling.EVERY_VALUE_MEDIAN)


class ChangeTest(StrEnum):
    """How `ChangeRule` judges a change: PAIRED_RATIO, the clips both runs spoke paired (a figure with noise);
    ROSE, a counted figure above the run before's by more than `absolute` and `relative` of it (the run before's:
    none counts as zero); NEWLY, a counted figure above zero where the run before's was none; FELL, a counted
    figure below the run before's by more than `absolute` and `relative` of it (none before: not judged); NEW_KIND, a
    kind of finding the run before had not (none before: every kind new), judged by the check's own view;
    PAIRED_FELL, a share of verdicts below the run before's by more than `absolute` over the items both runs judged
    (paired: a clip's verdict is its audio's, but each run speaks its items anew), with a one-sided exact McNemar
    test of the items right in the run before only against those right in the newest only; POOLED_RISE, a ratio of
    totals over the clips (errors over reference words) above the run before's by more than `absolute`, tested
    one-sided by a two-sample percentile bootstrap over each run's clips (unpaired: each run may speak other clips);
    QUANTILE_RISE, a long-tailed figure's p50 above the run before's by more than `relative` of it (one-sided
    Mann–Whitney U over each run's clips, unpaired) and its p95 by more than the check's own size (a two-sample
    percentile bootstrap of the p95 difference, given more clips a side: near the maximum its bootstrap degenerates)."""

    PAIRED_RATIO = "paired ratio"
    ROSE = "rose"
    NEWLY = "newly"
    FELL = "fell"
    NEW_KIND = "new kind"
    PAIRED_FELL = "paired fall"
    POOLED_RISE = "pooled rise"
    QUANTILE_RISE = "quantile rise"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckField:
    """One figure a check gives per clip, pooled per offering."""

    name: str  # its key: "<check>_<name>" in JSON and the report's data
    label: str  # its heading, short: "pace wpm"
    unit: str  # "wpm", "ms", "s"
    meaning: str  # one sentence: what it is and where it is measured
    better: Better
    pooling: Pooling
    beside: str = ""  # a figure the faces already show that this one stands beside ("ttfa", "wer_pooled"); "": with
    # its check
    default_column: bool = False  # its report column shown without "every column" (as it was before it was declared)
    # the range the figure can take (a cosine's 0 to 1): its interval is clipped to it, as the mean cannot pass it where
    # Student's t of a few clips would (0.761 to 1.092 for two clips at 0.927)
    bounds: tuple[float, float] | None = None
    decimals: int = 0
    of: tuple[str, ...] = ()  # RATIO: the fields whose totals it divides (numerator, denominator)
    heading: str = ""  # a counted field's heading in its summary table ("": not a column there)
    absent: str = "—"  # what a face says where the field has nothing (a tally none gave: "as declared")
    streamed: bool = False  # a figure only a streamed answer has: the report shows it when some model streamed
    key: str = ""  # its key where a face named it before its check was declared; "": "<check>_<name>"
    # How a counted field is said where its check said it before it was declared (each "": the generic way):
    shown: str = ""  # its summary cell, formatted with the offering's figures by name ("{honoured:.0f}/{judged:.0f}")
    json_digits: int | None = None  # its JSON figure rounded to these digits (None: as pooled)
    in_json: bool = False  # given in the summary's JSON though not a column of its table (no `heading`)
    column: str = ""  # a ratio's report column heading ("": "<title> / <unit of the denominator>")
    note: tuple[str, ...] = ()  # the report cell's small line: each part formatted with the offering's figures,
    # left out where it names a figure the offering has not


@dataclass(frozen=True, slots=True)
class FindingKind:
    """A kind of finding a check raises on a clip, and the promise (a provider's documents, or the check's rule) that
    makes one a violation."""

    kind: str
    promise: str
    named: bool = False  # each offering raising it is named in a line of its own; else counted by kind
    kept: str = ""  # a named kind's words for a run where no offering raised it ("every one as declared")

    @property
    def expected(self) -> str:
        """What an answer with a finding of this kind broke, as a violation says it: the promise and the kind."""
        return f"{self.promise} (kind {self.kind})"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeRule:
    """How a change of one field between two runs of an offering is judged (by `compare` and `history`'s gate), as
    `test` says: PAIRED_RATIO, the clips both runs spoke (same item and repeat) paired, the mean of log(new / before)
    with its Student's t interval, a change when the point passes `relative` and the interval excludes no change;
    ROSE and NEWLY, a counted field of the newest run against the run before's (`ChangeTest`)."""

    field: str
    relative: float  # 0.10: a change of more than 10% either way (or the worse way, by the field's `better`)
    min_pairs: int = 5  # fewer clips spoken by both runs: no judgement, said so (compare's `min_samples` too)
    test: ChangeTest = ChangeTest.PAIRED_RATIO
    absolute: float = 0.0  # ROSE: a rise of no more than this is none, whatever its share
    name: str = "checks"  # the rule's name in `compare --fail-on`, history's JUnit case and the contract suite
    case: str = ""  # history's JUnit case where it is not `name` (the words it had before its check was declared)
    statistic: str = ""  # compare's name for the judged figure where it is not the field's label
    heading: str = ""  # the line heading the offerings it flags in `history`'s terminal output

    @property
    def counted(self) -> bool:
        return self.test is not ChangeTest.PAIRED_RATIO

    def worse(self, before: float | None, after: float | None) -> bool:
        """A counted field's judgement: `after` (None: not measured now) against `before` (None: no run before
        measured it)."""
        if self.test is ChangeTest.NEWLY:
            return bool(after) and not before
        if after is None:
            return False
        if self.test in (ChangeTest.FELL, ChangeTest.PAIRED_FELL):  # PAIRED_FELL: each share over the items both judged
            return before is not None and before - after > max(self.absolute, self.relative * before)
        was = before or 0.0
        return after - was > max(self.absolute, self.relative * was)

    def describe(self, label: str, unit: str = "") -> str:
        if self.test is ChangeTest.ROSE:
            return (
                f"{label} rose by more than {self.absolute:g}{' ' + unit if unit else ''} and by more than "
                f"{self.relative:.0%} of the run before's (none before: 0; deterministic: no test needed)"
            )
        if self.test is ChangeTest.NEWLY:
            return f"{label} where the run before had none (deterministic: no test needed)"
        if self.test is ChangeTest.NEW_KIND:
            return (
                f"a kind of {label} the run before had not (none before: every kind new; deterministic: no test needed)"
            )
        if self.test is ChangeTest.FELL:
            by = f" by more than {self.absolute:g}{' ' + unit if unit else ''}" if self.absolute else ""
            return f"{label} fell below the run before's{by} (none before: not judged; deterministic: no test needed)"
        if self.test is ChangeTest.PAIRED_FELL:
            return (
                f"{label} fell by more than {self.absolute:g} absolute over the items both runs judged (paired: "
                f"one-sided exact McNemar test; fewer than {self.min_pairs} items: not judged)"
            )
        if self.test is ChangeTest.POOLED_RISE:
            return (
                f"{label} rose by more than {self.absolute:g} absolute (two-sample percentile bootstrap over each "
                f"run's clips of the pooled ratio, one-sided; fewer than {self.min_pairs} clips a side: not judged)"
            )
        if self.test is ChangeTest.QUANTILE_RISE:
            return (
                f"{label} p50 rose by more than {self.relative:.0%} (one-sided Mann-Whitney U over each run's clips), "
                f"its p95 by more than the check's own size (two-sample percentile bootstrap; fewer than "
                f"{self.min_pairs} clips a side: not judged)"
            )
        return (
            f"{label} changed by more than {self.relative:.0%} between the runs, over the clips both spoke "
            f"(paired, 95% Student's t interval of the mean log ratio excluding no change)"
        )


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
    answers_only: bool = True  # False: every stored job is read (its columns are NULL where it has nothing to judge)
    said: str = ""  # a counted check's run in words, formatted with its fields' run totals ("{streams} streams")
    shown_with: str = ""  # a counted check whose summary section this one's figures join ("": its own)
    table: str = ""  # a counted check's summary table title where it lists every offering it read, its headed
    # fields only (its findings said where they are judged); "": the offerings with a finding, by kind

    @property
    def counted(self) -> bool:
        """Every field counted: said in a section of its own, not as columns of the models table."""
        return all(item.pooling.counted for item in self.fields)

    def change_said(self) -> str:
        """Its change rule in words, with the page that explains it ("": no rule)."""
        if self.change is None:
            return ""
        item = self.field_named(self.change.field)
        return f"{self.change.describe(item.label, item.unit)} ({self.doc})"

    def finding_named(self, kind: str) -> FindingKind | None:
        return next((item for item in self.findings if item.kind == kind), None)

    def field_named(self, name: str) -> CheckField:
        return next(item for item in self.fields if item.name == name)

    def key(self, item: CheckField) -> str:
        return item.key or f"{self.name}_{item.name}"
