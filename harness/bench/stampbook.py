"""What a provider's timestamps are worth, learned across the run rather than read off one value.

A stamp printed `…:20.000Z` is not millisecond-precise because it has three digits: Pixazo's documents
print `completed_at` that way at whole seconds. So a field's resolution is a property of the field,
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

from harness.core.timestamps import parse_timestamp

_FRACTION = re.compile(r"[T ]\d{2}:\d{2}:\d{2}(?:\.(\d+))?")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
ZONE_STEP_S = 900.0  # time zones are whole quarter-hours from UTC


def is_zoned(raw: str) -> bool:
    return bool(_ZONE.search(raw.strip()))


@dataclass(slots=True)
class FieldStamps:
    """One field of one provider (say Pixazo's `completed_at`): the finest resolution its values show."""

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
        """Seconds a value of this field may lie after what it prints (stamps are truncated)."""
        return 10.0 ** -self.digits if self.digits else 1.0


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


@dataclass(slots=True)
class ProviderStamps:
    """Everything learned about one provider's stamps."""

    fields: dict[str, FieldStamps] = field(default_factory=dict)
    offset: ClockOffset = field(default_factory=ClockOffset)
    zone_shift_s: float = 0.0  # zone-less stamps read as UTC are this far ahead of the zoned clock

    def observe(self, name: str, raw: str | None) -> None:
        if raw:
            self.fields.setdefault(name, FieldStamps()).observe(raw)

    def resolution(self, name: str) -> float:
        history = self.fields.get(name)
        return history.resolution if history is not None else 1.0

    def observe_submit(self, created: str, sent_wall: float, received_wall: float) -> None:
        """A job's `created_at` was stamped while our submit was in flight, between sent and received."""
        stamp = parse_timestamp(created)
        if stamp is None:
            return
        self.observe("created", created)
        epoch = stamp.timestamp() if is_zoned(created) else stamp.timestamp() - self.zone_shift_s
        self.offset.observe(epoch - received_wall, epoch + self.resolution("created") - sent_wall)

    def observe_completion(self, completed: str, after_wall: float, before_wall: float) -> None:
        """The job was seen unfinished at `after_wall` and finished at `before_wall`, and stamped its
        completion in between: another bound on the server's clock. Submits share one phase when many go
        out at once; completions are spread over the run, so stamps at whole seconds pin the clock sooner.
        Zone-less stamps are left out: their zone is learned from this very offset."""
        stamp = parse_timestamp(completed)
        if stamp is None or not is_zoned(completed):
            return
        epoch = stamp.timestamp()
        self.offset.narrow(epoch - before_wall, epoch + self.resolution("completed") - after_wall)

    def learn_zone(self, naive_epoch: float, client_low_wall: float, client_high_wall: float) -> bool:
        """A zone-less stamp that the offset puts whole quarter-hours from where the polls saw the event
        teaches the zone; returns whether the shift changed."""
        if not self.offset.known:
            return False
        placed = naive_epoch - self.zone_shift_s - self.offset.middle
        middle = (client_low_wall + client_high_wall) / 2
        steps = round((placed - middle) / ZONE_STEP_S)
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
