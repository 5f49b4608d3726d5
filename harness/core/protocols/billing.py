"""What an answer says the provider billed: billing signals declared as data, and the one reader of them.

A provider that tells what it billed says so in its answer: a response header (the characters a request billed), a
field of the JSON answer (`/usage/characters`), a field of one event of a stream (the `usage` of its last event, in
text and audio tokens) or of one message of a socket. A family declaration lists them (`Synthesis.billing`,
`Socket.billing`), each with its unit, where it is, its scale to that unit and the evidence for it; the sandbox sends
them (`harness.sandbox.emulations.http_speech`) and the benchmark reads them with `read_billed` (through
`harness.runner.deliver.billing`), beside the plan's price (`harness.core.prices.charge.billed`, `billing_gap`).

A signal that is not a plain count (`harness.core.prices.bills.bill_number`: no sign, finite, bounded in digits and
size, one value — a header sent twice is two), or is missing where declared, is a finding in one line, never a
failure: the job keeps its planned cost. Whether a count is believable for the text sent is the bill's bound
(`harness.core.prices.bills.bill_bounds`), checked where the plan is known (`harness.runner.deliver.billing`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from harness.core.json_pointer import resolve
from harness.core.prices.bills import bill_number
from harness.core.prices.signals import SOURCES, BilledSignal
from harness.core.prices.units import Unit
from harness.core.stream_events import ndjson_events, sse_events

TYPE_AT = "/type"  # where most event streams and sockets name each event, when a family declares no pointer


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
    """A read count as JSON writes it (bounded by `bill_number`: at most 10**15, so neither conversion overflows)."""
    return int(value) if value == value.to_integral_value() else float(value)


def read_billed(signals: Sequence[BilledSignal], headers: Mapping[str, str], documents: Sequence[Document]) -> Billed:
    """Every signal read from an answer's headers (case-insensitive names, as HTTP's; `httpx.Headers` keeps a header
    sent twice as two values, which is no one bill) and documents (in the order they came). Signals of one unit add
    up."""
    lowered = _header_values(headers)
    units: dict[Unit, Decimal] = {}
    problems: list[tuple[BilledSignal, str]] = []
    for signal in signals:
        if signal.header:
            values = lowered.get(signal.header.lower(), [])
            present, raw = bool(values), values[0] if len(values) == 1 else ", ".join(values)
            if len(values) > 1:
                problems.append(
                    (
                        signal,
                        f"the billing signal {signal.where} is sent {len(values)} times "
                        f"({_shown(raw)}): which one is the bill is not said",
                    )
                )
                continue
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


def _header_values(headers: Mapping[str, str]) -> dict[str, list[str]]:
    """Each header's values by its lower-cased name: every value of a repeated header where the mapping keeps them
    (`httpx.Headers.multi_items`), else the one the mapping holds."""
    multi = getattr(headers, "multi_items", None)
    items = multi() if callable(multi) else headers.items()
    found: dict[str, list[str]] = {}
    for name, value in items:
        found.setdefault(str(name).lower(), []).append(str(value))
    return found


def _in_documents(signal: BilledSignal, documents: Sequence[Document]) -> tuple[bool, Any]:
    for document in reversed(documents):
        if signal.event and document.name != signal.event:
            continue
        present, value = resolve(document.data, signal.at)
        if present:
            return True, value
    return False, None


def number(raw: Any) -> tuple[Decimal | None, str]:
    """A signal's value as a count (None and why, where it is not a plain count: `bill_number`'s rule)."""
    return bill_number(raw)


def _shown(raw: Any) -> str:
    """A value as the finding quotes it, cut to 40 characters (an int of thousands of digits is never written out)."""
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > 128:
        return f"an integer of about {int(raw.bit_length() * 0.30103)} digits"
    try:
        text = repr(raw) if isinstance(raw, str) else str(raw) if isinstance(raw, Decimal) else json.dumps(raw)
    except (TypeError, ValueError, RecursionError):  # a structure nested too deep to write out
        text = repr(type(raw).__name__)
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
        return json.loads(text, parse_int=_json_int)
    except (ValueError, RecursionError):  # not JSON, nesting past the stack
        return None


def _json_int(text: str) -> int | Decimal:
    """A JSON integer as the bill reads it: a plain int where it is short, else exactly, as a `Decimal` (an int of
    thousands of digits is never made); `-0` keeps its sign (JSON's `-0` is no count, `bill_number` says why)."""
    if len(text) <= 18 and text != "-0":
        return int(text)
    return Decimal(text)


__all__ = ["SOURCES", "Billed", "BilledSignal", "Document", "documents_of", "named", "number", "read_billed"]
