"""What the imitation says it billed: every billing signal a declaration states (`Synthesis.billing`, `Socket.billing`),
with the meaning its documents give it.

Characters and bytes are counted from the text as the request sent it, under the provider's price-sheet counting rule
(`harness.core.prices.count`: SSML tags not billed, CJK counted twice, as each sheet says), so a run against the
sandbox bills exactly what it planned; text tokens are the sheet's estimate from the text (its characters a token);
seconds and minutes of audio, and audio tokens at the sheet's tokens a second, are the rendered audio's; credits are
the characters at the sheet's credits a character. A provider whose billing a test changed
(`POST /_sandbox/drift {"billing": {...}}`) says it billed that many times as much.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal

from harness.core.prices import PriceSheet, Unit, builtin_sheets, count, text_quantities
from harness.core.prices.charge import CHARS_PER_TOKEN
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.http_speech import SpeechService

# Audio tokens a second where no sheet documents them: the figure a third party quotes from a provider's pricing page
# ("25 tokens per second of generated audio": harness/data/prices/) — only what the imitation writes.
AUDIO_TOKENS_PER_SECOND = Decimal(25)
_COUNTS = (Unit.CHARACTERS, Unit.BYTES, Unit.TEXT_TOKENS, Unit.AUDIO_TOKENS, Unit.CREDITS, Unit.REQUESTS)


def sheet_of(service: SpeechService) -> PriceSheet | None:
    name = service.prices_from if service.prices_from is not None else service.name
    return builtin_sheets().sheet(name) if name else None


def billed_quantity(unit: Unit, sheet: PriceSheet | None, model: str, text: str, seconds: float) -> Decimal:
    """What the documents say the provider bills in `unit` for speaking `text` (as sent) as `seconds` of audio."""
    rates = () if sheet is None else tuple(rate for rate in sheet.rates if rate.prices(model))
    characters = Decimal(count(text, sheet.counting) if sheet is not None else len(text))
    if unit is Unit.CHARACTERS:
        return characters
    if unit is Unit.BYTES:
        return Decimal(len(text.encode("utf-8")))
    if unit is Unit.TEXT_TOKENS:
        read = text_quantities(text, sheet.counting, rates).get(Unit.TEXT_TOKENS) if sheet is not None else None
        return read.count if read is not None else _ceil(Decimal(len(text)) / CHARS_PER_TOKEN)
    if unit is Unit.AUDIO_TOKENS:
        per = next((r.tokens_per_second for r in rates if r.tokens_per_second is not None), AUDIO_TOKENS_PER_SECOND)
        return _ceil(Decimal(str(seconds)) * per)
    if unit is Unit.AUDIO_SECONDS:
        return Decimal(str(round(seconds, 3)))
    if unit is Unit.AUDIO_MINUTES:
        return Decimal(str(seconds)) / 60
    if unit is Unit.CREDITS:
        spent = next(
            (
                r.credits_per_unit
                for r in rates
                if r.unit is Unit.CREDITS and r.credits_per is Unit.CHARACTERS and r.credits_per_unit is not None
            ),
            Decimal(1),
        )
        return _ceil(characters * spent)
    return Decimal(1)  # a request


def billed_values(
    service: SpeechService, signals: Sequence[BilledSignal], model: str, text: str, seconds: float, factor: float = 1.0
) -> list[tuple[BilledSignal, int | float]]:
    """Each signal's value on the wire: the billed quantity (times `factor`, the billing drift), over its scale; a count
    a whole number."""
    if not signals:
        return []
    sheet = sheet_of(service)
    found = []
    for signal in signals:
        quantity = billed_quantity(signal.unit, sheet, model, text, seconds) * Decimal(str(factor))
        wire = quantity / signal.scale
        found.append((signal, int(_ceil(wire)) if signal.unit in _COUNTS else float(round(wire, 3))))
    return found


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)
