"""Each offering's checks over a run: every registered check read on each of its clips and each field pooled as the
check declares (`Pooling`: the median between order statistics, or the mean with Student's t, both from
`harness.measurement`'s sample intervals; a counted field's total, ratio of totals or tally, with no interval), with
its findings counted. The summary, the report, `compare` and `history`
read these, never a check by name."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from harness.checks.registry import ClipCheck, DeclaredCheck, generic
from harness.core.checks import CheckDeclaration, CheckField, Pooling
from harness.measurement import quantile_interval_exact, score_mean_interval
from harness.results import RequestRow, group


@dataclass(frozen=True, slots=True)
class Pooled:
    """A field pooled over an offering's clips: the value, its 95% interval (None where none holds) and the clips."""

    value: float
    low: float | None
    high: float | None
    clips: int
    counts: tuple[tuple[float, int], ...] = ()  # a tally's values, each with the clips that gave it, first seen first

    def to_json(self, decimals: int) -> dict[str, Any]:
        def rounded(number: float | None) -> float | None:
            return None if number is None else round(number, decimals + 2)

        return {"value": rounded(self.value), "low": rounded(self.low), "high": rounded(self.high), "clips": self.clips}


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferingCheck:
    """One check of one offering over a run: each field pooled (absent: no clip measured it) and its findings."""

    provider: str
    model: str
    check: CheckDeclaration
    figures: dict[str, Pooled]
    findings: dict[str, int]  # kind -> how many times its clips raised it
    examples: dict[str, str]  # kind -> the first clip's line, after its item
    lines: dict[str, str] = field(default_factory=dict)  # kind -> the first clip's line as it said it
    first: int = 0  # the run's sequence number of the first clip it read something of (a face listing offerings in
    # the order the run first met them)

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "check": self.check.name,
            "version": self.check.version,
            **{
                self.check.key(item): self.figures[item.name].to_json(item.decimals)
                for item in self.check.fields
                if item.name in self.figures
            },
            "findings": dict(self.findings),
        }

    def counted_json(self) -> dict[str, Any]:
        """A counted check's figures as its summary's JSON gives them (its headed fields and those `in_json`): a
        count whole, a figure rounded as declared, None where the offering has none."""

        def said(item: CheckField) -> Any:
            found = self.figures.get(item.name)
            if found is None or item.json_digits is not None:
                return None if found is None else round(found.value, item.json_digits)
            return round(found.value) if item.pooling is Pooling.SUM and not item.decimals else found.value

        return {
            "provider": self.provider,
            "model": self.model,
            **{item.name: said(item) for item in self.check.fields if item.heading or item.in_json},
        }


def pool(values: Sequence[float], pooling: Pooling) -> Pooled | None:
    """`values` pooled as declared; None for no value."""
    if not values:
        return None
    if pooling is Pooling.TALLY:
        counts: dict[float, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return Pooled(float(len(values)), None, None, len(values), tuple(counts.items()))
    if pooling is Pooling.EVERY_VALUE_MEDIAN:
        return Pooled(float(statistics.median(values)), None, None, len(values))
    data = np.asarray(values, dtype=np.float64)
    if pooling is Pooling.MAX:
        return Pooled(float(data.max()), None, None, int(data.size))
    if pooling in (Pooling.SUM, Pooling.RATIO):  # a ratio pools its parts' totals (`_offering`), never its clips'
        return Pooled(float(data.sum()), None, None, int(data.size))
    if pooling is Pooling.GEOMETRIC_MEAN:
        data = data[data > 0]  # a rate of nothing has no logarithm (a check pooled so gives none)
        if not data.size:
            return None
        logged, low, high, size = score_mean_interval(np.log(data))
        value, low, high = math.exp(logged), math.exp(low), math.exp(high)  # NaN bounds stay NaN
    elif pooling is Pooling.MEDIAN:
        value, low, high, size = quantile_interval_exact(data, 0.5)
    else:
        value, low, high, size = score_mean_interval(data)
    if not math.isfinite(low) or not math.isfinite(high):
        return Pooled(value, None, None, size)
    return Pooled(value, low, high, size)


def clip_readings(check: DeclaredCheck, requests: Iterable[RequestRow]) -> list[tuple[RequestRow, ClipCheck]]:
    """The check's reading of each clip that came (an answer with its audio; every stored job where the check says
    so), in order."""
    every = not check.declaration.answers_only
    return [(request, check.measure(request)) for request in requests if every or request.outcome == "ok"]


def _ratio(item: CheckField, figures: dict[str, Pooled]) -> Pooled | None:
    """A ratio of two totals; None where the denominator's is none (no streamed audio: no rate of findings)."""
    over, under = (figures.get(name) for name in item.of)
    if over is None or under is None or not under.value:
        return None
    return Pooled(over.value / under.value, None, None, under.clips)


def _within(pooled: Pooled, bounds: tuple[float, float] | None) -> Pooled:
    """`pooled` with its interval clipped to the range its figure can take (`CheckField.bounds`)."""
    if bounds is None or pooled.low is None or pooled.high is None:
        return pooled
    return replace(pooled, low=max(pooled.low, bounds[0]), high=min(pooled.high, bounds[1]))


def _offering(check: DeclaredCheck, who: tuple[str, str], requests: Sequence[RequestRow]) -> OfferingCheck | None:
    readings = clip_readings(check, requests)
    figures: dict[str, Pooled] = {}
    for item in check.declaration.fields:
        pooled = (
            _ratio(item, figures)
            if item.pooling is Pooling.RATIO
            else pool(
                [value for _, clip in readings if (value := clip.values.get(item.name)) is not None]
                + [value for _, clip in readings for value in clip.samples.get(item.name, ())],
                item.pooling,
            )
        )
        if pooled is not None:
            figures[item.name] = _within(pooled, item.bounds)
    findings: dict[str, int] = {}
    examples: dict[str, str] = {}
    lines: dict[str, str] = {}
    for request, clip in readings:
        for kind, line in clip.findings:
            findings[kind] = findings.get(kind, 0) + 1
            examples.setdefault(kind, f"{request.item_id}: {line}")
            if line:
                lines.setdefault(kind, line)
    if not figures and not findings:
        return None
    first = min(
        (
            request.seq
            for request, clip in readings
            if clip.findings or any(value is not None for value in clip.values.values())
        ),
        default=0,
    )
    return OfferingCheck(
        provider=who[0],
        model=who[1],
        check=check.declaration,
        figures=figures,
        findings=findings,
        examples=examples,
        lines=lines,
        first=first,
    )


def offering_checks(
    requests: Sequence[RequestRow], checks: Sequence[DeclaredCheck] | None = None
) -> tuple[OfferingCheck, ...]:
    """Every check of every offering of a run's requests, offering by offering, checks in the registry's order;
    an offering none of whose clips a check could read has no entry for it (a face shows "—", never 0)."""
    found = []
    for who, members in sorted(group(requests).items()):
        for check in generic() if checks is None else checks:
            offering = _offering(check, who, members)
            if offering is not None:
                found.append(offering)
    return tuple(found)


def every_field(checks: Sequence[DeclaredCheck] | None = None) -> tuple[tuple[CheckDeclaration, CheckField], ...]:
    """Each registered check's fields with an interval (a counted check's are said apart), in order: the columns a
    face adds."""
    return tuple(
        (check.declaration, item)
        for check in (generic() if checks is None else checks)
        for item in check.declaration.fields
        if not item.pooling.counted
    )


def counted_value(offering: OfferingCheck | None, name: str) -> float | None:
    """A counted field's value for an offering; None where the offering has no such check or figure."""
    found = None if offering is None else offering.figures.get(name)
    return None if found is None else found.value


def counted_columns(checks: Sequence[DeclaredCheck] | None = None) -> tuple[tuple[CheckDeclaration, CheckField], ...]:
    """Each registered counted check's ratio fields, in order: the figure of it comparable between offerings (a
    total grows with the run), which the report, the leaderboard's JSON and `history`'s series show."""
    return tuple(
        (check.declaration, item)
        for check in (generic() if checks is None else checks)
        if check.declaration.counted
        for item in check.declaration.fields
        if item.pooling is Pooling.RATIO
    )


def said_with(form: str, offering: OfferingCheck | None) -> str | None:
    """`form` (a declared `shown` or `note` part) formatted with the offering's figures by name, each rounded as its
    JSON is (`json_digits`); None where it names one the offering has not."""
    if offering is None:
        return None
    digits = {item.name: item.json_digits for item in offering.check.fields}
    try:
        return form.format(
            **{
                name: pooled.value if (places := digits.get(name)) is None else round(pooled.value, places)
                for name, pooled in offering.figures.items()
            }
        )
    except KeyError:
        return None


def offering_value(offerings: Iterable[OfferingCheck], check: CheckDeclaration, item: CheckField) -> float | None:
    """A field's value among an offering's checks; None where its check or the figure is absent."""
    return counted_value(next((one for one in offerings if one.check.name == check.name), None), item.name)
