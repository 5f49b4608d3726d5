"""Documented parameter ranges, read off a request model rather than written twice.

Provider modules declare ranges once, as pydantic constraints (`Field(ge=0.1, le=1.0)`,
`Literal[...]`, `max_length=500`). This module turns them into `ParamSpec`s, which the harness uses to
word its refusals ("exaggeration must be within 0.0–1.0") and the fuzzer uses to generate in-range and
out-of-range values.

Those constraints are hard limits: a request beyond one is refused before it is sent. A document that
only recommends ("max 500 characters recommended", "Range typically 1.0–2.0") is declared with a
`SoftLimit` in the field's `Annotated[...]` metadata instead, quoting the document: a request beyond it
is legitimate, so it is sent, and the breach is reported (`soft_limit_breaches`) as a warning.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined


class ParamKind(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    ENUM = "enum"
    STRING = "string"
    BOOLEAN = "boolean"
    ARRAY = "array"
    OBJECT = "object"
    FILE = "file"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SoftLimit:
    """A limit the documents recommend rather than impose, in their own words.

    `low`/`high` bound a number; `max_length` bounds a string's characters or a list's items.
    """

    words: str  # the document's words, quoted: "max 500 characters recommended"
    doc: str  # the document file they come from
    low: float | None = None
    high: float | None = None
    max_length: int | None = None

    def breached_by(self, value: Any) -> bool:
        if isinstance(value, bool) or value is None:
            return False
        if isinstance(value, (int, float)):
            return (self.low is not None and value < self.low) or (self.high is not None and value > self.high)
        if isinstance(value, (str, list, tuple)) and self.max_length is not None:
            return len(value) > self.max_length
        return False

    def describe(self) -> str:
        if self.max_length is not None:
            return f"at most {self.max_length}"
        low = "" if self.low is None else f"{self.low}"
        high = "" if self.high is None else f"{self.high}"
        return f"within {low}–{high}"

    def citation(self) -> str:
        return f'"{self.words}" ({self.doc})'


@dataclass(frozen=True, slots=True, kw_only=True)
class ParamSpec:
    name: str  # the wire name (alias when the model uses one)
    kind: ParamKind
    required: bool
    default: Any = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[Any, ...] = ()
    nullable: bool = False
    soft: SoftLimit | None = None  # a recommended range: beyond it a request is sent and flagged
    words: str = ""  # the documents' description of the parameter (where its hard limits are cited)

    @property
    def bounded(self) -> bool:
        return any(v is not None for v in (self.ge, self.gt, self.le, self.lt, self.min_length, self.max_length))

    def describe(self) -> str:
        """The documented range in words, for error messages."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        parts = []
        if self.kind in (ParamKind.NUMBER, ParamKind.INTEGER):
            low = f">= {self.ge}" if self.ge is not None else (f"> {self.gt}" if self.gt is not None else "")
            high = f"<= {self.le}" if self.le is not None else (f"< {self.lt}" if self.lt is not None else "")
            if self.ge is not None and self.le is not None:
                return f"within {self.ge}–{self.le}"
            parts = [p for p in (low, high) if p]
        if self.min_length is not None or self.max_length is not None:
            low_len = self.min_length if self.min_length is not None else 0
            high_len = self.max_length if self.max_length is not None else "∞"
            parts.append(f"length {low_len}–{high_len}")
        return " and ".join(parts) or f"a {self.kind}"


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) != len(get_args(annotation))
        if len(args) == 1:
            return args[0], nullable
    return annotation, False


def _kind(annotation: Any) -> tuple[ParamKind, tuple[Any, ...]]:
    origin = get_origin(annotation)
    if origin is Literal:
        return ParamKind.ENUM, get_args(annotation)
    if origin in (list, tuple, set):
        return ParamKind.ARRAY, ()
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return ParamKind.BOOLEAN, ()
        if issubclass(annotation, StrEnum):
            return ParamKind.ENUM, tuple(m.value for m in annotation)
        if issubclass(annotation, int):
            return ParamKind.INTEGER, ()
        if issubclass(annotation, float):
            return ParamKind.NUMBER, ()
        if issubclass(annotation, str):
            return ParamKind.STRING, ()
        if issubclass(annotation, bytes):
            return ParamKind.FILE, ()
        if issubclass(annotation, BaseModel):
            return (ParamKind.FILE if getattr(annotation, "is_upload", False) else ParamKind.OBJECT), ()
    return ParamKind.OTHER, ()


def param_spec(name: str, info: FieldInfo) -> ParamSpec:
    annotation, nullable = _unwrap_optional(info.annotation)
    kind, choices = _kind(annotation)
    bounds: dict[str, Any] = {}
    soft = next((item for item in info.metadata if isinstance(item, SoftLimit)), None)
    for item in info.metadata:
        for attr, key in (
            (at.Ge, "ge"),
            (at.Gt, "gt"),
            (at.Le, "le"),
            (at.Lt, "lt"),
            (at.MinLen, "min_length"),
            (at.MaxLen, "max_length"),
        ):
            if isinstance(item, attr):
                bounds[key] = getattr(item, key)
    default = None if info.default is PydanticUndefined else info.default
    return ParamSpec(
        name=info.alias or name,
        kind=kind,
        required=info.is_required(),
        default=default,
        choices=choices,
        nullable=nullable,
        soft=soft,
        words=info.description or "",
        **bounds,
    )


def params_of(model: type[BaseModel]) -> tuple[ParamSpec, ...]:
    """Every top-level parameter of a request model, in declaration order."""
    return tuple(param_spec(name, info) for name, info in model.model_fields.items())


def soft_limit_breaches(model: type[BaseModel], payload: Mapping[str, Any]) -> list[tuple[ParamSpec, SoftLimit, Any]]:
    """The parameters of a (valid) payload that go beyond a limit the documents only recommend."""
    found = []
    for spec in params_of(model):
        value = payload.get(spec.name)
        if spec.soft is not None and spec.soft.breached_by(value):
            found.append((spec, spec.soft, value))
    return found
