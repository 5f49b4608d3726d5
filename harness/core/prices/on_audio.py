"""Re-pricing on the audio an answer returned: a price metered by the audio (seconds, minutes, audio tokens) is an
estimate before sending (`charge.text_quantities`); once the answer has returned its audio, and where it said nothing
of what it billed, the cost is that audio at the same rates. The plan's audio-metered parts are kept on the cost row
(`AudioPart`, as JSON: `costs.price_audio_json`) so every reader re-prices from the stored rows alone
(`harness.results.cost_figures`). The arithmetic of a rate stays `charge`'s.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from harness.core.prices.charge import Charge, _ceil, _cost, _metered_units
from harness.core.prices.sheet import PriceSheet
from harness.core.prices.units import Unit


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioPart:
    """One rate of a plan metered by the audio, in USD: what re-pricing it on returned audio needs."""

    unit: Unit  # audio_seconds | audio_minutes | audio_tokens
    usd_per_unit: Decimal
    planned_usd: Decimal  # what the plan charged for it (the estimate the re-priced cost replaces)
    minimum_units: Decimal | None = None
    increment: Decimal | None = None
    minimum_usd: Decimal | None = None
    tokens_per_second: Decimal | None = None

    def usd_for(self, seconds: Decimal) -> Decimal:
        """This part's cost for `seconds` of audio."""
        if self.unit is Unit.AUDIO_MINUTES:
            units = seconds / 60
        elif self.unit is Unit.AUDIO_TOKENS:
            units = _ceil(seconds * (self.tokens_per_second or Decimal(0)))
        else:
            units = seconds
        cost = _metered_units(units, self.minimum_units, self.increment) * self.usd_per_unit
        return max(cost, self.minimum_usd) if self.minimum_usd is not None else cost


def audio_parts(sheet: PriceSheet, plan: Charge) -> tuple[AudioPart, ...]:
    """The parts of `plan` estimated from the text that the returned audio decides (none where its currency has no
    USD conversion, or a token rate gives no tokens a second)."""
    parts = []
    for rate, quantity in zip(plan.rates, plan.quantities, strict=True):
        if not quantity.unit.of_audio or quantity.exact:
            continue
        per_unit, planned_part = sheet.usd(rate.per_unit), sheet.usd(_cost(rate, quantity.count))
        if (
            per_unit is None
            or planned_part is None
            or (quantity.unit is Unit.AUDIO_TOKENS and rate.tokens_per_second is None)
        ):
            return ()
        minimum = sheet.usd(rate.minimum) if rate.minimum is not None else None
        parts.append(
            AudioPart(
                unit=quantity.unit,
                usd_per_unit=per_unit,
                planned_usd=planned_part,
                minimum_units=rate.minimum_units,
                increment=rate.increment,
                minimum_usd=minimum,
                tokens_per_second=rate.tokens_per_second,
            )
        )
    return tuple(parts)


def audio_parts_json(parts: Sequence[AudioPart]) -> str | None:
    """The parts as a cost row keeps them (None: none)."""
    if not parts:
        return None
    return json.dumps(
        [
            {
                "unit": p.unit.value,
                "usd_per_unit": str(p.usd_per_unit),
                "planned_usd": str(p.planned_usd),
                **{
                    name: str(value)
                    for name in ("minimum_units", "increment", "minimum_usd", "tokens_per_second")
                    if (value := getattr(p, name)) is not None
                },
            }
            for p in parts
        ]
    )


def audio_parts_from_json(text: object) -> tuple[AudioPart, ...]:
    """The parts a cost row kept; () for none, and for anything that is not what `audio_parts_json` writes (a row
    written by hand is re-priced never, rather than wrongly)."""
    if not isinstance(text, str) or not text or len(text) > 10_000:
        return ()
    try:
        loaded = json.loads(text)
        parts = []
        for item in loaded:
            unit = Unit(item["unit"])
            numbers = {
                name: _bounded(item[name])
                for name in (
                    "usd_per_unit",
                    "planned_usd",
                    "minimum_units",
                    "increment",
                    "minimum_usd",
                    "tokens_per_second",
                )
                if name in item
            }
            if not unit.of_audio:
                return ()
            parts.append(AudioPart(unit=unit, **numbers))
        return tuple(parts)
    except (ValueError, TypeError, KeyError, ArithmeticError, RecursionError):  # a row of brackets nested deep
        return ()


def _bounded(value: object) -> Decimal:
    number = Decimal(str(value))
    if not number.is_finite() or number < 0 or number > 10**12 or len(str(value)) > 60:
        raise ValueError(f"not an amount: {value!r}")
    return number


def repriced_on_audio(parts: Sequence[AudioPart], seconds: float) -> Decimal | None:
    """What the audio parts cost for `seconds` of returned audio, less what the plan charged for them: the change to
    the planned cost (None where there is nothing to re-price or no audio to price it on)."""
    if not parts or not math.isfinite(seconds) or seconds <= 0:
        return None
    audio = Decimal(repr(seconds))
    return sum((part.usd_for(audio) - part.planned_usd for part in parts), Decimal(0))
