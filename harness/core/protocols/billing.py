"""What an answer says the provider billed: billing signals declared as data, and the one reader of them.

A provider that tells what it billed says so in its answer: a response header (the characters a request billed), a
field of the JSON answer (`/usage/characters`), a field of one event of a stream (the `usage` of its last event, in
text and audio tokens) or of one message of a socket. A family declaration lists them (`Synthesis.billing`,
`Socket.billing`), each with its unit, where it is, its scale to that unit and the evidence for it; the sandbox sends
them (`harness.sandbox.emulations.http_speech`) and the benchmark reads them with `read_billed` (through
`harness.bench.billing`), beside the plan's price (`harness.core.prices.charge.billed`, `billing_gap`).

A signal that is not a number, is negative or is missing where declared is a finding in one line, never a failure:
the job keeps its planned cost.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from harness.core.json_pointer import resolve
from harness.core.prices.units import Unit
from harness.core.stream_events import ndjson_events, sse_events

SOURCES = ("docs", "sdk", "client")  # the provider's reference, its official SDK, an independent client
TYPE_AT = "/type"  # where most event streams and sockets name each event, when a family declares no pointer


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Document:
    """One JSON document of an answer: the whole body, or one event of a stream, or one socket message (`name`: its
    SSE event name or its type, "" for a body)."""

    data: Any
    name: str = ""


@dataclass(frozen=True, slots=True)
class Billed:
    """What the answer's signals say was billed (`units`), and each signal that could not be read, in one line."""

    units: Mapping[Unit, Decimal] = field(default_factory=dict)
    problems: tuple[tuple[BilledSignal, str], ...] = ()

    def as_json(self) -> str | None:
        """The units as stored (`costs.billed_units_json`: `{"characters": 42}`), None where none was read."""
        if not self.units:
            return None
        return json.dumps({unit.value: _plain(value) for unit, value in self.units.items()}, sort_keys=True)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def read_billed(signals: Sequence[BilledSignal], headers: Mapping[str, str], documents: Sequence[Document]) -> Billed:
    """Every signal read from an answer's headers (case-insensitive names, as HTTP's) and documents (in the order they
    came). Signals of one unit add up."""
    lowered = {name.lower(): value for name, value in headers.items()}
    units: dict[Unit, Decimal] = {}
    problems: list[tuple[BilledSignal, str]] = []
    for signal in signals:
        if signal.header:
            present, raw = signal.header.lower() in lowered, lowered.get(signal.header.lower())
        else:
            present, raw = _in_documents(signal, documents)
        if not present:
            problems.append((signal, f"the billing signal {signal.where} is declared but the answer does not carry it"))
            continue
        value, why = number(raw)
        if value is None:
            problems.append((signal, f"the billing signal {signal.where} is {_shown(raw)}: {why}"))
            continue
        units[signal.unit] = units.get(signal.unit, Decimal(0)) + value * signal.scale
    return Billed(units, tuple(problems))


def _in_documents(signal: BilledSignal, documents: Sequence[Document]) -> tuple[bool, Any]:
    for document in reversed(documents):
        if signal.event and document.name != signal.event:
            continue
        present, value = resolve(document.data, signal.at)
        if present:
            return True, value
    return False, None


def number(raw: Any) -> tuple[Decimal | None, str]:
    """A signal's value as a count (None and why, where it is not a finite number of 0 or more)."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, dict | list):
        return None, "not a number"
    if isinstance(raw, float) and not math.isfinite(raw):
        return None, "not a finite number"
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None, "not a number"
    if not value.is_finite():
        return None, "not a finite number"
    if value < 0:
        return None, "a negative count"
    return value, ""


def _shown(raw: Any) -> str:
    text = json.dumps(raw) if not isinstance(raw, str) else repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def documents_of(body: bytes, *, stream: bool, lines: bool = False, event_at: str = "") -> list[Document]:
    """An answer's JSON documents: the body, or each event of a stream (SSE, or NDJSON `lines`) named by its SSE
    `event:` line, else by its value at `event_at` (else at `/type`). What is not JSON is no document."""
    if not stream:
        data = _json(body)
        return [] if data is None else [Document(data)]
    found = []
    for event in ndjson_events(body) if lines else sse_events(body):
        data = _json(b"\n".join(event.data))
        if data is not None:
            found.append(Document(data, event.name or named(data, event_at)))
    return found


def named(data: Any, event_at: str = "") -> str:
    """An event's or a message's name at `event_at` (else `/type`), "" where it has none."""
    present, value = resolve(data, event_at or TYPE_AT)
    return str(value) if present and isinstance(value, str | int) and not isinstance(value, bool) else ""


def _json(raw: bytes) -> Any:
    text = raw.strip()
    if not text.startswith((b"{", b"[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


__all__ = ["SOURCES", "Billed", "BilledSignal", "Document", "documents_of", "named", "number", "read_billed"]
