"""A path that answers in more than one form, picked by a request field's value: the HTTP speech family's rule
for telling them apart (a `POST /v1/audio/speech` that answers events with `stream: true` and one JSON
document without; a form that follows the `Accept` header).

Each form is a synthesis of its own — its own endpoint key to the plans, fixtures and benchmark — that names the
value picking it (`Selector`); `check_forms` refuses a declaration a request could not be read against, and
`form_for` is how the sandbox reads one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from harness.core.drift import resolve
from harness.core.spec import Endpoint


@dataclass(frozen=True, slots=True)
class Selector:
    """What picks one answer form among the syntheses that share a method and path (a `POST
    /v1/audio/speech` that answers events with `stream: true` and a JSON document without): a request field, by its
    pointer over the request model's fields (a body field, or a header field by its name in the model, such as
    `/accept`), and the values that pick this form. `by_default`: the form answered when the request leaves the
    field out (or sends it null), as the documents' default says."""

    pointer: str
    values: tuple[Any, ...]
    by_default: bool = False

    def picks(self, payload: Mapping[str, Any]) -> bool:
        present, value = resolve(payload, self.pointer)
        if not present or value is None:
            return self.by_default
        # `True == 1` in Python: a flag's value is compared with its type, so `stream: 1` picks no flag's form
        return any(type(value) is type(wanted) and value == wanted for wanted in self.values)


class Form(Protocol):
    """What this rule reads of a synthesis: where it answers, and what picks it."""

    @property
    def endpoint(self) -> Endpoint: ...

    @property
    def chosen_by(self) -> Selector | None: ...


F = TypeVar("F", bound=Form)


def forms_of(syntheses: Sequence[F], synthesis: F) -> tuple[F, ...]:
    """The syntheses answering on `synthesis`' method, host and path (itself among them), in declaration order."""

    def place(of: F) -> tuple[str, str, str]:
        return of.endpoint.method.upper(), of.endpoint.host, of.endpoint.path

    return tuple(other for other in syntheses if place(other) == place(synthesis))


def form_for(syntheses: Sequence[F], synthesis: F, payload: Mapping[str, Any]) -> F | None:
    """The answer form a request on `synthesis`' path asks for: the one whose selector picks its payload (the
    synthesis itself where the path has one form); None when the request picks no declared form."""
    forms = forms_of(syntheses, synthesis)
    if len(forms) == 1:
        return synthesis
    return next((form for form in forms if form.chosen_by is not None and form.chosen_by.picks(payload)), None)


def check_forms(name: str, syntheses: Sequence[F]) -> None:
    """A path with several answer forms is declared so that a request picks exactly one: every form names its
    selector, all on one field, with values no two forms share and one default at most; and the forms take one
    request model (the sandbox checks a request before it knows the form). ValueError names the first mistake."""
    done: set[tuple[str, ...]] = set()
    for synthesis in syntheses:
        forms = forms_of(syntheses, synthesis)
        keys = tuple(form.endpoint.key for form in forms)
        if len(forms) == 1 or keys in done:
            continue
        done.add(keys)
        where = f"{name}: {synthesis.endpoint.signature} answers in {len(forms)} forms ({', '.join(keys)})"
        selectors = [form.chosen_by for form in forms]
        if any(selector is None or not selector.values for selector in selectors):
            raise ValueError(f"{where}; each needs a chosen_by naming the field value that picks it")
        chosen = [selector for selector in selectors if selector is not None]
        if len({selector.pointer for selector in chosen}) != 1:
            raise ValueError(
                f"{where}; their selectors must read one field, not "
                f"{', '.join(sorted({selector.pointer for selector in chosen}))}"
            )
        values = [(type(value), value) for selector in chosen for value in selector.values]
        if len(set(values)) != len(values):
            raise ValueError(f"{where}; two forms are picked by the same value")
        if sum(selector.by_default for selector in chosen) > 1:
            raise ValueError(f"{where}; only one form can be the default")
        if len({form.endpoint.request for form in forms}) != 1:
            raise ValueError(f"{where}; they must share one request model")
