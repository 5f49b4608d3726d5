"""Hard-text figures from judged spans: calibrated per category and model, and two models (or runs) compared.

Each hard-text item is read twice, as written and as its control (the span already in words). A control
that does not pass says the voice or the ASR cannot get this sentence right whatever the provider's
normaliser does, so the item does not count for that model (*calibration by control*). Per provider, model
and category:

* ``accuracy``: passes over judged items (calibrated items whose written reading passed or failed; an unsure
  reading is neither, nor is one heard as another reading than any listed), with its Wilson score 95% interval
  (``scipy.stats.binomtest(k, n).proportion_ci``);
* ``judged_rate``: judged items over all the model's items of the category (what calibration and unsure
  readings leave);
* ``gap``: the share of controls that pass minus the share of written readings that pass, over the items
  with both clips: what reading the written form costs against reading it pre-spelled.

Two models are compared on the items judged for both, and one model's two runs likewise, by the exact McNemar
test: a binomial test at one half of the discordant pairs (``scipy.stats.binomtest``; two-sided between
models, one-sided "NEW reads worse" between runs). The one owner of these figures: the terminal summary, the
report, `history` and `compare` all ask this module. The judgements themselves are the results store's
(`harness.results.hard_text`).
"""

from __future__ import annotations

import importlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from harness.core.hard_text import HardTextVerdict
from harness.core.spec import normalisation_setting
from harness.results import Judgeability, SpanScoreRow

_DECIDED = (HardTextVerdict.PASS, HardTextVerdict.FAIL)  # the verdicts an item is judged by: neither unsure nor other


def _stats() -> Any:
    """scipy.stats, imported when a figure is first computed: the import takes most of a second, and a command
    that shows no hard text should not pay it."""
    return importlib.import_module("scipy.stats")


@dataclass(frozen=True, slots=True)
class Proportion:
    """successes / trials with its Wilson score 95% interval (NaN bounds for no trial)."""

    successes: int
    trials: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.successes / self.trials if self.trials else math.nan


@dataclass(frozen=True, slots=True, kw_only=True)
class CategoryFigures:
    provider: str
    model: str
    category: str
    items: int  # items with a written reading
    calibrated: int  # of them, whose control passed
    accuracy: Proportion  # passes over judged (calibrated, not unsure) items
    judged_rate: float  # judged / items
    gap: float | None  # control pass share − written pass share, over items with both clips
    failures: tuple[SpanScoreRow, ...]  # judged written readings that failed
    unsure: tuple[SpanScoreRow, ...]  # calibrated written readings the judge could not decide
    others: tuple[SpanScoreRow, ...] = ()  # calibrated written readings heard as another reading than any listed
    # Why the category is not scored: "not judgeable by tiny.en" (its self-test says so), "not measured for base"
    # (no self-test of that model, or of this category); None where the self-test found it judgeable.
    unscored: str | None = None

    @property
    def judged(self) -> int:
        return self.accuracy.trials


@dataclass(frozen=True, slots=True)
class McNemar:
    """Two models on the same judged items: pairs where only one passed, and the exact two-sided p-value."""

    items: int  # judged for both
    only_first: int  # first passed, second failed
    only_second: int
    p_value: float
    both: int = 0  # passed for both


def wilson(successes: int, trials: int) -> Proportion:
    """The Wilson score interval at 95% (NaN bounds for no trial)."""
    if trials == 0:
        return Proportion(0, 0, math.nan, math.nan)
    interval = _stats().binomtest(successes, trials).proportion_ci(confidence_level=0.95, method="wilson")
    return Proportion(successes, trials, float(interval.low), float(interval.high))


def mcnemar_exact(only_first: int, only_second: int) -> float:
    """The exact McNemar p-value: two-sided binomial test of the discordant pairs at one half."""
    pairs = only_first + only_second
    if pairs == 0:
        return 1.0
    return float(_stats().binomtest(only_first, pairs, 0.5).pvalue)


def mcnemar_worse(only_base: int, only_new: int) -> float:
    """One-sided exact McNemar p-value that NEW reads worse: P(X >= only_base), X ~ Binomial(pairs, 1/2)."""
    pairs = only_base + only_new
    if pairs == 0:
        return 1.0
    return float(_stats().binomtest(only_base, pairs, 0.5, alternative="greater").pvalue)


def category_figures(
    verdicts: Iterable[SpanScoreRow], judgeability: Judgeability | None = None
) -> list[CategoryFigures]:
    """Per provider, model and category, in that order. With ``judgeability`` (the shipped self-tests), a category
    the ASR model that judged it cannot judge, or was never measured on, is marked with the reason, so a face
    shows it unscored; without it, every category is scored (a test of the figures alone)."""
    groups: dict[tuple[str, str, str], list[SpanScoreRow]] = defaultdict(list)
    for verdict in verdicts:
        groups[(verdict.provider, verdict.model, verdict.category)].append(verdict)
    figures = []
    for key, rows in sorted(groups.items()):
        figure = _figures(key, rows)
        if judgeability is not None:
            reasons = {judgeability.unscored(row.asr_model, row.method, key[2], row.thresholds) for row in rows}
            reason = next((reason for reason in sorted(reasons, key=str) if reason), None)
            figure = replace(figure, unscored=reason)
        figures.append(figure)
    return figures


def _figures(key: tuple[str, str, str], rows: list[SpanScoreRow]) -> CategoryFigures:
    written = {row.item_id: row for row in rows if not row.control}
    controls = {row.item_id: row for row in rows if row.control}
    calibrated = [
        row for item, row in written.items() if item in controls and controls[item].verdict == HardTextVerdict.PASS
    ]
    judged = [row for row in calibrated if row.verdict in _DECIDED]
    paired = [item for item in written if item in controls]
    gap = None
    if paired:
        control_share = sum(controls[item].verdict == HardTextVerdict.PASS for item in paired) / len(paired)
        gap = control_share - sum(written[item].verdict == HardTextVerdict.PASS for item in paired) / len(paired)
    provider, model, category = key
    return CategoryFigures(
        provider=provider,
        model=model,
        category=category,
        items=len(written),
        calibrated=len(calibrated),
        accuracy=wilson(sum(row.verdict == HardTextVerdict.PASS for row in judged), len(judged)),
        judged_rate=len(judged) / len(written) if written else math.nan,
        gap=gap,
        failures=tuple(row for row in judged if row.verdict == HardTextVerdict.FAIL),
        unsure=tuple(row for row in calibrated if row.verdict == HardTextVerdict.UNSURE),
        others=tuple(row for row in calibrated if row.verdict == HardTextVerdict.OTHER),
    )


def _judged(rows: Iterable[SpanScoreRow], system: tuple[str, str], category: str | None) -> dict[str, bool]:
    """The system's judged items (control passed, written reading passed or failed): item -> passed."""
    mine = [row for row in rows if (row.provider, row.model) == system and category in (None, row.category)]
    passed_controls = {row.item_id for row in mine if row.control and row.verdict == HardTextVerdict.PASS}
    return {
        row.item_id: row.verdict == HardTextVerdict.PASS
        for row in mine
        if not row.control and row.verdict in _DECIDED and row.item_id in passed_controls
    }


def _paired(first: dict[str, bool], second: dict[str, bool]) -> McNemar:
    common = first.keys() & second.keys()
    only_first = sum(first[item] and not second[item] for item in common)
    only_second = sum(second[item] and not first[item] for item in common)
    both = sum(first[item] and second[item] for item in common)
    return McNemar(len(common), only_first, only_second, mcnemar_exact(only_first, only_second), both)


def compare_models(
    verdicts: Iterable[SpanScoreRow], first: tuple[str, str], second: tuple[str, str], category: str | None = None
) -> McNemar:
    """``first`` and ``second`` (provider, model) on the items judged for both, in one category or all."""
    rows = list(verdicts)
    return _paired(_judged(rows, first, category), _judged(rows, second, category))


def compare_runs(
    base: Iterable[SpanScoreRow], new: Iterable[SpanScoreRow], system: tuple[str, str], category: str
) -> McNemar:
    """One model's reading of a category in two runs, on the items judged in both (``only_first``: passed in
    BASE only, i.e. read worse in NEW)."""
    return _paired(_judged(base, system, category), _judged(new, system, category))


@dataclass(frozen=True, slots=True)
class AcrossModels:
    """The team's question in one table: per category (rows) and model (columns), the category's figures, and each
    model's accuracy over every scored category pooled (the leaderboard's hard-text column)."""

    categories: tuple[str, ...]
    systems: tuple[tuple[str, str], ...]  # (provider, model)
    cells: dict[tuple[str, tuple[str, str]], CategoryFigures]

    def cell(self, category: str, system: tuple[str, str]) -> CategoryFigures | None:
        return self.cells.get((category, system))

    def unscored(self, category: str) -> str | None:
        """Why a whole row is not scored (the same reason for every model that read it), or None."""
        reasons = {figure.unscored for (name, _), figure in self.cells.items() if name == category}
        return reasons.pop() if len(reasons) == 1 else None

    def pooled(self, system: tuple[str, str]) -> Proportion:
        """The model's passes over its judged items of every scored category, with its Wilson interval."""
        scored = [figure for (_, owner), figure in self.cells.items() if owner == system and not figure.unscored]
        return wilson(sum(figure.accuracy.successes for figure in scored), sum(figure.judged for figure in scored))


def across_models(figures: Iterable[CategoryFigures]) -> AcrossModels:
    """The figures of every model laid out category by model (`category_figures`' output)."""
    listed = list(figures)
    return AcrossModels(
        tuple(sorted({figure.category for figure in listed})),
        tuple(sorted({(figure.provider, figure.model) for figure in listed})),
        {(figure.category, (figure.provider, figure.model)): figure for figure in listed},
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingDifference:
    """One model's reading of a category with its provider's own text normalisation off and on (a run with
    `--normalisation off,on`): each setting's accuracy, and on − off."""

    provider: str
    model: str  # the offering, without its setting
    category: str
    off: Proportion
    on: Proportion
    unscored: str | None = None  # as `CategoryFigures.unscored`: shown so, not scored

    @property
    def difference(self) -> float:
        """Accuracy with normalisation on minus off (NaN where either judged nothing)."""
        return self.on.value - self.off.value


def normalisation_differences(figures: Iterable[CategoryFigures]) -> list[SettingDifference]:
    """Per provider, model and category read both with normalisation off and on, the two accuracies."""
    by_setting: dict[tuple[str, str, str], dict[str, CategoryFigures]] = defaultdict(dict)
    for figure in figures:
        model, setting = normalisation_setting(figure.model)
        if setting is not None:
            by_setting[(figure.provider, model, figure.category)][setting] = figure
    return [
        SettingDifference(
            provider=provider,
            model=model,
            category=category,
            off=settings["off"].accuracy,
            on=settings["on"].accuracy,
            unscored=settings["off"].unscored or settings["on"].unscored,
        )
        for (provider, model, category), settings in sorted(by_setting.items())
        if {"off", "on"} <= settings.keys()
    ]
