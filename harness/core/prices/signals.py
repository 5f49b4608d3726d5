"""What an answer may say it billed, declared as data: a `BilledSignal` names a unit, where the answer carries it (a
response header, or a JSON pointer of the answer, of one named event of a stream or of one socket message), its scale
and the evidence for it.

The vocabulary lives here, below the provider vocabulary (`harness.core.spec.Endpoint.billing` names signals too, for
an endpoint no family declares: a queued job's submit answer), and is read by one reader,
`harness.core.protocols.billing.read_billed`, which re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from harness.core.prices.units import Unit

SOURCES = ("docs", "sdk", "client")  # the provider's reference, its official SDK, an independent client


@dataclass(frozen=True, slots=True, kw_only=True)
class BilledSignal:
    """One quantity an answer says was billed: `unit`, read from the response header `header` or at the JSON pointer
    `at` (of the JSON answer; in a stream or a socket, of the last event or message holding it, of those named `event`
    where one is given: its SSE `event:` name or its type at the family's event pointer), times `scale` (milliseconds
    given where seconds are billed: 0.001). `source`: docs | sdk | client; `evidence`: the words and where they are."""

    unit: Unit
    header: str = ""
    at: str = ""
    event: str = ""
    scale: Decimal = Decimal(1)
    source: str = "docs"
    evidence: str = ""

    def __post_init__(self) -> None:
        if bool(self.header) == bool(self.at):
            raise ValueError(f"a billing signal is a header or a JSON pointer, exactly one: {self}")
        if self.at and not self.at.startswith("/"):
            raise ValueError(f"a billing signal's pointer starts with '/': {self.at!r}")
        if self.header and self.event:
            raise ValueError(f"a header signal names no event: {self.header}")
        if self.source not in SOURCES:
            raise ValueError(f"a billing signal's source is one of {', '.join(SOURCES)}, not {self.source!r}")
        if not self.evidence:
            raise ValueError(f"a billing signal quotes its evidence: {self.header or self.at}")
        if not (self.scale.is_finite() and self.scale > 0):
            raise ValueError(f"a billing signal's scale is a positive number, not {self.scale}")

    @property
    def where(self) -> str:
        """Where it is, as a finding names it: `header x-amzn-RequestCharacters`, `/usage/input_tokens of
        speech.audio.done`."""
        if self.header:
            return f"header {self.header}"
        return f"{self.at} of {self.event}" if self.event else self.at


__all__ = ["SOURCES", "BilledSignal"]
