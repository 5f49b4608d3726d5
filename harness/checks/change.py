"""A check's change between two runs of an offering, judged as its declaration's `ChangeRule` says: the clips both
runs spoke (same item, same repeat) paired, the mean of log(new / before) with Student's t interval
(`harness.measurement`'s `score_mean_interval`: the log ratio of one voice's clips is light-tailed), a change when
the ratio passes the declared relative size, the worse way where the field says which way is better, and the
interval excludes no change. Pairing takes the text out: a sentence read fast in both runs does not hide a slower
voice. `compare` and `history`'s gate both ask this, for every registered check with a rule.

A counted check's change (`ChangeRule.counted`: its findings are deterministic) is judged run against run instead:
the newest run's (NEW's) offering against the run before's (BASE's), no pairs and no test (`counted_change`), and
said in the words its declaration gives."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from harness.checks.pooled import OfferingCheck, clip_readings, counted_value, offering_checks
from harness.checks.registry import DeclaredCheck, generic
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField
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
        interval = (
            "" if self.low is None or self.high is None else f" (95% {self.low - 1:+.1%} to {self.high - 1:+.1%})"
        )
        digits = self.field.decimals
        return (
            f"{self.label} {self.check.title.lower()}: {self.field.label} {self.before_value:.{digits}f}"
            f" in run {before_run} -> {self.new_value:.{digits}f} in run {new_run}, "
            f"{self.ratio - 1:+.1%}{interval} over {self.pairs} clips both spoke"
        )


def _by_clip(check: DeclaredCheck, item: CheckField, requests: Sequence[RequestRow]) -> dict[tuple[str, int], float]:
    return {
        (request.item_id, request.repeat): value
        for request, clip in clip_readings(check, requests)
        if (value := clip.values.get(item.name)) is not None and value > 0
    }


def paired_change(
    check: DeclaredCheck, who: tuple[str, str], before: Sequence[RequestRow], new: Sequence[RequestRow]
) -> CheckChange | None:
    """The change of the check's judged field from `before` to `new` (one offering's requests each); None where the
    check declares no rule or no clip was measured by both runs."""
    rule = check.declaration.change
    if rule is None or rule.counted:
        return None
    item = check.declaration.field_named(rule.field)
    old, fresh = _by_clip(check, item, before), _by_clip(check, item, new)
    both = sorted(set(old) & set(fresh))
    if not both:
        return None
    logs = np.log(np.asarray([fresh[key] / old[key] for key in both], dtype=np.float64))
    mean, low, high, pairs = score_mean_interval(logs)
    bounded = math.isfinite(low) and math.isfinite(high)
    return CheckChange(
        provider=who[0],
        model=who[1],
        check=check.declaration,
        field=item,
        rule=rule,
        ratio=math.exp(mean),
        low=math.exp(low) if bounded else None,
        high=math.exp(high) if bounded else None,
        pairs=pairs,
        before_value=float(np.mean([old[key] for key in both])),
        new_value=float(np.mean([fresh[key] for key in both])),
    )


def changes_between(
    before: Sequence[RequestRow], new: Sequence[RequestRow], checks: Sequence[DeclaredCheck] | None = None
) -> tuple[CheckChange, ...]:
    """Every registered check's change for each offering both runs ran, judged or not (`beyond` says which passed
    its rule)."""
    old, fresh = group(before), group(new)
    found = []
    for who in sorted(set(old) & set(fresh)):
        for check in generic() if checks is None else checks:
            change = paired_change(check, who, old[who], fresh[who])
            if change is not None:
                found.append(change)
    return tuple(found)


@dataclass(frozen=True, slots=True, kw_only=True)
class CountedChange:
    """A counted check of one offering, its newest run (NEW) against the run before that had it (BASE; None: none
    did), judged by the check's rule (`ChangeRule.worse`)."""

    after: OfferingCheck
    before: OfferingCheck | None

    @property
    def check(self) -> CheckDeclaration:
        return self.after.check

    @property
    def rule(self) -> ChangeRule:
        assert self.check.change is not None  # only a check with a counted rule is judged so
        return self.check.change

    @property
    def field(self) -> CheckField:
        return self.check.field_named(self.rule.field)

    @property
    def before_value(self) -> float | None:
        return counted_value(self.before, self.rule.field)

    @property
    def after_value(self) -> float | None:
        return counted_value(self.after, self.rule.field)

    @property
    def worse(self) -> bool:
        return self.rule.worse(self.before_value, self.after_value)

    @property
    def label(self) -> str:
        return self.after.label

    @property
    def present(self) -> bool:
        """Whether NEW has anything the rule could flag (a NEWLY rule's figure is none where NEW has none; a FELL
        rule's nothing where BASE has no figure to fall from)."""
        if self.rule.test is ChangeTest.FELL:
            return self.before_value is not None
        return self.rule.test is not ChangeTest.NEWLY or bool(self.after_value)

    def counted_kinds(self, side: OfferingCheck | None) -> dict[str, int]:
        """A side's findings counted by kind (the named ones are said apart)."""
        if side is None:
            return {}
        return {
            kind: count
            for kind, count in side.findings.items()
            if not ((declared := self.check.finding_named(kind)) and declared.named)
        }

    def named_line(self) -> tuple[str, str]:
        """The named kind of finding the rule flags, and NEW's first clip's line of it."""
        kind = next((item.kind for item in self.check.findings if item.named), self.field.label)
        return kind, self.after.lines.get(kind, "")

    def _said(self, value: float | None) -> str:
        """A ratio's value with its unit and what it is of ("5.0 a minute of streamed audio")."""
        digits = self.field.decimals
        of = self.check.field_named(self.field.of[1]).label if self.field.of else ""
        return f"{value or 0.0:.{digits}f} {self.field.unit}" + (f" of {of}" if of else "")

    def _parts(self, side: OfferingCheck | None) -> str:
        """A ratio's two totals ("1/2"), or its value where it is no ratio."""
        if self.field.of:
            over, under = (counted_value(side, name) or 0.0 for name in self.field.of)
            return f"{over:.0f}/{under:.0f}"
        return f"{counted_value(side, self.rule.field) or 0.0:.{self.field.decimals}f}"

    def describe(self, run_id: str, before_run: str | None) -> str:
        """The offering's change in `history`'s words: the newest run `run_id` against `before_run`."""
        if self.rule.test is ChangeTest.FELL:
            return (
                f"{self.label}: {self.field.label} {self._parts(self.after)} in run {run_id}, "
                f"{self._parts(self.before)} in run {before_run}"
            )
        if self.rule.test is ChangeTest.NEWLY:
            kind, line = self.named_line()
            return f"{self.label}: {kind} in run {run_id}: {line}"
        counted = self.check.field_named(self.field.of[0]).label if self.field.of else self.field.label
        since = (
            f"from {self.before_value or 0.0:.{self.field.decimals}f} in run {before_run}"
            if before_run
            else "(no run before had it)"
        )
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.counted_kinds(self.after).items()))
        return f"{self.label}: {counted} rose to {self._said(self.after_value)} in run {run_id} {since} ({kinds})"

    def details(self) -> tuple[str, ...]:
        """BASE and NEW in `compare`'s words."""
        if self.rule.test is ChangeTest.FELL:
            return f"BASE {self._parts(self.before)}", f"NEW {self._parts(self.after)}"
        if self.rule.test is ChangeTest.NEWLY:
            kind, line = self.named_line()
            return (f"NEW {kind}: {line}",)

        def said(side: str, one: OfferingCheck | None) -> str:
            value = counted_value(one, self.rule.field)
            nothing = self.check.field_named(self.field.of[1]).label if self.field.of else self.field.label
            return f"{side}: " + (
                f"no {nothing}"
                if value is None
                else f"{value:.{self.field.decimals}f} "
                f"{self.field.unit} {dict(sorted(self.counted_kinds(one).items())) or ''}".rstrip()
            )

        return said("BASE", self.before), said("NEW", self.after)

    def threshold(self) -> str:
        if self.rule.test is ChangeTest.NEWLY:
            return "any, where BASE had none"
        if self.rule.test is ChangeTest.FELL and not (self.rule.absolute or self.rule.relative):
            return "any fall"
        if self.rule.test is ChangeTest.FELL:
            return f"-{self.rule.absolute:g} {self.field.unit} and -{self.rule.relative:.0%}"
        return f"+{self.rule.absolute:g} {self.field.unit} and +{self.rule.relative:.0%}"


def counted_checks() -> tuple[DeclaredCheck, ...]:
    """The registered checks whose change is judged run against run."""
    return tuple(
        check for check in generic() if check.declaration.change is not None and check.declaration.change.counted
    )


def counted_change(
    check: DeclaredCheck, before: Sequence[RequestRow], new: Sequence[RequestRow]
) -> CountedChange | None:
    """A counted check's change from one offering's requests `before` to its `new` ones; None where NEW has no
    figure of it."""
    after = next(iter(offering_checks(new, [check])), None)
    if after is None:
        return None
    return CountedChange(after=after, before=next(iter(offering_checks(before, [check])), None))
