"""A bill is evidence to check, never a number to trust: the one reader of a billed figure, the bound a bill must
keep, and what a store may hold as an amount.

What an answer says it billed decides a figure a team chooses a provider on, and a broken or hostile server may say
anything in a header or a JSON field. Every engine and face asks here, so one rule decides:

* **What a billed figure may be** (`bill_number`): a plain count — digits, an optional fraction, an optional exponent
  — read as an exact `Decimal`, at most `MAX_TEXT` characters and `MAX_DIGITS` significant digits, between
  `10**-MAX_FRACTION_DIGITS` and `COUNT_LIMIT`. NaN, Infinity, `1e309`, `1e5000`, a boolean, a list, two values
  (`5, 7`: a header sent twice) are refused before any arithmetic: no float and no int is ever made of an
  unbounded number. A count carries no sign: `-3` and `-0` are refused alike (a server writing a signed zero is
  writing a difference, not a count); `0` is a count (a request the provider did not charge: kept, and a
  `billing-gap` where the plan says otherwise).
* **How much a bill may say** (`bill_bounds`, `beyond`): at most `BILL_FACTOR` (10) times the most the plan
  expects of that unit for the text sent (`ceilings`: characters and bytes counted, a token a UTF-8 byte, a slow
  reading of 5 characters a second, audio tokens at the rate's documented tokens a second else at most
  `AUDIO_TOKENS_PER_SECOND_AT_MOST`, credits at the rate's credits a unit else one a character or the provider's own
  planned amount). The ceilings are already the most an honest count can be; the factor leaves an order of magnitude
  for what a plan does not model (a voice's credit multiplier, a minimum the sheet does not state, a price change),
  while a bill beyond it is not a price but a broken or hostile counter. Such a bill is refused whole: a
  `billing-refused` finding naming the job, the bill and the bound, and the job keeps its planned cost. A bill
  within the bound that differs from the plan is kept, and is a `billing-gap` finding (`charge.billing_gap`).
* **What a store may hold** (`storable`): a finite amount of at most `AMOUNT_LIMIT` in magnitude, whatever its
  unit; the store's writer writes anything else as NULL, and its readers leave a row holding one out, naming it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from harness.core.prices.charge import SLOWEST_CHARS_PER_SECOND
from harness.core.prices.sheet import Rate
from harness.core.prices.units import Counting, Unit, count

REFUSED = "billing-refused"  # the finding (a drift row's kind) of a bill beyond its bound, read by every face
BILL_FACTOR = Decimal(10)  # a bill may say at most this many times the most the plan expects of its unit
MAX_TEXT = 40  # characters of a billed figure as written (a header's value, a JSON string)
MAX_DIGITS = 24  # significant digits of a billed figure
MAX_FRACTION_DIGITS = 9  # the finest part of a unit a figure may name (a nanosecond, a billionth of a credit)
COUNT_LIMIT = Decimal(10) ** 15  # no request bills a quadrillion of anything: the parser's own cap, before the bound
AMOUNT_LIMIT = Decimal(10) ** 12  # the largest amount (any unit) a store holds: far beyond any bound, below overflow
AUDIO_TOKENS_PER_SECOND_AT_MOST = Decimal(100)  # codec tokenisers run at 12.5 (Mimi) to 86 (SNAC) tokens a second
SHORTEST_BILLED_SECONDS = Decimal(1)  # a second of audio: the least a plan expects a short text to be billed for

_PLAIN = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def bill_number(raw: Any) -> tuple[Decimal | None, str]:
    """A billed figure as an exact count, or None and why it is not one (`MAX_TEXT`, `MAX_DIGITS`, no sign, finite,
    at most `COUNT_LIMIT`, no finer than `MAX_FRACTION_DIGITS`). Nothing unbounded is converted."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, dict | list | tuple):
        return None, "not a number"
    if isinstance(raw, int):
        if raw < 0:
            return None, "a negative count"
        if raw.bit_length() > 64:  # checked before it is written out: an int of 5,000 digits is never made text
            return None, f"more than {COUNT_LIMIT:,.0f}, not a bill"
        text = str(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            return None, "not a finite number"
        if math.copysign(1.0, raw) < 0:
            return None, "a negative count" if raw else "a signed zero, not a count"
        text = repr(raw)
    elif isinstance(raw, Decimal):  # a JSON number read exactly (`harness.core.protocols.billing`)
        if raw.is_nan() or raw.is_infinite():
            return None, "not a finite number"
        if raw.is_signed():
            return None, "a negative count" if raw else "a signed zero, not a count"
        text = format(raw, "f") if abs(raw.adjusted()) <= MAX_TEXT else str(raw)
    elif isinstance(raw, str):
        text = raw.strip()
    else:
        return None, "not a number"
    return _plain(text)


def _plain(text: str) -> tuple[Decimal | None, str]:
    if len(text) > MAX_TEXT:
        return None, f"longer than {MAX_TEXT} characters, not a count"
    if "," in text:
        return None, "several values in one (a header sent more than once?)"
    if text.startswith(("-", "+")):
        if text[1:].strip(".0eE+-") == "" and any(c == "0" for c in text):
            return None, "a signed zero, not a count"
        return None, "a negative count" if text.startswith("-") else "a signed number, not a count"
    if not _PLAIN.fullmatch(text):
        return None, "not a number" if text.lower() not in ("nan", "inf", "infinity") else "not a finite number"
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, "not a number"
    if value == 0:
        return Decimal(0), ""
    if value.adjusted() >= COUNT_LIMIT.adjusted():
        return None, f"more than {COUNT_LIMIT:,.0f}, not a bill"
    if value.adjusted() < -MAX_FRACTION_DIGITS:
        return None, f"finer than 1e-{MAX_FRACTION_DIGITS} of a unit, not a count"
    if len("".join(map(str, value.as_tuple().digits)).strip("0")) > MAX_DIGITS:
        return None, f"more than {MAX_DIGITS} significant digits"
    return value, ""


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def _metered(rates: Sequence[Rate], unit: Unit, units: Decimal) -> Decimal:
    """`units` raised to what a rate metering `unit` bills at least (its minimum, its increment)."""
    for rate in rates:
        if rate.metered is not unit:
            continue
        if rate.minimum_units is not None:
            units = max(units, rate.minimum_units)
        if rate.increment:
            units = _ceil(units / rate.increment) * rate.increment
    return units


def ceilings(
    text: str, counting: Counting, rates: Sequence[Rate] = (), own: Decimal | None = None
) -> dict[Unit, Decimal]:
    """The most an honest bill says of each unit for `text`, under the plan's `rates` (`own`: the provider's own
    planned amount in its own unit, characters of a prepaid allowance, which its credits count)."""
    plain = Decimal(len(text))
    characters = max(Decimal(count(text, counting)), plain, Decimal(1))
    utf8 = max(Decimal(len(text.encode("utf-8"))), Decimal(1))
    seconds = max(plain / SLOWEST_CHARS_PER_SECOND, SHORTEST_BILLED_SECONDS)
    per_second = max(
        (r.tokens_per_second for r in rates if r.tokens_per_second is not None), default=AUDIO_TOKENS_PER_SECOND_AT_MOST
    )
    found = {
        Unit.CHARACTERS: characters,
        Unit.BYTES: utf8,
        Unit.REQUESTS: Decimal(1),
        Unit.TEXT_TOKENS: utf8,
        Unit.AUDIO_SECONDS: seconds,
        Unit.AUDIO_MINUTES: seconds / 60,
        Unit.AUDIO_TOKENS: _ceil(seconds * per_second),
    }
    found = {unit: _metered(rates, unit, value) for unit, value in found.items()}
    credits = [
        found[rate.credits_per] * (rate.credits_per_unit if rate.credits_per_unit is not None else Decimal(1))
        for rate in rates
        if rate.unit is Unit.CREDITS and rate.credits_per is not None
    ]
    found[Unit.CREDITS] = _ceil(max((*credits, characters, own if own is not None and own > 0 else Decimal(0))))
    return found


def bill_bounds(
    text: str, counting: Counting, rates: Sequence[Rate] = (), own: Decimal | None = None
) -> dict[Unit, Decimal]:
    """The most a bill may say of each unit before it is refused: `BILL_FACTOR` times its ceiling."""
    return {unit: ceiling * BILL_FACTOR for unit, ceiling in ceilings(text, counting, rates, own).items()}


@dataclass(frozen=True, slots=True)
class Beyond:
    """One billed unit past its bound."""

    unit: Unit
    billed: Decimal
    bound: Decimal

    def words(self) -> str:
        name = self.unit.value.replace("_", " ")
        return (
            f"billed {_shown(self.billed)} {name}, beyond {BILL_FACTOR:f}× the most its plan expects "
            f"({_shown(self.bound / BILL_FACTOR)} {name})"
        )


def beyond(units: Mapping[Unit, Decimal], bounds: Mapping[Unit, Decimal]) -> tuple[Beyond, ...]:
    """Each billed unit beyond its bound (a unit with no bound is bounded by nothing it could be checked against:
    every `Unit` has one in `bill_bounds`)."""
    return tuple(
        Beyond(unit, value, bounds[unit]) for unit, value in units.items() if unit in bounds and value > bounds[unit]
    )


def _shown(value: Decimal) -> str:
    """A bounded figure as a person reads it: whole where it is whole, else to 4 places."""
    if value == value.to_integral_value():
        return f"{value:f}" if value.adjusted() < 21 else f"{value:.3e}"
    return f"{value.quantize(Decimal('0.0001')).normalize():f}"


def storable(value: Any) -> bool:
    """Whether an amount may be written to or read from a store: a finite number of at most `AMOUNT_LIMIT` in
    magnitude (None is no amount, and may). Text that is not a number is not one."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value.bit_length() <= 64 and abs(value) <= AMOUNT_LIMIT
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) <= AMOUNT_LIMIT
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value) <= AMOUNT_LIMIT
    return False


__all__ = [
    "AMOUNT_LIMIT",
    "BILL_FACTOR",
    "COUNT_LIMIT",
    "REFUSED",
    "Beyond",
    "beyond",
    "bill_bounds",
    "bill_number",
    "ceilings",
    "storable",
]
