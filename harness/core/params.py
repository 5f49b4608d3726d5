"""Documented parameter ranges, read off a request model rather than written twice.

Provider modules declare ranges once, as pydantic constraints (`Field(ge=0.1, le=1.0)`,
`Literal[...]`, `max_length=500`). This module turns them into `ParamSpec`s, which the harness uses to
word its refusals ("exaggeration must be within 0.0–1.0") and the fuzzer uses to generate in-range and
out-of-range values.
"""

from __future__ import annotations

import types
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
        **bounds,
    )


def params_of(model: type[BaseModel]) -> tuple[ParamSpec, ...]:
    """Every top-level parameter of a request model, in declaration order."""
    return tuple(param_spec(name, info) for name, info in model.model_fields.items())
