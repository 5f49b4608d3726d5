"""The regression gate: does NEW do worse than BASE, beyond noise? Per provider × model, per metric.

A change is a regression only when it is BOTH beyond a practical threshold AND statistically significant
(one-sided, NEW worse, Holm-adjusted p < alpha = 0.05). Either alone cries wolf: a 30% jump in a median
over 5 noisy samples is not evidence, and a significant 0.5% shift over 10,000 samples does not matter.

=========  =========================================  ==================  ==================================
metric     statistic (``harness.results.figures``)   threshold default   significance test
=========  =========================================  ==================  ==================================
latency    p50 of e2e_ms (ok, not resumed jobs)       +10% relative       one-sided Mann–Whitney U
latency    p95 of e2e_ms                              +20% relative       two-sample percentile bootstrap
                                                                          of the p95 difference (2,000
                                                                          resamples, fixed seed)
wer        pooled WER (sum errors / sum ref words     +0.02 absolute      two-sample bootstrap over
           over word-unit clips); pooled CER apart                        utterances of the pooled ratio
           when a run has zh/ja clips
cost       mean cost per sent job (billed where the   +5% relative        two-sample bootstrap of the mean
           answers said, else planned; each side
           says which it used)
success    ok / sent                                  −0.05 absolute      one-sided Fisher's exact test
contract   contract violations (errors of class       any new one         none needed: a violation kind
           ``contract``) by (phase, rule, pointer)                        NEW shows and BASE never did
hard-text  per category, accuracy on the items        −0.05 absolute      one-sided exact McNemar test on
           judged in both runs (control passed): a                        the items read right in one run
           check's test of the runs' rows (below)                         only
language   per language other than English both runs  +0.02 absolute      as wer above; a language the ASR
           scored, its pooled WER or CER                                  cannot judge (the language self-
           (``harness.measurement.languages``)                            test) is named, never tested
language   per language both runs checked, whether    NEW falls back,     none needed: a fallback is most
           the model answered in another language     BASE did not        clips heard as another language
           than asked (most clips flagged                                 with p >= 0.5, not noise
           ``wrong_language``)
checks     every registered check with a change       the check's own     paired over the clips both runs
           rule (``harness.checks``): its field's     (its declared       spoke: Student's t interval of the
           value per clip                             ChangeRule)         mean log ratio excludes no change
(rule)     every registered counted check (its        its ChangeRule:     none needed: its findings are
           findings deterministic): its field over    a rise beyond       deterministic (``harness.checks.
           NEW's clips against BASE's; the metric     absolute and        counted_change``)
           is the rule's own name                     share, newly, or
                                                      any fall
(shift)    every registered check with views of its   its declared        one-sided Mann–Whitney U
           own (``harness.checks.views``): p50 of     threshold (its
           its per-clip figure; the metric is its     name in
           view's own name                            --threshold)
(own rule) a check with views of its own judged by    its rule: any new   none needed: its findings are
           its own rule, NEW's figures against        kind of finding     deterministic
           BASE's; the metric is its view's own name
(run test) a check with views of its own whose        its declared        the view's own, one-sided, each
           evidence is the run's rows (``RunTest``):  threshold (its      p-value Holm-adjusted with the
           several statistics per model (hard-text,   name in             comparison's
           one per category); its view's own metric   --threshold)
=========  =========================================  ==================  ==================================

Latency is compared only over the jobs no registered check of the run's own measuring disowns (its note on the run,
`harness.checks.run_notes`: a job that ran mostly while the runner or the embedded sandbox could not keep up timed the
client's stall, not the provider); each latency check says how many it left out, and a run a note names is named in
the notes.

Bootstrap p-values are the share of resampled differences ≤ 0, with the +1 correction. A check with
fewer than ``min_samples`` (5) values on either side is reported as "insufficient data", never a
regression; the p95 check needs ``min_samples_tail`` (20): below that the p95 is nearly the sample
maximum, whose bootstrap distribution is degenerate and whose p-values are far too small.

Load sweeps (`bench run --concurrency 1,4,16`) compare as curves: when both runs are sweeps, latency and
success are checked per provider × model × level, at every level both ran, by the same rules (the
statistic names its level: "latency p95 (ms) at 16 in flight"); WER, cost and contract stay whole-run.

One comparison runs many tests (five per provider × model, three more per level of a sweep), so the
p-values are adjusted together with Holm's step-down method, which keeps the chance of any false alarm
in the whole comparison at or below alpha; unadjusted, the many tests of one comparison would raise a
false alarm several times as often as alpha says, while Holm still catches a real shift
(docs/measurements.md has the simulation). Raw and adjusted p-values are both reported.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from harness.checks import (
    OwnFigures,
    OwnViews,
    QuantileRise,
    RatioTest,
    RunNote,
    RunNoteView,
    ShiftView,
    changes_between,
    counted_change,
    counted_checks,
    disowning,
    named,
    run_notes,
    with_views,
)
from harness.core.checks import ChangeTest
from harness.core.errors import UsageError
from harness.core.names import not_known
from harness.measurement import LanguageFigures, language_figures
from harness.report.stats import (
    Difference,
    fisher_drop,
    holm,
    mann_whitney_greater,
    mean_difference,
    quantile_difference,
    ratio_difference,
)
from harness.results import (
    ErrorEntry,
    RequestRow,
    RunRows,
    at_level,
    floats,
    group,
    job_usd,
    json_list,
    newly_ended_by,
    sent,
    shipped_language_verdicts,
    source_of,
    sweep_levels,
)

Requests = Sequence[RequestRow]  # one offering's rows of a run
Notes = Sequence[tuple[RunNoteView, RunNote]]  # what each check of a run's own measuring says of it (`run_notes`)


def _placed(items: Sequence[tuple[str, Any]], placed: Iterable[tuple[str, str, Any]]) -> list[tuple[str, Any]]:
    """`items` (each a name and its value) with each of `placed` (the name it follows, its own name, its value) after
    the last item named that name or `<name>_...` (a check's test where its figure stood before the check was
    declared: WER after latency's p50 and p95); after them all where it names none."""
    found = list(items)
    for after, name, value in placed:
        at = [i for i, (key, _) in enumerate(found) if after and (key == after or key.startswith(f"{after}_"))]
        found.insert(at[-1] + 1 if at else len(found), (name, value))
    return found


def _before(items: Sequence[tuple[str, Any]], placed: Iterable[tuple[str, str, Any]]) -> list[tuple[str, Any]]:
    """`items` (each a name and its value) with each of `placed` (the name it precedes, its own name, its value)
    before the item of that name, in turn (a check's test where its figure stood before its check was declared:
    latency's before cost); after them all where none has it."""
    found = list(items)
    for before, name, value in placed:
        at = next((i for i, (key, _) in enumerate(found) if key == before), len(found))
        found.insert(at, (name, value))
    return found


def _quantile_rises() -> tuple[QuantileRise, ...]:
    """Each check's tests of a long-tailed figure (`harness.checks.views.QuantileRise`), in the registry's order."""
    return tuple(view for _, views in with_views() if (view := views.quantile_rise) is not None)


def _ratio_tests() -> tuple[tuple[str, RatioTest], ...]:
    """Each check's ratio test (`harness.checks.views.RatioTest`), with the name of the check declaring it."""
    return tuple((check.name, view) for check, views in with_views() if (view := views.ratio_test) is not None)


class BuiltInMetric(StrEnum):
    COST = "cost"
    SUCCESS = "success"
    CONTRACT = "contract"
    STREAM = "stream"  # replayed recorded streams (two fixture folders: harness.report.stream_compare)
    LANGUAGE = "language"  # per language, a model answering in another language than asked (docs/languages.md)
    CHECKS = "checks"  # every registered check with a paired change rule (harness.checks; docs/checks.md)


# The metrics: the built-in ones, each registered counted check's rule by its own name and each check's own test
# (harness.checks.views) by its own (docs/checks.md), so `--fail-on` takes them and a new check's needs no line here.
if TYPE_CHECKING:
    Metric = BuiltInMetric
else:
    Metric = StrEnum(
        "Metric",
        [
            (name.upper(), value)
            for value, name in _placed(
                _before(
                    [(one.value, one.name) for one in BuiltInMetric],
                    ((view.before, view.metric, view.metric) for view in _quantile_rises()),
                ),
                ((view.after, view.metric, view.metric) for _, view in _ratio_tests()),
            )
        ]
        + [
            (rule.name.upper().replace("-", "_"), rule.name)
            for rule in (check.declaration.change for check in counted_checks())
            if rule is not None
        ]
        + [
            (view.metric.upper(), view.metric)
            for _, views in with_views()
            for view in (views.shift, views.compared)
            # a built-in metric a check's own rule shares (per language, its rate and whether it is answered in)
            if view is not None and view.metric not in {one.value for one in BuiltInMetric}
        ]
        + [
            (view.metric.upper().replace("-", "_"), view.metric)
            for _, views in with_views()
            if (view := views.run_test) is not None
        ],
    )


class Ruling(StrEnum):
    REGRESSION = "regression"
    OK = "ok"
    INSUFFICIENT = "insufficient data"


def _declared_thresholds() -> dict[str, float]:
    return {
        name: check.declaration.thresholds[name]
        for check, views in with_views()
        for name in (
            *(view.threshold for view in (views.shift, views.run_test, views.ratio_test) if view is not None),
            *(one.threshold for one in (views.quantile_rise.statistics if views.quantile_rise else ())),
        )
    }


def _preceding() -> dict[str, str]:
    """Each quantile test's threshold (and method) by its name, with the built-in one it precedes."""
    return {one.threshold: view.before for view in _quantile_rises() for one in view.statistics}


@dataclass(frozen=True, slots=True, kw_only=True)
class GateThresholds:
    cost: float = 0.05  # relative increase of mean cost per request
    success: float = 0.05  # absolute drop of success rate
    first_audio_ms: float = 25.0  # a replayed stream's first audio later by more than this (ms) ...
    first_audio_rel: float = 0.10  # ... and by more than this share of BASE's
    alpha: float = 0.05
    min_samples: int = 5
    min_samples_tail: int = 20  # p95 of fewer values is nearly the maximum: its bootstrap is not trustworthy
    # each registered check's own test's threshold, by its declared name and value (harness.checks.views)
    declared: Mapping[str, float] = field(default_factory=_declared_thresholds)

    def named(self) -> dict[str, Any]:
        """Every threshold by its name in `--threshold`: a ratio test's where its figure's stood before its check was
        declared (its view's `after`), the other declared ones last."""
        after, before = {view.threshold: view.after for _, view in _ratio_tests()}, _preceding()
        return dict(
            _placed(
                _before(
                    [(f.name, getattr(self, f.name)) for f in fields(self) if f.name != "declared"],
                    ((before[name], name, value) for name, value in self.declared.items() if name in before),
                ),
                ((after.get(name, ""), name, value) for name, value in self.declared.items() if name not in before),
            )
        )

    def with_overrides(self, overrides: Mapping[str, str]) -> GateThresholds:
        known = self.named()
        changes: dict[str, Any] = {}
        declared = dict(self.declared)
        for key, raw in overrides.items():
            if key not in known:
                raise UsageError(f"{not_known('threshold', [key], known)}; known: {', '.join(known)}")
            try:
                value = int(raw) if key.startswith("min_samples") else float(raw)
            except ValueError:
                raise UsageError(f"threshold {key} must be a number, got {raw!r}") from None
            if key in declared:
                declared[key] = value
            else:
                changes[key] = value
        return replace(self, **changes, declared=declared)


_METHODS = {
    "rule": "regression = beyond threshold AND Holm-adjusted one-sided p < alpha (NEW worse than BASE)",
    "multiple_comparisons": "Holm step-down over every tested check of the comparison (family-wise error <= alpha)",
    "cost": "two-sample percentile bootstrap of mean cost per request (the billed cost where the answers said what "
    "they billed, else the planned one; each check says which each side used)",
    "success": "one-sided Fisher's exact test on ok/failed counts",
    "contract": "contract-violation kinds (phase, rule, pointer) present in NEW and absent from BASE",
    "language": "per language, NEW answering in another language than asked (at least half its checked clips heard "
    "as another language with p >= 0.5) where BASE did not; each language's pooled WER/CER tested as "
    "wer is",
    "stream": "fixture folders: each recorded stream replayed at its offsets once per side; first audio later "
    "than BASE's by more than max(first_audio_ms, first_audio_rel x BASE), a changed order of what "
    "came, or a frame-rule finding BASE has not",
    "checks": "every registered check with a change rule (harness.checks, docs/checks.md): the clips both runs spoke "
    "paired, the mean log ratio NEW/BASE with its Student's t interval; a regression when the change "
    "passes the check's declared size, the worse way, and the interval excludes no change",
    "bootstrap_p_value": "(count of resampled differences <= 0 + 1) / (resamples + 1)",
    **{
        check.declaration.change.name: check.declaration.change_said()
        for check in counted_checks()
        if check.declaration.change is not None
    },
    **{
        view.metric: view.method
        for _, views in with_views()
        for view in (views.shift, views.compared)
        if view is not None
    },
    **{views.run_test.metric: views.run_test.method for _, views in with_views() if views.run_test is not None},
}
# each quantile test's and ratio test's method where its figure's stood before its check was declared
METHODS = dict(
    _placed(
        _before(
            list(_METHODS.items()),
            ((view.before, one.threshold, one.method) for view in _quantile_rises() for one in view.statistics),
        ),
        ((view.after, view.metric, view.method) for _, view in _ratio_tests()),
    )
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    provider: str
    model: str
    metric: Metric
    statistic: str  # "latency p50 (ms)", "pooled WER", ...
    verdict: Ruling
    threshold: str
    change: float | None  # relative or absolute, as the threshold is
    difference: Difference | None = None
    details: tuple[str, ...] = ()
    unit: str = ""  # of the statistic: "ms", "usd", "rate" (how a page prints BASE and NEW)
    beyond: bool = False  # the change passed the practical threshold
    p_adjusted: float | None = None  # Holm-adjusted over every test of the comparison
    level: int | None = None  # the load sweep's level (per-provider cap) a curve check compares at

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def relative(self) -> bool:
        return "relative" in self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "metric": self.metric.value,
            "statistic": self.statistic,
            "verdict": self.verdict.value,
            "threshold": self.threshold,
            "change": _finite(self.change),
            "beyond_threshold": self.beyond,
            "p_adjusted": _finite(self.p_adjusted),
            "test": self.difference.to_json() if self.difference else None,
            "details": list(self.details),
            "level": self.level,
        }


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    base_run: str
    new_run: str
    thresholds: GateThresholds
    fail_on: frozenset[Metric]
    checks: tuple[Check, ...]
    notes: tuple[str, ...] = field(default=())
    base_region: str | None = None  # `bench run --region` of each run
    new_region: str | None = None

    @property
    def regressions(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.verdict is Ruling.REGRESSION and c.metric in self.fail_on)

    @property
    def exit_code(self) -> int:
        return 1 if self.regressions else 0

    @property
    def insufficient(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.verdict is Ruling.INSUFFICIENT)

    @property
    def compared(self) -> bool:
        """Whether any figure was compared: a check that is neither short of data nor the contract's (which needs
        no data, and so cannot say that two runs of two jobs each had the same latency)."""
        return any(c.verdict is not Ruling.INSUFFICIENT and c.metric is not Metric.CONTRACT for c in self.checks)

    @property
    def verdict(self) -> str:
        """The comparison in one line: its regressions, or that it compared nothing, and the checks short of data."""
        count, short = len(self.regressions), len(self.insufficient)
        gated = ", ".join(sorted(self.fail_on))
        if not self.checks:
            return "not compared: no provider × model is in both runs"
        if not self.compared:
            contract = [c for c in self.checks if c.metric is Metric.CONTRACT]
            new = sum(len(c.details) for c in contract)
            said = f"; contract: {new} new violation kind{'s' if new != 1 else ''}" if contract else ""
            lead = f"{count} regression{'s' if count != 1 else ''} in {gated}, otherwise " if count else ""
            return (
                f"{lead}not compared: insufficient data ({short} checks, each with fewer values than it needs: "
                f"{self.thresholds.min_samples} a side, {self.thresholds.min_samples_tail} for a p95){said}"
            )
        apart = f"; {short} of {len(self.checks)} checks not compared: insufficient data" if short else ""
        return f"{count} regression{'s' if count != 1 else ''} in {gated}{apart}"

    def to_json(self) -> dict[str, Any]:
        return {
            "base": self.base_run,
            "new": self.new_run,
            "base_region": self.base_region,
            "new_region": self.new_region,
            "fail_on": sorted(m.value for m in self.fail_on),
            "thresholds": self.thresholds.named(),
            "method": METHODS,
            "regressions": len(self.regressions),
            "compared": self.compared,
            "verdict": self.verdict,
            "checks": [c.to_json() for c in self.checks],
            "notes": list(self.notes),
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2)


def _adjusted(checks: Sequence[Check], alpha: float) -> list[Check]:
    """Holm-adjust the p-values of every tested check, then decide: beyond threshold AND adjusted p < alpha."""
    tested = [i for i, c in enumerate(checks) if c.difference is not None and math.isfinite(c.difference.p_value)]
    adjusted = holm([checks[i].difference.p_value for i in tested])  # type: ignore[union-attr]
    result = list(checks)
    for index, p_adjusted in zip(tested, adjusted, strict=True):
        check = checks[index]
        verdict = Ruling.REGRESSION if check.beyond and p_adjusted < alpha else Ruling.OK
        result[index] = replace(check, verdict=verdict, p_adjusted=p_adjusted)
    return result


def _too_few(
    who: tuple[str, str],
    metric: Metric,
    statistic: str,
    threshold: str,
    *,
    sizes: tuple[int, int],
    counted: str,
    need: int,
) -> Check:
    """A test not run: fewer than `need` of what it counts (`counted`, plural) on a side, BASE's and NEW's `sizes`."""
    return Check(
        provider=who[0],
        model=who[1],
        metric=metric,
        statistic=statistic,
        verdict=Ruling.INSUFFICIENT,
        threshold=threshold,
        change=None,
        details=(f"{sizes[0]} BASE and {sizes[1]} NEW {counted}; need {need} each",),
    )


def _relative(diff: Difference) -> float:
    return diff.delta / diff.base if diff.base else (math.inf if diff.delta > 0 else 0.0)


def _risen(
    view: QuantileRise,
    base: Requests,
    new: Requests,
    t: GateThresholds,
    who: tuple[str, str],
    notes: tuple[Notes, Notes] = ((), ()),
) -> Iterable[Check]:
    """A check's tests of a long-tailed figure, from the clips it counts that no note of either run disowns
    (`harness.checks.run_notes`): a clip timed while the client was saturated timed the client's own stall, so no
    verdict is drawn from it; each says how many each note left out."""
    disowns = disowning(note for _, note in notes[0]), disowning(note for _, note in notes[1])
    counted_b, counted_n = view.counted(base), view.counted(new)
    kept_b, kept_n = [r for r in counted_b if not disowns[0](r)], [r for r in counted_n if not disowns[1](r)]
    b, n = floats(view.value(r) for r in kept_b), floats(view.value(r) for r in kept_n)
    said = _left_out(counted_b, counted_n, notes)
    for one in view.statistics:
        threshold = t.declared[one.threshold]
        needed = t.min_samples if one.shift else t.min_samples_tail
        label = f"+{threshold:.0%} relative"
        short = _too_few(
            who, Metric(view.metric), one.statistic, label, sizes=(len(b), len(n)), counted=view.measured, need=needed
        )
        short = replace(short, details=(*short.details, *said))
        if min(len(b), len(n)) < needed:
            yield short
            continue
        diff = mann_whitney_greater(b, n) if one.shift else quantile_difference(b, n, one.quantile)
        change = _relative(diff)
        yield replace(
            short,
            verdict=Ruling.OK,
            change=change,
            difference=diff,
            unit=view.unit,
            beyond=change > threshold,
            details=said,
        )


def _rises(
    base: Requests,
    new: Requests,
    t: GateThresholds,
    who: tuple[str, str],
    notes: tuple[Notes, Notes] = ((), ()),
    curve: bool = False,
) -> Iterable[Check]:
    """Every check's tests of a long-tailed figure (`harness.checks.views.QuantileRise`; at a level of a load sweep,
    those compared as curves)."""
    for view in _quantile_rises():
        if view.curve or not curve:
            yield from _risen(view, base, new, t, who, notes)


def _left_out(base: Requests, new: Requests, notes: tuple[Notes, Notes]) -> tuple[str, ...]:
    """Each note's words for the clips of BASE and NEW (those a test counts) it disowns, where it disowns any (notes
    of one run and the other by the same registered checks, in the registry's order)."""
    said = []
    for (view, base_note), (_, new_note) in zip(*notes, strict=True):
        left = sum(map(base_note.disowns, base)), sum(map(new_note.disowns, new))
        if any(left):
            said.append(view.left_out.format(base=left[0], new=left[1]))
    return tuple(said)


def _curve(
    base: Requests,
    new: Requests,
    t: GateThresholds,
    who: tuple[str, str],
    notes: tuple[Notes, Notes] = ((), ()),
) -> Iterable[Check]:
    """Latency and success at each level both sweeps ran: a curve is compared point by point."""
    for level in sorted(set(sweep_levels(base)) & set(sweep_levels(new))):
        b, n = at_level(base, level), at_level(new, level)
        for check in (*_rises(b, n, t, who, notes, curve=True), *_success(b, n, t, who)):
            yield replace(check, statistic=f"{check.statistic} at {level} in flight", level=level)


def _ratio_check(
    view: RatioTest,
    metric: Metric,
    statistic: str,
    clips: tuple[Sequence[tuple[float, float]], Sequence[tuple[float, float]]],
    t: GateThresholds,
    who: tuple[str, str],
) -> Check:
    """One statistic of a ratio test: each side's clips (numerator, denominator), too few, or NEW − BASE of the
    pooled ratios by the two-sample bootstrap over clips, beyond where it passes the test's declared size."""
    b, n = clips
    size = t.declared[view.threshold]
    if min(len(b), len(n)) < t.min_samples:
        return _too_few(
            who, metric, statistic, view.said(size), sizes=(len(b), len(n)), counted=view.measured, need=t.min_samples
        )
    diff = ratio_difference(([c[0] for c in b], [c[1] for c in b]), ([c[0] for c in n], [c[1] for c in n]))
    return Check(
        provider=who[0],
        model=who[1],
        metric=metric,
        statistic=statistic,
        verdict=Ruling.OK,
        threshold=view.said(size),
        change=diff.delta,
        difference=diff,
        unit="rate",
        beyond=diff.delta > size,
    )


def _ratio_tested(base: Requests, new: Requests, t: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    """Every check's ratio test (`harness.checks.views.RatioTest`: WER over word-unit clips, CER apart), each
    statistic it gives this offering, in the place its figure had before its check was declared (after latency)."""
    for _, view in _ratio_tests():
        for statistic, b, n in view.ratios(base, new):
            yield _ratio_check(view, Metric(view.metric), statistic, (b, n), t, who)


def _cost(base: Requests, new: Requests, t: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    """Mean cost per sent job: the billed cost where the answers said what they billed, else the planned one
    (`harness.results.job_usd`); the check says which each side used."""
    label = f"+{t.cost:.0%} relative"
    b_sent, n_sent = sent(base), sent(new)
    sources = source_of(b_sent), source_of(n_sent)
    used = (
        ()
        if sources == ("none", "none")
        else (
            f"cost used: BASE {sources[0]}, NEW {sources[1]}"
            + ("" if sources[0] == sources[1] else " (a change may be the bill read, not the price)"),
        )
    )
    b_cost, n_cost = [job_usd(r) for r in b_sent], [job_usd(r) for r in n_sent]
    if any(v is None for v in (*b_cost, *n_cost)):
        yield Check(
            provider=who[0],
            model=who[1],
            metric=Metric.COST,
            statistic="cost per request (USD)",
            verdict=Ruling.INSUFFICIENT,
            threshold=label,
            change=None,
            details=("some jobs have no USD price", *used),
        )
        return
    b, n = [v or 0.0 for v in b_cost], [v or 0.0 for v in n_cost]
    if min(len(b), len(n)) < t.min_samples:
        short = _too_few(
            who,
            Metric.COST,
            "cost per request (USD)",
            label,
            sizes=(len(b), len(n)),
            counted="sent jobs",
            need=t.min_samples,
        )
        yield replace(short, details=(*short.details, *used))
        return
    diff = mean_difference(b, n)
    change = _relative(diff)
    yield Check(
        provider=who[0],
        model=who[1],
        metric=Metric.COST,
        statistic="cost per request (USD)",
        verdict=Ruling.OK,
        threshold=label,
        change=change,
        difference=diff,
        unit="usd",
        beyond=change > t.cost,
        details=used,
    )


def _success(base: Requests, new: Requests, t: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    label = f"-{t.success:.2f} absolute"
    b_sent, n_sent = sent(base), sent(new)
    if min(len(b_sent), len(n_sent)) < t.min_samples:
        yield _too_few(
            who,
            Metric.SUCCESS,
            "success rate",
            label,
            sizes=(len(b_sent), len(n_sent)),
            counted="sent jobs",
            need=t.min_samples,
        )
        return
    b_ok = sum(1 for r in b_sent if r.outcome == "ok")
    n_ok = sum(1 for r in n_sent if r.outcome == "ok")
    diff = fisher_drop(b_ok, len(b_sent), n_ok, len(n_sent))
    yield Check(
        provider=who[0],
        model=who[1],
        metric=Metric.SUCCESS,
        statistic="success rate",
        verdict=Ruling.OK,
        threshold=label,
        change=diff.delta,
        difference=diff,
        unit="rate",
        beyond=-diff.delta > t.success,
    )


def _shifted(
    view: ShiftView, base: Requests, new: Requests, t: GateThresholds, who: tuple[str, str]
) -> Iterable[Check]:
    """A check's own test (`harness.checks.views`), where both runs measured its figure on this model: is NEW's
    later?"""
    b, n = floats(view.value(r) for r in base), floats(view.value(r) for r in new)
    if not b or not n:
        return
    size = t.declared[view.threshold]
    label = f"+{size:g} {view.unit} absolute"
    if min(len(b), len(n)) < t.min_samples:
        yield _too_few(
            who,
            Metric(view.metric),
            view.statistic,
            label,
            sizes=(len(b), len(n)),
            counted=view.measured,
            need=t.min_samples,
        )
        return
    diff = mann_whitney_greater(b, n)
    yield Check(
        provider=who[0],
        model=who[1],
        metric=Metric(view.metric),
        statistic=view.statistic,
        verdict=Ruling.OK,
        threshold=label,
        change=diff.delta,
        difference=diff,
        unit=view.unit,
        beyond=diff.delta > size,
    )


def _own(base: Requests, new: Requests, t: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    """Every registered check's own test (`harness.checks.views`)."""
    for _, views in with_views():
        if views.shift is not None:
            yield from _shifted(views.shift, base, new, t, who)


def violation_kinds(errors: Iterable[ErrorEntry], provider: str, model: str) -> set[str]:
    """Contract violations of one provider × model as "phase rule pointer" strings."""
    kinds = set()
    for row in errors:
        if row.error_class != "contract" or (row.provider, row.model) != (provider, model):
            continue
        violations = json_list(row.detail_json) or [{}]
        for v in violations:
            kinds.add(f"{row.phase} {v.get('rule', '')} {v.get('pointer', '')}".strip())
    return kinds


def _contract(base: RunRows, new: RunRows, who: tuple[str, str]) -> Iterable[Check]:
    fresh = sorted(violation_kinds(new.errors, *who) - violation_kinds(base.errors, *who))
    verdict = Ruling.REGRESSION if fresh else Ruling.OK
    yield Check(
        provider=who[0],
        model=who[1],
        metric=Metric.CONTRACT,
        statistic="new contract violations",
        verdict=verdict,
        threshold="any new kind",
        change=float(len(fresh)),
        details=tuple(fresh),
    )


def _run_tested(base: RunRows, new: RunRows, t: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    """Every check's own test of both runs' rows (`harness.checks.views.RunTest`: its evidence the run's, not a
    job's), each statistic it gives this offering: too few to test, or tested one-sided (Holm over the comparison)."""
    for _, views in with_views():
        if (view := views.run_test) is None:
            continue
        size = t.declared[view.threshold]
        for tested in view.judge(base, new, who, size, t.min_samples):
            short = Check(
                provider=who[0],
                model=who[1],
                metric=Metric(view.metric),
                statistic=tested.statistic,
                verdict=Ruling.INSUFFICIENT,
                threshold=view.said(size),
                change=None,
                details=(tested.short,),
            )
            if tested.short:
                yield short
                continue
            delta = tested.change
            diff = Difference(
                base=tested.base,
                new=tested.new,
                delta=delta,
                lower_bound=math.nan,
                p_value=tested.p_value,
                method=view.test,
            )
            yield replace(
                short,
                verdict=Ruling.OK,
                change=delta,
                difference=diff,
                details=tested.details,
                unit=view.unit,
                beyond=tested.beyond,
            )


def _languages(base: RunRows, new: RunRows, t: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    """Each language other than English both runs scored for this model: its error rate
    (harness.measurement.languages)."""
    verdicts = shipped_language_verdicts()

    def of(rows: RunRows) -> dict[str, LanguageFigures]:
        mine = [r for r in rows.requests if (r.provider, r.model) == who]
        return {f.language: f for f in language_figures(mine, verdicts) if f.language != "en"}

    before, after = of(base), of(new)
    for language in sorted(set(before) & set(after)):
        yield from _language_rate(base, new, t, who, language, after[language])


def _ruled(base: RunRows, new: RunRows, who: tuple[str, str]) -> Iterable[Check]:
    """Every registered check's own rule, run against run (`harness.checks.views`), where NEW has its figures on this
    model (each part apart, matched with BASE's of that part: a language asked): a regression where the rule says
    NEW is worse than BASE (deterministic findings: no test); insufficient data where the rule says it cannot judge."""

    def of(rows: RunRows, views: OwnViews) -> tuple[OwnFigures, ...]:
        return views.figures([r for r in rows.requests if (r.provider, r.model) == who])

    for _, views in with_views():
        if (view := views.compared) is None:
            continue
        before = {one.part: one for one in of(base, views)}
        for after in of(new, views):
            judged = view.judge(before.get(after.part), after)
            if judged is None:
                continue
            verdict = Ruling.INSUFFICIENT if not judged.judged else Ruling.REGRESSION if judged.worse else Ruling.OK
            yield Check(
                provider=who[0],
                model=who[1],
                metric=Metric(view.metric),
                statistic=judged.statistic or view.statistic,
                verdict=verdict,
                threshold=view.threshold,
                change=judged.change,
                details=judged.details,
                unit=judged.unit,
                beyond=judged.worse,
            )


def _checks(base: Requests, new: Requests) -> Iterable[Check]:
    """Every registered check's change, as its declaration judges it (`harness.checks.changes_between`); a check
    with too few clips both runs spoke is insufficient data, never a regression."""
    for change in changes_between(base, new):
        verdict = Ruling.INSUFFICIENT if not change.judged else Ruling.REGRESSION if change.beyond else Ruling.OK
        yield Check(
            provider=change.provider,
            model=change.model,
            metric=Metric.CHECKS,
            statistic=f"{change.check.title.lower()}: {change.field.label} (paired ratio)",
            verdict=verdict,
            threshold=f"{change.rule.relative:.0%} relative, interval excluding no change",
            change=change.ratio - 1.0,
            details=(change.describe(),),
            beyond=change.beyond,
        )


def _counted(base: Requests, new: Requests) -> Iterable[Check]:
    """Every registered counted check's change (`harness.checks.counted_change`): NEW's figure against BASE's by the
    check's rule, deterministic (no test), under the rule's own metric; nothing where NEW has none to judge."""
    for check in counted_checks():
        change = counted_change(check, base, new)
        if change is None or not change.present:
            continue
        before, after = change.before_value, change.after_value
        yield Check(
            provider=change.after.provider,
            model=change.after.model,
            metric=Metric(change.rule.name),
            statistic=change.rule.statistic or change.field.label,
            verdict=Ruling.REGRESSION if change.worse else Ruling.OK,
            threshold=change.threshold(),
            change=(after or 0.0) - (before or 0.0)
            if change.rule.test in (ChangeTest.ROSE, ChangeTest.FELL)
            else after,
            details=change.details(),
            unit="rate" if change.field.unit == "share" else "",
            beyond=change.worse,
        )


def _language_rate(
    base: RunRows, new: RunRows, t: GateThresholds, who: tuple[str, str], language: str, figure: LanguageFigures
) -> Iterable[Check]:
    """A language's pooled rate in its unit, tested by each check's ratio test over the language's clips (the test
    of the statistic named for the unit's rate: "pooled CER" for ja); not judgeable: said, never tested."""
    statistic = f"pooled {figure.unit.rate_name}"
    for _, view in _ratio_tests():
        if figure.not_judgeable_by:
            yield Check(
                provider=who[0],
                model=who[1],
                metric=Metric.LANGUAGE,
                statistic=f"{statistic} ({language})",
                verdict=Ruling.INSUFFICIENT,
                threshold=view.said(t.declared[view.threshold]),
                change=None,
                details=(
                    f"not judgeable by {figure.not_judgeable_by}"
                    + (f"; {figure.larger} would" if figure.larger else "")
                    + " (docs/languages.md)",
                ),
            )
            continue

        def spoken(rows: RunRows) -> list[RequestRow]:
            return [r for r in rows.requests if (r.provider, r.model) == who and str(r.language) == language]

        clips = {name: (b, n) for name, b, n in view.ratios(spoken(base), spoken(new))}.get(statistic, ((), ()))
        yield _ratio_check(view, Metric.LANGUAGE, f"{statistic} ({language})", clips, t, who)


def compare_runs(
    base: RunRows,
    new: RunRows,
    fail_on: Iterable[Metric] = tuple(Metric),
    thresholds: GateThresholds | None = None,
) -> Comparison:
    t = thresholds or GateThresholds()
    base_groups, new_groups = group(base.requests), group(new.requests)
    runs_said = run_notes(base), run_notes(new)  # what each check of the runs' own measuring says of them
    checks: list[Check] = []
    for who in sorted(set(base_groups) & set(new_groups)):
        b, n = base_groups[who], new_groups[who]
        checks.extend(_rises(b, n, t, who, runs_said))
        checks.extend(_ratio_tested(b, n, t, who))
        checks.extend(_cost(b, n, t, who))
        checks.extend(_success(b, n, t, who))
        checks.extend(_contract(base, new, who))
        checks.extend(_curve(b, n, t, who, runs_said))
        checks.extend(_run_tested(base, new, t, who))
        checks.extend(_languages(base, new, t, who))
        checks.extend(_ruled(base, new, who))
        checks.extend(_own(b, n, t, who))
        checks.extend(_counted(b, n))
        checks.extend(_checks(b, n))
    notes = [f"{p}/{m} only in BASE: not compared" for p, m in sorted(set(base_groups) - set(new_groups))]
    notes += [f"{p}/{m} only in NEW: not compared" for p, m in sorted(set(new_groups) - set(base_groups))]
    notes += [
        f"{side}: {line}"
        for side, said in (("BASE", runs_said[0]), ("NEW", runs_said[1]))
        if (line := named(note for _, note in said))
    ]
    notes += [
        f"NEW ended jobs with what no BASE job ended with: {seen.label}, {seen.jobs} job"
        f"{'s' if seen.jobs != 1 else ''}, {seen.error_class}: {seen.message}"
        for seen in newly_ended_by(base, new)
    ]
    if base.region != new.region:  # measured from different places: a latency change may be the path, not the provider
        notes.append(
            f"the runs left from different regions: BASE {base.region or 'unlabelled'}, "
            f"NEW {new.region or 'unlabelled'}"
        )
    return Comparison(
        base_run=base.run_id,
        new_run=new.run_id,
        thresholds=t,
        fail_on=frozenset(fail_on),
        checks=tuple(_adjusted(checks, t.alpha)),
        notes=tuple(notes),
        base_region=base.region,
        new_region=new.region,
    )


def parse_metrics(text: str) -> frozenset[Metric]:
    chosen = set()
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            chosen.add(Metric(part))
        except ValueError:
            said = not_known("metric", [part], list(Metric))
            raise UsageError(f"{said} in --fail-on; choose from {', '.join(Metric)}") from None
    return frozenset(chosen)


def _number(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) and abs(value) >= 100 else f"{value:.4g}"


def _describe(check: Check) -> str:
    d = check.difference
    if d is None:
        return "; ".join(check.details) or check.verdict.value
    change = "n/a" if check.change is None else (f"{check.change:+.1%}" if check.relative else f"{check.change:+.4f}")
    shift = f"{_number(d.base)} -> {_number(d.new)} ({change}; threshold {check.threshold})"
    adjusted = f", Holm {check.p_adjusted:.3g}" if check.p_adjusted is not None else ""
    said = "".join(f"; {detail}" for detail in check.details)
    return f"{shift}, p = {d.p_value:.3g}{adjusted} [{d.method}]{said}"


def render_text(comparison: Comparison) -> str:
    def at(region: str | None) -> str:
        return f" from {region}" if region else ""

    lines = [
        f"compare {comparison.base_run} (BASE{at(comparison.base_region)}) -> {comparison.new_run} "
        f"(NEW{at(comparison.new_region)})"
    ]
    for check in comparison.checks:
        gated = "" if check.metric in comparison.fail_on else " (not gated)"
        verdict = check.verdict.value.upper()
        lines.append(f"{verdict:17} {check.label:28} {check.statistic:24} {_describe(check)}{gated}")
    lines.extend(f"note: {note}" for note in comparison.notes)
    lines.append(comparison.verdict)
    return "\n".join(lines)


def to_junit(comparison: Comparison) -> str:
    """JUnit XML: one test case per check, a failure per gated regression (CI systems render these)."""
    suite = ElementTree.Element(
        "testsuite",
        name="tts-harness compare",
        tests=str(len(comparison.checks)),
        failures=str(len(comparison.regressions)),
        skipped=str(sum(1 for c in comparison.checks if c.verdict is Ruling.INSUFFICIENT)),
    )
    for check in comparison.checks:
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"compare.{check.provider}.{check.model}", name=check.statistic
        )
        if check.verdict is Ruling.REGRESSION and check.metric in comparison.fail_on:
            failure = ElementTree.SubElement(case, "failure", message=f"{check.metric.value} regression")
            failure.text = _describe(check)
        elif check.verdict is Ruling.INSUFFICIENT:
            ElementTree.SubElement(case, "skipped", message=_describe(check))
        else:
            ElementTree.SubElement(case, "system-out").text = _describe(check)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)
