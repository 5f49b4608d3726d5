"""Prices as providers bill them: price sheets (data), counting rules, and the one module of arithmetic.

`sheet` reads a provider's price sheet (`harness/data/prices/<provider>.toml`, or a team's `[prices]`);
`charge` plans a request's cost from its text and prices what an answer says it billed; `on_audio` re-prices a price
metered by the audio on the audio returned; `user` reads a team's own rates (`[prices]`, `--price`). Every face asks
here; see docs/costs.md.
"""

from __future__ import annotations

from functools import cache

from harness.core.packaged import PRICES, data_path
from harness.core.prices.charge import (
    STALE_AFTER_DAYS,
    Charge,
    Quantity,
    billed,
    billed_quantities,
    billing_gap,
    charge,
    per_hour_usd,
    per_million_characters_usd,
    planned,
    stale,
    text_quantities,
    weakness,
    weaknesses,
)
from harness.core.prices.on_audio import (
    AudioPart,
    audio_parts,
    audio_parts_from_json,
    audio_parts_json,
    repriced_on_audio,
)
from harness.core.prices.sheet import (
    PAY_AS_YOU_GO,
    WEAK_SOURCES,
    Conversion,
    PriceSheet,
    Rate,
    SheetLibrary,
    load_sheet,
    parse_sheet,
)
from harness.core.prices.units import Counting, Unit, count, unit_named
from harness.core.prices.user import BARE_AMOUNT, parse_price, parse_prices_table, replaced_note, unit_note


@cache
def builtin_sheets() -> SheetLibrary:
    """The built-in providers' published prices, shipped with the package."""
    return SheetLibrary(data_path(PRICES))


__all__ = [
    "BARE_AMOUNT",
    "PAY_AS_YOU_GO",
    "STALE_AFTER_DAYS",
    "WEAK_SOURCES",
    "AudioPart",
    "Charge",
    "Conversion",
    "Counting",
    "PriceSheet",
    "Quantity",
    "Rate",
    "SheetLibrary",
    "Unit",
    "audio_parts",
    "audio_parts_from_json",
    "audio_parts_json",
    "billed",
    "billed_quantities",
    "billing_gap",
    "builtin_sheets",
    "charge",
    "count",
    "load_sheet",
    "parse_price",
    "parse_prices_table",
    "parse_sheet",
    "per_hour_usd",
    "per_million_characters_usd",
    "planned",
    "replaced_note",
    "repriced_on_audio",
    "stale",
    "text_quantities",
    "unit_named",
    "unit_note",
    "weakness",
    "weaknesses",
]
