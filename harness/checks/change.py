"""A check's change between two runs of an offering, judged as its declaration's `ChangeRule` says: the clips both
runs spoke (same item, same repeat) paired, the mean of log(new / before) with Student's t interval
(`harness.measurement`'s `score_mean_interval`: the log ratio of one voice's clips is light-tailed), a change when
the ratio passes the declared relative size, the worse way where the field says which way is better, and the
interval excludes no change. Pairing takes the text out: a sentence read fast in both runs does not hide a slower
voice. `compare` and `history`'s gate both ask this, for every registered check with a rule."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from harness.checks.pooled import clip_readings
from harness.checks.registry import DeclaredCheck, registered
from harness.core.checks import Better, ChangeRule, CheckDeclaration, CheckField
from harness.measurement import score_mean_interval
from harness.results import RequestRow, group


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckChange:
    """A check's field of one offering, BASE (the run before) against NEW: the paired ratio and its interval."""

    provider: str
    model: str
    check: CheckDeclaration
    field: CheckField
    rule: ChangeRule
    ratio: float  # new / before, the geometric mean over the pairs
    low: float | None  # its 95% interval (None: fewer than two pairs, or no spread to measure)
    high: float | None
    pairs: int
    before_value: float  # the field's mean over the paired clips, each run
    new_value: float

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def judged(self) -> bool:
        return self.pairs >= self.rule.min_pairs

    @property
    def beyond(self) -> bool:
        """The change passes the rule: its size, its direction where one is worse, and its interval."""
        if not self.judged or self.low is None or self.high is None:
            return False
        size = self.ratio - 1.0
        worse = {Better.HIGHER: size < 0, Better.LOWER: size > 0, Better.NEITHER: True}[self.field.better]
        return worse and abs(size) > self.rule.relative and (self.low > 1.0 or self.high < 1.0)

    def describe(self, before_run: str = "BASE", new_run: str = "NEW") -> str:
        interval = ("" if self.low is None or self.high is None
                    else f" (95% {self.low - 1:+.1%} to {self.high - 1:+.1%})")
        digits = self.field.decimals
        return (f"{self.label} {self.check.title.lower()}: {self.field.label} {self.before_value:.{digits}f}"
                f" in run {before_run} -> {self.new_value:.{digits}f} in run {new_run}, "
                f"{self.ratio - 1:+.1%}{interval} over {self.pairs} clips both spoke")


def _by_clip(check: DeclaredCheck, item: CheckField, requests: Sequence[RequestRow]) -> dict[tuple[str, int], float]:
    return {(request.item_id, request.repeat): value for request, clip in clip_readings(check, requests)
            if (value := clip.values.get(item.name)) is not None and value > 0}


def paired_change(check: DeclaredCheck, who: tuple[str, str], before: Sequence[RequestRow], new: Sequence[RequestRow]
                  ) -> CheckChange | None:
    """The change of the check's judged field from `before` to `new` (one offering's requests each); None where the
    check declares no rule or no clip was measured by both runs."""
    rule = check.declaration.change
    if rule is None:
        return None
    item = check.declaration.field_named(rule.field)
    old, fresh = _by_clip(check, item, before), _by_clip(check, item, new)
    both = sorted(set(old) & set(fresh))
    if not both:
        return None
    logs = np.log(np.asarray([fresh[key] / old[key] for key in both], dtype=np.float64))
    mean, low, high, pairs = score_mean_interval(logs)
    bounded = math.isfinite(low) and math.isfinite(high)
    return CheckChange(provider=who[0], model=who[1], check=check.declaration, field=item, rule=rule,
                       ratio=math.exp(mean), low=math.exp(low) if bounded else None,
                       high=math.exp(high) if bounded else None, pairs=pairs,
                       before_value=float(np.mean([old[key] for key in both])),
                       new_value=float(np.mean([fresh[key] for key in both])))


def changes_between(before: Sequence[RequestRow], new: Sequence[RequestRow],
                    checks: Sequence[DeclaredCheck] | None = None) -> tuple[CheckChange, ...]:
    """Every registered check's change for each offering both runs ran, judged or not (`beyond` says which passed
    its rule)."""
    old, fresh = group(before), group(new)
    found = []
    for who in sorted(set(old) & set(fresh)):
        for check in registered() if checks is None else checks:
            change = paired_change(check, who, old[who], fresh[who])
            if change is not None:
                found.append(change)
    return tuple(found)
