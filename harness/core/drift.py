"""Drift detection: what a payload shows that the documents do not settle.

Three sources, all generic: fields no model declares (`extra="allow"` keeps them; here they become
`unknown-field` drift), timestamps in the documents' alternate form rather than ISO 8601, and values in
a documented alternate form (`ValueForms`). None of them fails a check (a timestamp in no documented
form does: `validate.timestamp_violations`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from harness.core.json_pointer import resolve
from harness.core.spec import ValueForms
from harness.core.timestamps import TimestampForm, timestamp_form
from harness.core.verdict import Drift, pointer


def unknown_fields(model: BaseModel, prefix: str = "") -> list[Drift]:
    """Fields the provider sent that its documents never mention, anywhere in the model tree."""
    found: list[Drift] = []
    for key in model.model_extra or {}:
        found.append(Drift(prefix + pointer(key), "field not in the documents", "unknown-field"))
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        wire = info.alias or name
        if isinstance(value, BaseModel):
            found.extend(unknown_fields(value, prefix + pointer(wire)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found.extend(unknown_fields(item, prefix + pointer(wire, index)))
    return found


def timestamp_drift(data: Any, pointers: Iterable[str]) -> list[Drift]:
    found: list[Drift] = []
    for where in pointers:
        present, value = resolve(data, where)
        if not present or not isinstance(value, str):
            continue
        form = timestamp_form(value)
        if form is TimestampForm.SPACE_NAIVE:
            found.append(
                Drift(
                    where,
                    f"timestamp {value!r} uses the documents' alternate form 'YYYY-MM-DD HH:MM:SS' "
                    "(no zone) rather than ISO 8601",
                )
            )
    return found


def variant_drift(data: Any, variants: Iterable[ValueForms]) -> list[Drift]:
    found: list[Drift] = []
    for variant in variants:
        present, value = resolve(data, variant.pointer)
        if present and value in variant.alternates:
            found.append(Drift(variant.pointer, f"{value!r}: {variant.note}"))
    return found
