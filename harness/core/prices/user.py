"""A team's own rates: `--price provider/model=AMOUNT/UNIT` and a providers file's `[prices]` table.

A negotiated rate replaces the published one for that offering (every plan), and every face says so in one line;
it is never applied silently, and a published price is never silently ignored. Spellings:

    --price acme/tts-1=20/1M-chars        20 USD per million characters
    --price cartesia/sonic-3=0.03/min        per minute of audio (also /s, /hour)
    --price acme/v1=0.002/request            per request (a bare amount, `=0.002`, means the same)
    --price acme/tokens-tts=12/1M-audio-tokens   (and /1M-text-tokens)

    [prices."acme/tts-1"]                  # a providers file: the same, or a full rate table
    amount = "12"
    unit = "characters"
    per = "1000000"
    note = "our 2026 contract"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.core.errors import UsageError
from harness.core.prices.sheet import Rate, parse_rate, unit_words
from harness.core.prices.units import UNIT_SCALE, unit_named

BARE_AMOUNT = "a bare amount, so per request"  # the note of a rate spelled with no unit (`--price acme/v1=0.002`)

_SPELLING = re.compile(
    r"^\s*(?P<amount>[0-9][0-9_.,]*)\s*"
    r"(?:/\s*(?P<per>[0-9][0-9.]*\s*[kKmM]?)?[\s-]*(?P<unit>[A-Za-z_ -]+))?\s*$"
)
_MULTIPLIERS = {"": Decimal(1), "k": Decimal(1000), "m": Decimal(1_000_000)}


def parse_price(label: str, spelling: str, *, where: str = "--price") -> Rate:
    """`AMOUNT[/[N]UNIT]` (USD) as the user's rate for `label` (provider/model)."""
    match = _SPELLING.match(spelling)
    if match is None:
        raise UsageError(
            f"{where} {label}={spelling}: not a price: a finite amount of USD, 0 or more, per a unit "
            f"(AMOUNT/UNIT, e.g. 20/1M-chars, 0.03/min, 0.002/request, 12/1M-audio-tokens)"
        )
    per = Decimal(1)
    if match["per"]:
        digits = match["per"].strip()
        multiplier = _MULTIPLIERS.get(digits[-1].lower(), Decimal(1)) if not digits[-1].isdigit() else Decimal(1)
        per = Decimal(digits.rstrip("kKmM") or "1") * multiplier
    word = (match["unit"] or "request").strip().lower().replace(" ", "-")
    unit = unit_named(word)
    if unit is None:
        raise UsageError(
            f"{where} {label}={spelling}: unknown unit {word!r}; one of chars, bytes, text-tokens, "
            f"audio-tokens, s, min, hour, request, credits"
        )
    per *= UNIT_SCALE.get(word, Decimal(1))
    model = label.partition("/")[2]
    return parse_rate(
        {
            "offerings": [model],
            "unit": unit.value,
            "amount": match["amount"],
            "per": str(per),
            "source": f"{where} {label}={spelling}",
            "quote": spelling,
            "note": "" if match["unit"] else BARE_AMOUNT,
        },
        f"{where} {label}",
        configured=True,
    )


def parse_prices_table(
    table: Mapping[str, Any], where: str, *, spelled: str | None = None
) -> dict[str, tuple[Rate, ...]]:
    """`[prices]`, wherever it is read (a providers file, a settings file, `--price`): `"provider/model" =
    "AMOUNT/UNIT"` (a spelling, said to come from `spelled`, else `where`), a rate table, or a list of them. The one
    reader: the run, the dry run and `providers` all read a team's prices here."""
    found: dict[str, tuple[Rate, ...]] = {}
    for label, value in table.items():
        if not isinstance(label, str) or "/" not in label:
            raise UsageError(f"{where}: [prices] key {label!r} must be provider/model")
        model = label.partition("/")[2]
        here = f'{where}."{label}"' if where.endswith("prices") else f'{where}: [prices."{label}"]'
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            found[label] = (parse_price(label, str(value), where=spelled or where),)
        elif isinstance(value, Mapping):  # a table names where it was given unless it says its own source
            found[label] = (parse_rate({"source": here, **value}, here, configured=True, offerings=[model]),)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            found[label] = tuple(
                parse_rate({"source": here, **v}, here, configured=True, offerings=[model]) for v in value
            )
        else:
            raise UsageError(f"{here}: a price is AMOUNT/UNIT or a table with amount, unit and per")
    return found


def unit_note(label: str, mine: tuple[Rate, ...], published: tuple[Rate, ...]) -> str:
    """What every face adds where the team's rate may not mean what was meant ("" where it does): a bare amount is per
    request, and a unit the offering's published price does not meter is said, never taken silently."""
    model = label.partition("/")[2]
    per = " + ".join(dict.fromkeys(unit_words(rate.metered, plural=False) for rate in mine))
    theirs = " + ".join(dict.fromkeys(unit_words(rate.metered, plural=False) for rate in published))
    bare = any(rate.note == BARE_AMOUNT for rate in mine)
    said = f"it is per {per}" + (" (a bare amount; give a unit: AMOUNT/UNIT, e.g. 20/1M-chars)" if bare else "")
    if published and {rate.metered for rate in mine} != {rate.metered for rate in published}:
        return f"{said}, where {model} is billed per {theirs}: check the unit"
    return said if bare else ""


def replaced_note(label: str, mine: tuple[Rate, ...], published: tuple[Rate, ...], currency: str) -> str:
    """The one line every face shows where a team's rate replaces the published one."""
    own = " + ".join(rate.words("USD") for rate in mine)
    if not published:
        return f"{label}: your price {own} (no published price)"
    theirs = " + ".join(rate.words(currency) for rate in published)
    read = next((r.read for r in published if r.read), None)
    return f"{label}: your price {own} replaces the published {theirs}" + (f" (read {read})" if read else "")
