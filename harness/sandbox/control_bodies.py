"""The control API's request bodies, declared: each key's documented type and range, checked before anything in the
sandbox changes, and the body itself bounded in size and depth before it is parsed.

A body is a JSON object read whole only up to `MAX_BODY_BYTES` (its Content-Length refused beforehand where it says
more, the stream cut where it sends more), its brackets counted to `MAX_DEPTH` before `json.loads` sees it (a
document nested 100,000 deep is one line, not a RecursionError), and each key read by its field:

    Number(low, high)      a JSON number in [low, high]; a bool is not a number, nor is a string of digits
    Amount(high)           money, exact: a JSON number or a decimal string ("0.000001") in [0, high]
    Names(choices)         a list of distinct names among `choices` (the state's, where they depend on it)
    Ids()                  a list of non-empty strings (voice or model ids)
    Text(ascii=...)        a non-empty string (printable ASCII where it travels in a header)
    Served()               the name of a provider this sandbox serves
    Kind(choices)          one of `choices`, or "" (as documented)
    PerProvider(field)     an object of served provider -> the field's value ({} clears every one)

`Body(fields, required)` names the keys a body may hold; anything else is refused with the keys it takes. A new
key is one line in a body's table (the drift's: `DRIFT`), with the attribute of `ProviderDrift` it sets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from starlette.requests import Request

from harness.sandbox.markup import MARKUP_KINDS
from harness.sandbox.misreadings import MISREADINGS
from harness.sandbox.state import SandboxState
from harness.sandbox.stream_faults import DRIFT_KINDS as STREAM_FAULTS
from harness.sandbox.stream_faults import MARKS_KINDS

MAX_BODY_BYTES = 64 * 1024  # far above any documented control body (a catalogue of a thousand voice ids fits)
MAX_DEPTH = 8  # the deepest documented body nests 2 (billing: {provider: factor})
MAX_ITEMS = 10_000  # ids in one list
SINK_BODY_BYTES, SINK_DEPTH = 1024 * 1024, 32  # a webhook's callback: a job's status, far smaller and shallower


class BodyRefused(Exception):
    """A control body that is not read: the status to answer and one line saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def json_body(request: Request, limit: int = MAX_BODY_BYTES, depth: int = MAX_DEPTH) -> Any:
    """The request's JSON body, read no further than `limit` bytes and parsed only when it nests at most `depth`."""
    raw = await bounded_body(request, limit, depth)
    try:
        return json.loads(raw)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BodyRefused(400, f"the body is not JSON: {error}") from None


async def bounded_body(request: Request, limit: int = MAX_BODY_BYTES, depth: int = MAX_DEPTH) -> bytes:
    """The request's body, refused (413) past `limit` bytes before more is read, and (400) where it nests deeper than
    `depth`: what may then be parsed as JSON without recursing without end."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyRefused(413, f"the body of {int(declared):,} bytes is more than the {limit:,} the control API takes")
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > limit:
            raise BodyRefused(413, f"the body is more than the {limit:,} bytes the control API takes")
    deepest = nesting(bytes(raw))
    if deepest > depth:
        raise BodyRefused(400, f"the body nests {deepest} deep, more than the {depth} the control API reads")
    return bytes(raw)


def nesting(raw: bytes) -> int:
    """How deep a JSON text's arrays and objects nest, brackets inside strings aside: one pass, no recursion."""
    deepest = level = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            level += 1
            deepest = max(deepest, level)
        elif byte in (0x5D, 0x7D):  # ] }
            level -= 1
    return deepest


class Field(Protocol):
    @property
    def words(self) -> str:
        """The documented type, as a refusal says it."""

    def read(self, value: Any, name: str, state: SandboxState) -> Any:
        """The value as the sandbox keeps it, or ValueError naming `name` and what it takes."""


@dataclass(frozen=True, slots=True)
class Number:
    low: float
    high: float

    @property
    def words(self) -> str:
        return f"{self.low:g}-{self.high:g}"

    def read(self, value: Any, name: str, state: SandboxState) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not self.low <= value <= self.high
        ):
            raise ValueError(f"{name} must be a number from {self.low:g} to {self.high:g}, got {_shown(value)}")
        return float(value)


@dataclass(frozen=True, slots=True)
class Amount:
    """Money, exact: a JSON number or a decimal written as a string ("0.000001"), in [0, high]; never a bool."""

    high: Decimal

    @property
    def words(self) -> str:
        return f"an amount 0-{self.high:,}"

    def read(self, value: Any, name: str, state: SandboxState) -> Decimal:
        plain = isinstance(value, str) and len(value) <= 40
        if not isinstance(value, bool) and (isinstance(value, int | float) or plain):
            try:
                amount = Decimal(value if plain else repr(value))
            except InvalidOperation:
                amount = Decimal("NaN")
            if amount.is_finite() and 0 <= amount <= self.high:
                return amount
        raise ValueError(
            f"{name} must be an amount from 0 to {self.high:,} (a number or a decimal string), got {_shown(value)}"
        )


@dataclass(frozen=True, slots=True)
class Names:
    choices: Callable[[SandboxState], Collection[str]]

    words: str = "[names]"

    def read(self, value: Any, name: str, state: SandboxState) -> tuple[str, ...]:
        known = self.choices(state)
        if not isinstance(value, list) or not all(isinstance(v, str) and v in known for v in value):
            raise ValueError(f"{name} names some of {', '.join(sorted(known))}, got {_shown(value)}")
        return tuple(dict.fromkeys(value))


@dataclass(frozen=True, slots=True)
class Ids:
    words: str = "[ids]"

    def read(self, value: Any, name: str, state: SandboxState) -> frozenset[str]:
        if not isinstance(value, list) or len(value) > MAX_ITEMS or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"{name} must be a list of at most {MAX_ITEMS:,} ids (non-empty strings)")
        return frozenset(value)


@dataclass(frozen=True, slots=True)
class Text:
    ascii: bool = False  # it travels in a header: printable ASCII only

    words: str = "text"

    def read(self, value: Any, name: str, state: SandboxState) -> str:
        if (
            not isinstance(value, str)
            or not value
            or len(value) > 1000
            or (self.ascii and not (value.isascii() and value.isprintable()))
        ):
            kind = "printable ASCII text (it travels in a header)" if self.ascii else "a non-empty string"
            raise ValueError(f"{name} must be {kind}")
        return value


@dataclass(frozen=True, slots=True)
class ServedName:
    words: str = "provider"

    def read(self, value: Any, name: str, state: SandboxState) -> str:
        if not isinstance(value, str) or value not in state.served:
            raise ValueError(f"{name} names {_shown(value)}, which this sandbox does not serve")
        return value


@dataclass(frozen=True, slots=True)
class Language:
    """A language tag the sandbox speaks ("en", "es"), or "" (the neutral value: as asked)."""

    words: str = "a language the sandbox speaks"

    def read(self, value: Any, name: str, state: SandboxState) -> str:
        from harness.sandbox.languages import can_speak

        if not isinstance(value, str) or len(value) > 35 or (value and not can_speak(value)):
            raise ValueError(
                f'{name} must be a language the sandbox speaks (or "" to answer as asked), got {_shown(value)}'
            )
        return value


@dataclass(frozen=True, slots=True)
class OneOf:
    """One of `choices`, or "" (the neutral value: as documented)."""

    choices: tuple[str, ...]
    shown: str = ""  # what the body's schema line calls it (a wrong value's refusal lists the choices)

    @property
    def words(self) -> str:
        return self.shown or " | ".join(f'"{c}"' for c in self.choices)

    def read(self, value: Any, name: str, state: SandboxState) -> str:
        if not isinstance(value, str) or (value and value not in self.choices):
            raise ValueError(
                f'{name} must be one of {", ".join(self.choices)} (or "" as documented), got {_shown(value)}'
            )
        return value


@dataclass(frozen=True, slots=True)
class PerProvider:
    value: Field
    neutral: Any = None  # the value meaning "as documented": dropped when merged

    @property
    def words(self) -> str:
        return f'{{"provider": {self.value.words}}}'

    def read(self, given: Any, name: str, state: SandboxState) -> dict[str, Any]:
        if not isinstance(given, dict):
            raise ValueError(f"{name} must be an object of provider: {self.value.words}")
        return {
            ServedName().read(provider, f"{name}", state): self.value.read(value, f"{name}.{provider}", state)
            for provider, value in given.items()
        }


@dataclass(frozen=True, slots=True)
class Body:
    """The keys a control body may hold, each read by its field; `required` ones must be there, and a body that
    `needs_some` must name at least one."""

    fields: Mapping[str, Field]
    required: frozenset[str] = frozenset()
    needs_some: bool = False

    @property
    def words(self) -> str:
        """The body as a refusal shows it: `{"seconds": 0-1e+09}`."""
        return (
            "{"
            + ", ".join(f'"{name}"{"" if name in self.required else "?"}: {f.words}' for name, f in self.fields.items())
            + "}"
        )

    def read(self, body: Any, state: SandboxState) -> dict[str, Any]:
        """Each given key's value as the sandbox keeps it; ValueError saying what is wrong, nothing changed."""
        if not isinstance(body, dict):
            raise ValueError(f"the body is a JSON {type(body).__name__}, not an object")
        unknown = sorted(set(body) - set(self.fields))
        if unknown:  # the keys it takes are the expected body's, shown beside this
            raise ValueError(f"nothing else (not {', '.join(_shown(k) for k in unknown)})")
        if self.needs_some and not body:
            raise ValueError(f"give at least one of {', '.join(self.fields)}")
        missing = sorted(self.required - set(body))
        if missing:
            raise ValueError(f"{', '.join(missing)} must be given")
        return {name: self.fields[name].read(value, name, state) for name, value in body.items()}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# The provider changing under a history (`ProviderDrift`, README and docs/history.md): each key the attribute it sets.
DRIFT = Body(
    {
        "added_latency_s": Number(0.0, 600.0),
        "pitch_shift": Number(-12.0, 12.0),
        "misread": Names(lambda state: MISREADINGS),
        "billing": PerProvider(Number(0.01, 100.0), neutral=1.0),  # merged into the factors set before
        # a provider that answers in one language whatever is asked ("en": a voice falling back to English)
        "language_fallback": PerProvider(Language(), neutral=""),
        # a provider whose streams break at their seams or rate (harness.sandbox.stream_faults; "" as documented)
        "streams": PerProvider(OneOf(STREAM_FAULTS, "stream fault"), neutral=""),
        # a provider whose timing marks break (harness.sandbox.stream_faults.broken_marks; "" as documented)
        "marks": PerProvider(OneOf(MARKS_KINDS, "marks fault"), neutral=""),
        # a provider whose markup is spoken aloud or whose pauses are dropped (harness.sandbox.markup; "" as documented)
        "markup": PerProvider(OneOf(MARKUP_KINDS, "markup fault"), neutral=""),
    },
    needs_some=True,
)
ADVANCE = Body({"seconds": Number(0.0, 10.0**9)}, required=frozenset({"seconds"}))
CATALOGUE = Body({"provider": ServedName(), "voices": Ids(), "models": Ids(), "missing": Ids()})
KEYS = Body(
    {"provider": ServedName(), "key": Text(ascii=True), "tier": Text(), "balance": Amount(Decimal(10) ** 12)},
    required=frozenset({"provider", "key"}),
)
