"""What a provider's timestamps are worth, learned across the run rather than read off one value.

A stamp printed `…:20.000Z` is not millisecond-precise because it has three digits: a provider's documents
may print `completed_at` that way at whole seconds. So a field's resolution is a property of the field,
learned from every value the run has seen: until one shows a fraction other than zeros, it is taken as
whole seconds (the safe side: an interval too wide still holds the truth, one too narrow does not).

The server's clock is not ours. Every submit brackets `created_at` between our request going out and
its answer coming back; each job so gives the offset (server clock − our wall clock) to within that
bracket widened by the stamp's resolution, and the run's offset is the intersection of all of them.
Completions seen between two polls bound it too, and, spread over the run, narrow it faster than submits
that went out together. Stamps without a zone (`2026-05-22 13:19:23`) are placed on our clock with that
offset; if one lands whole quarter-hours away from where the polls saw the job finish, its zone is learned from that.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from harness.core.timestamps import parse_timestamp

_FRACTION = re.compile(r"[T ]\d{2}:\d{2}:\d{2}(?:\.(\d+))?")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
ZONE_STEP_S = 900.0  # time zones are whole quarter-hours from UTC


def is_zoned(raw: str) -> bool:
    return bool(_ZONE.search(raw.strip()))


@dataclass(slots=True)
class FieldStamps:
    """One field of one provider (say a status body's `completed_at`): the finest resolution its values show."""

    digits: int = 0  # most fractional digits of any value whose fraction was not all zeros
    values: int = 0

    def observe(self, raw: str) -> None:
        match = _FRACTION.search(raw)
        if match is None:
            return
        self.values += 1
        fraction = match.group(1) or ""
        if fraction.strip("0"):
            self.digits = max(self.digits, len(fraction))

    @property
    def resolution(self) -> float:
        """Seconds between the values this field can print."""
        return 10.0**-self.digits if self.digits else 1.0


@dataclass(slots=True)
class ClockOffset:
    """server clock − our wall clock (seconds), as the interval every submit so far allows."""

    low: float = -math.inf
    high: float = math.inf
    jobs: int = 0
    resets: int = 0  # constraints that contradicted the others: the server's clock stepped

    def observe(self, low: float, high: float) -> None:
        if self.jobs and (low > self.high or high < self.low):
            self.low, self.high, self.resets = low, high, self.resets + 1
        else:
            self.low, self.high = max(self.low, low), min(self.high, high)
        self.jobs += 1

    def narrow(self, low: float, high: float) -> None:
        """A weaker kind of evidence (a completion seen between two polls): it narrows the interval the
        submits allow, but never starts a new one; one that contradicts them is ignored."""
        if self.jobs and low <= self.high and high >= self.low:
            self.low, self.high = max(self.low, low), min(self.high, high)

    @property
    def known(self) -> bool:
        return self.jobs > 0

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


class Convention(StrEnum):
    """How a clock that stores coarser than it reads prints an instant."""

    TRUNCATE = "truncate"  # 13:19:23.9 -> 13:19:23 (most clocks, `strftime`)
    ROUND = "round"  # 13:19:23.9 -> 13:19:24 (a `DATETIME(0)` column)


# Completions that only one convention cannot explain before the run believes the other. One is enough:
# every bound on the true convention's offset is a bracket that held (a submit, a completion between two
# polls), so the true convention always fits; only a stepped clock can make it seem not to, and then the
# evidence against both reopens the question (`conventions`).
REFUTED_AFTER = 1


def stamp_bounds(printed: float, resolution: float, convention: Convention) -> tuple[float, float]:
    """The true instants (epoch seconds) a stamp printed as `printed` may stand for."""
    if convention is Convention.TRUNCATE:
        return printed, printed + resolution
    return printed - resolution / 2, printed + resolution / 2


@dataclass(slots=True, kw_only=True)
class ProviderStamps:
    """Everything learned about one provider's stamps.

    Truncation and rounding are two hypotheses carried side by side, each with the clock offset it
    implies (`offsets`: server clock − our wall clock). A completion seen between two polls that one
    convention cannot place there and the other can counts against the first; after `REFUTED_AFTER`
    such completion (and none against the other) the other is the provider's convention. Until then
    every figure is the union of what each hypothesis allows, so the interval covers both. A provider
    may declare its convention (`declared`), which ends the question before it is asked.

    When every field prints at the same resolution the two hypotheses differ only by a constant the
    offset absorbs, so their figures agree and nothing is lost by not knowing; the question matters when
    fields mix resolutions (a millisecond `created_at` beside a whole-second `completed_at`), and that
    is exactly when completions can answer it.
    """

    fields: dict[str, FieldStamps] = field(default_factory=dict)
    offsets: dict[Convention, ClockOffset] = field(default_factory=lambda: {c: ClockOffset() for c in Convention})
    refuted: dict[Convention, int] = field(default_factory=lambda: dict.fromkeys(Convention, 0))
    declared: Convention | None = None
    zone_shift_s: float = 0.0  # zone-less stamps read as UTC are this far ahead of the zoned clock
    zone_known: bool = False  # a zone-less stamp has been placed against the zoned clock

    def observe(self, name: str, raw: str | None) -> None:
        if raw:
            self.fields.setdefault(name, FieldStamps()).observe(raw)

    def resolution(self, name: str) -> float:
        history = self.fields.get(name)
        return history.resolution if history is not None else 1.0

    @property
    def conventions(self) -> tuple[Convention, ...]:
        """The conventions the run cannot yet rule out (one, once known or declared)."""
        if self.declared is not None:
            return (self.declared,)
        for one, other in ((Convention.TRUNCATE, Convention.ROUND), (Convention.ROUND, Convention.TRUNCATE)):
            if self.refuted[other] >= REFUTED_AFTER and self.refuted[one] == 0:
                return (one,)
        return tuple(Convention)

    @property
    def convention(self) -> Convention | None:
        alive = self.conventions
        return alive[0] if len(alive) == 1 else None

    def epoch(self, raw: str) -> float | None:
        """A stamp as epoch seconds on the zoned clock (a zone-less one moved by the learned zone)."""
        stamp = parse_timestamp(raw)
        if stamp is None:
            return None
        return stamp.timestamp() if is_zoned(raw) else stamp.timestamp() - self.zone_shift_s

    def bounds(self, name: str, raw: str, convention: Convention) -> tuple[float, float] | None:
        """The true server instants (epoch seconds, zoned clock) stamp `raw` of field `name` stands for.

        The convention in question is that of the whole-second fields. A finer field covers both: its
        half resolution is not worth a hypothesis, and it may not share the coarse field's convention (an
        application clock truncates `created_at` to the millisecond while a `DATETIME(0)` column rounds
        `completed_at`); read under the wrong one, it would move the clock offset by up to half its
        resolution, and every completion placed by that offset with it."""
        printed = self.epoch(raw)
        if printed is None:
            return None
        resolution = self.resolution(name)
        if resolution < 1.0:
            return printed - resolution / 2, printed + resolution
        return stamp_bounds(printed, resolution, convention)

    def completion_offsets(self) -> dict[Convention, ClockOffset]:
        """Per convention still possible (and learned), the clock offset as the completion stamps see it:
        what they print is the truncation of our wall clock plus this (a clock that rounds prints the
        truncation of a clock half a resolution ahead). With a millisecond `created_at` beside whole-second
        completions the two conventions put the server's seconds half a second apart; with whole seconds
        everywhere their offsets differ by that half, and the shift makes them agree."""
        half = self.resolution("completed") / 2
        return {
            c: ClockOffset(o.low + shift, o.high + shift, o.jobs, o.resets)
            for c in self.conventions
            if (o := self.offsets[c]).known
            for shift in ((half if c is Convention.ROUND else 0.0),)
        }

    @property
    def offset(self) -> ClockOffset:
        """`completion_offsets`' union over the conventions still possible."""
        shifted = list(self.completion_offsets().values())
        if not shifted:
            return ClockOffset()
        return ClockOffset(
            min(o.low for o in shifted),
            max(o.high for o in shifted),
            min(o.jobs for o in shifted),
            max(o.resets for o in shifted),
        )

    def observe_submit(self, created: str, sent_wall: float, received_wall: float) -> None:
        """A job's `created_at` was stamped while our submit was in flight, between sent and received."""
        self.observe("created", created)
        for convention in Convention:
            bounds = self.bounds("created", created, convention)
            if bounds is not None:
                self.offsets[convention].observe(bounds[0] - received_wall, bounds[1] - sent_wall)

    def observe_completion(self, completed: str, after_wall: float, before_wall: float) -> None:
        """The job was seen unfinished at `after_wall` and finished at `before_wall`, and stamped its
        completion in between: another bound on the server's clock. Submits share one phase when many go
        out at once; completions are spread over the run, so stamps at whole seconds pin the clock sooner.
        A completion one convention cannot place and the other can is evidence against the first.
        Zone-less stamps are left out until their zone is known: it is learned from this very offset."""
        if not is_zoned(completed) and not self.zone_known:
            return
        fits: dict[Convention, bool] = {}
        for convention in Convention:
            bounds, offset = self.bounds("completed", completed, convention), self.offsets[convention]
            if bounds is None or not offset.known:
                return
            low, high = bounds[0] - before_wall, bounds[1] - after_wall
            fits[convention] = low <= offset.high and high >= offset.low
            offset.narrow(low, high)
        if fits[Convention.TRUNCATE] != fits[Convention.ROUND]:
            self.refuted[Convention.TRUNCATE if not fits[Convention.TRUNCATE] else Convention.ROUND] += 1

    def learn_zone(self, naive_epoch: float, client_low_wall: float, client_high_wall: float) -> bool:
        """A zone-less stamp that the offset puts whole quarter-hours from where the polls saw the event
        teaches the zone; returns whether the shift changed."""
        offset = self.offsets[self.conventions[0]]
        if not offset.known:
            return False
        placed = naive_epoch - self.zone_shift_s - offset.middle
        middle = (client_low_wall + client_high_wall) / 2
        steps = round((placed - middle) / ZONE_STEP_S)
        self.zone_known = True
        if steps == 0:
            return False
        self.zone_shift_s += steps * ZONE_STEP_S
        return True


@dataclass(slots=True)
class StampBook:
    """Per provider, for one run."""

    providers: dict[str, ProviderStamps] = field(default_factory=dict)

    def of(self, provider: str) -> ProviderStamps:
        return self.providers.setdefault(provider, ProviderStamps())
