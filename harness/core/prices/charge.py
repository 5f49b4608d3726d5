"""The arithmetic of a price: what a request is planned to cost before it is sent, and what the provider's
answer says it billed. Every face (the plan, the budget, the dry run, `providers`, the report, `history`)
asks here; nothing else multiplies a rate (but `on_audio`, which re-prices the same rates on returned audio).

Before sending, a unit counted from the text (characters under the provider's rule, bytes, a request) is exact;
a unit of the answer is estimated, and stated as such with an upper bound the budget reserves:

- text tokens: the rate's documented characters a token (else 4, the usual rule of thumb for English BPE
  tokenisers), at most one token a UTF-8 byte (a token is at least one byte);
- seconds of audio: 15 characters a second of speech (English read aloud at about 150 words a minute), at most
  `SLOWEST_CHARS_PER_SECOND` (a slow, careful reading);
- audio tokens: those seconds at the rate's documented tokens a second (none documented: no estimate).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from harness.core.prices.sheet import WEAK_SOURCES, PriceSheet, Rate
from harness.core.prices.units import Counting, Unit, count

CHARS_PER_TOKEN = Decimal(4)
CHARS_PER_SECOND = Decimal(15)
SLOWEST_CHARS_PER_SECOND = Decimal(5)
STALE_AFTER_DAYS = 180  # a price read longer ago is marked stale on every face (`--price-max-age`)


@dataclass(frozen=True, slots=True)
class Quantity:
    unit: Unit
    count: Decimal
    upper: Decimal  # the most it can be (== count where it is counted or billed)
    how: str  # counted | estimated | billed

    @property
    def exact(self) -> bool:
        return self.how != "estimated"


@dataclass(frozen=True, slots=True, kw_only=True)
class Charge:
    """A request's cost under a sheet's rates: in the sheet's currency and in USD, with its upper bound."""

    amount: Decimal
    upper: Decimal
    currency: str
    usd: Decimal | None  # None: the sheet's currency has no dated conversion
    upper_usd: Decimal | None
    quantities: tuple[Quantity, ...]
    rates: tuple[Rate, ...]
    how: str  # one line: the rates times the quantities, and how each was had

    @property
    def estimated(self) -> bool:
        return any(not q.exact for q in self.quantities)


def text_quantities(text: str, counting: Counting, rates: Sequence[Rate]) -> dict[Unit, Quantity]:
    """What `rates` meter, counted or estimated from the text alone."""
    chars = Decimal(count(text, counting))
    plain = Decimal(len(text))
    utf8 = Decimal(len(text.encode("utf-8")))
    seconds = plain / CHARS_PER_SECOND
    slowest = plain / SLOWEST_CHARS_PER_SECOND
    found: dict[Unit, Quantity] = {}
    for rate in rates:
        unit = rate.metered
        if unit is Unit.CHARACTERS:
            found[unit] = Quantity(unit, chars, chars, "counted")
        elif unit is Unit.BYTES:
            found[unit] = Quantity(unit, utf8, utf8, "counted")
        elif unit is Unit.REQUESTS:
            found[unit] = Quantity(unit, Decimal(1), Decimal(1), "counted")
        elif unit is Unit.TEXT_TOKENS:
            per = rate.chars_per_token or CHARS_PER_TOKEN
            found[unit] = Quantity(unit, _ceil(plain / per), max(utf8, Decimal(1)), "estimated")
        elif unit is Unit.AUDIO_SECONDS:
            found[unit] = Quantity(unit, seconds, slowest, "estimated")
        elif unit is Unit.AUDIO_MINUTES:
            found[unit] = Quantity(unit, seconds / 60, slowest / 60, "estimated")
        elif unit is Unit.AUDIO_TOKENS and rate.tokens_per_second is not None:
            found[unit] = Quantity(
                unit, _ceil(seconds * rate.tokens_per_second), _ceil(slowest * rate.tokens_per_second), "estimated"
            )
    return found


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def _metered(rate: Rate, units: Decimal) -> Decimal:
    return _metered_units(units, rate.minimum_units, rate.increment)


def _metered_units(units: Decimal, minimum_units: Decimal | None, increment: Decimal | None) -> Decimal:
    """Units as metered: at least the minimum, in whole increments (per started minute: 60 s)."""
    if minimum_units is not None:
        units = max(units, minimum_units)
    if increment:
        units = _ceil(units / increment) * increment
    return units


def _cost(rate: Rate, units: Decimal) -> Decimal:
    amount = _metered(rate, units) * rate.per_unit
    return max(amount, rate.minimum) if rate.minimum is not None else amount


def _spent_credits(rate: Rate, quantities: Mapping[Unit, Quantity]) -> bool:
    """A credits rate metered by another unit, where the answer said the credits it spent: those are billed."""
    found = quantities.get(Unit.CREDITS)
    return rate.unit is Unit.CREDITS and rate.credits_per is not None and found is not None and found.how == "billed"


def _credit_price(rate: Rate) -> Decimal:
    return rate.credit_price if rate.credit_price is not None else rate.amount / rate.per


def charge(sheet: PriceSheet, rates: Sequence[Rate], quantities: Mapping[Unit, Quantity]) -> Charge | None:
    """The cost of `quantities` at `rates`; None where a rate meters a unit not among them. A credits rate metered by
    characters (or seconds) prices the credits an answer says it spent, where it says so, at one credit's price."""
    if not rates or any(rate.metered not in quantities and not _spent_credits(rate, quantities) for rate in rates):
        return None
    amount = upper = Decimal(0)
    parts, used = [], []
    for rate in rates:
        credits = _spent_credits(rate, quantities)
        quantity = quantities[Unit.CREDITS if credits else rate.metered]
        if credits:
            amount += quantity.count * _credit_price(rate)
            upper += quantity.upper * _credit_price(rate)
            words = f"{_amount(_credit_price(rate) * 1000)} {sheet.currency} per 1K credits"
        else:
            amount += _cost(rate, quantity.count)
            upper += _cost(rate, quantity.upper)
            words = rate.words(sheet.currency)
        used.append(quantity)
        parts.append(
            f"{words} × {_amount(quantity.count)} {quantity.unit.value.replace('_', ' ')}"
            f" ({quantity.how}{'' if quantity.exact else f', at most {_amount(quantity.upper)}'})"
        )
    return Charge(
        amount=amount,
        upper=upper,
        currency=sheet.currency,
        usd=sheet.usd(amount),
        upper_usd=sheet.usd(upper),
        quantities=tuple(used),
        rates=tuple(rates),
        how=" + ".join(parts),
    )


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else f"{value:.2f}"


def planned(
    sheet: PriceSheet, offering: str, text: str, *, plan: str | None = None, on: dt.date | None = None
) -> Charge | None:
    """What a request for `offering` speaking `text` is planned to cost; None where the sheet prices it not, or
    meters something that cannot be estimated from the text (audio tokens with no documented rate a second)."""
    rates = sheet.rates_for(offering, plan, on)
    return charge(sheet, rates, text_quantities(text, sheet.counting, rates))


def billed(
    sheet: PriceSheet,
    offering: str,
    units: Mapping[Unit, Decimal],
    *,
    plan: str | None = None,
    on: dt.date | None = None,
) -> Charge | None:
    """What the provider billed, from the units its answer says it billed (a request is one request); None where
    the answer says nothing of a unit the offering is priced in."""
    return charge(sheet, sheet.rates_for(offering, plan, on), billed_quantities(units))


def billed_quantities(units: Mapping[Unit, Decimal]) -> dict[Unit, Quantity]:
    """An answer's billed units as quantities (a request is one request; seconds are minutes too)."""
    quantities = {unit: Quantity(unit, value, value, "billed") for unit, value in units.items()}
    quantities.setdefault(Unit.REQUESTS, Quantity(Unit.REQUESTS, Decimal(1), Decimal(1), "billed"))
    if Unit.AUDIO_SECONDS in quantities and Unit.AUDIO_MINUTES not in quantities:
        seconds = quantities[Unit.AUDIO_SECONDS].count
        quantities[Unit.AUDIO_MINUTES] = Quantity(Unit.AUDIO_MINUTES, seconds / 60, seconds / 60, "billed")
    return quantities


def billing_gap(plan: Charge, units: Mapping[Unit, Decimal]) -> str | None:
    """Where what the answer billed differs from the plan beyond the provider's counting rule: a count from the
    text (characters, bytes) that is not what the rule counts, or an estimated unit past its upper bound."""
    for rate, quantity in zip(plan.rates, plan.quantities, strict=True):
        spent = units.get(Unit.CREDITS)
        if rate.unit is Unit.CREDITS and rate.credits_per is quantity.unit and spent is not None and quantity.exact:
            expected = quantity.count * (rate.credits_per_unit if rate.credits_per_unit is not None else Decimal(1))
            if abs(spent - expected) >= 1:  # a provider's rounding of a part credit is not a gap
                return (
                    f"billed {_amount(spent)} credits where its counting rule gives {_amount(expected)} "
                    f"({_amount(quantity.count)} {quantity.unit.value.replace('_', ' ')})"
                )
        got = units.get(quantity.unit)
        if got is None:
            continue
        name = quantity.unit.value.replace("_", " ")
        if quantity.exact and got != quantity.count:
            return f"billed {_amount(got)} {name} where its counting rule gives {_amount(quantity.count)}"
        if not quantity.exact and got > quantity.upper:
            return f"billed {_amount(got)} {name}, more than the plan's upper bound {_amount(quantity.upper)}"
    return None


def stale(rate: Rate, today: dt.date | None = None, max_age_days: int = STALE_AFTER_DAYS) -> bool:
    """A published price read longer ago than `max_age_days` (or never dated) may no longer be the provider's."""
    if rate.configured:
        return False
    if rate.read is None:
        return True
    return ((today or dt.date.today()) - rate.read).days > max_age_days


def weakness(rate: Rate) -> str:
    """Why a published price may not be the provider's, in the words every face shows beside it ("" where its source
    is the provider's own dated page, and for the team's own rate): a reseller's or a third party's page, an undated
    copy, an example's figure (the sheet's `weak` key), or a price with no source or no read date at all."""
    if rate.configured:
        return ""
    if not rate.source:
        return "no source"
    if rate.read is None:
        return "no read date"
    return WEAK_SOURCES.get(rate.weak, "")


def weaknesses(rates: Sequence[Rate]) -> str:
    """The weaknesses of several rates of one price, each said once ("" where none is weak)."""
    return "; ".join(dict.fromkeys(found for rate in rates if (found := weakness(rate))))


def per_million_characters_usd(usd: Decimal | None, characters: int) -> float | None:
    """A cost as USD per 1M characters, the figure every provider's price can be compared on."""
    if usd is None or characters <= 0:
        return None
    return float(usd) * 1_000_000 / characters


def per_hour_usd(usd: Decimal | None, audio_seconds: float | None) -> float | None:
    """A cost as USD per hour of audio produced."""
    if usd is None or not audio_seconds or not math.isfinite(audio_seconds) or audio_seconds <= 0:
        return None
    return float(usd) * 3600 / audio_seconds
