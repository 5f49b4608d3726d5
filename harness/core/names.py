"""A name the harness does not know, said with the nearest it does: one rule for every face that takes a name (a
provider, a model, a corpus, a Whisper model), so a typo is answered with what was meant rather than a list of
every name to read through.

    not_known("model", ["tts1"], ["openai/tts-1"], aliases={"tts-1": "openai/tts-1"})
    # "unknown model 'tts1' (did you mean openai/tts-1?)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

# Above difflib's own 0.6, at which "nope" found "openai"; "tts1" finds "tts-1" (0.89), "eleven" elevenlabs (0.75).
CUTOFF = 0.7


def nearest(given: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The known names nearest `given` (compared without case): the nearest, with any as near (latency_p50 and
    latency_p95 for "latency"), in the order known; none where none is near. `aliases`: other spellings a name
    goes by (a model's name without its provider), each with the name to answer with."""
    folded: dict[str, str] = {}
    for spelling, name in [*((name, name) for name in known), *(aliases or {}).items()]:
        folded.setdefault(spelling.casefold(), name)
    close = difflib.get_close_matches(given.casefold(), list(folded), n=3, cutoff=CUTOFF)
    if not close:
        return ()
    best = _ratio(given, close[0])
    near = {folded[spelling] for spelling in close if _ratio(given, spelling) == best}
    return tuple(name for name in dict.fromkeys(folded.values()) if name in near)


def _ratio(given: str, spelling: str) -> float:
    return difflib.SequenceMatcher(None, given.casefold(), spelling).ratio()


def did_you_mean(given: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """` (did you mean openai?)` after a name not known, or nothing where no known name is near."""
    near = nearest(given, known, aliases)
    return f" (did you mean {' or '.join(near)}?)" if near else ""


def not_known(kind: str, given: Iterable[str], known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """`unknown provider 'opnai' (did you mean openai?), 'x'`: each unknown name with the nearest known one."""
    known = list(known)
    # Quoted as typed, not repr'd: the CLI's one line folds whatever was typed into it.
    return f"unknown {kind} " + ", ".join(f"'{name}'{did_you_mean(name, known, aliases)}" for name in given)


def unknown_key(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """What a file's key at `loc` that `model` does not take is called: `unknown key (did you mean models?)`, the
    nearest of the keys the table it is in takes (pydantic's `extra_forbidden`, at its `loc`)."""
    return "unknown key" + (did_you_mean(str(loc[-1]), _keys_at(model, loc[:-1])) if loc else "")


def _keys_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str, ...]:
    """The keys a table at `loc` of `model` takes (as a file spells them: aliases first); none where the place is
    not a table of a model (a mapping's own names, a value)."""
    current: type[BaseModel] | None = model
    for part in loc:
        fields = _fields(current)
        if isinstance(part, str) and part in fields:
            current = _model_in(fields[part].annotation)
        # otherwise a mapping's key or a list's index: the same model's tables below it
    return tuple(_fields(current))


def _fields(model: type[BaseModel] | None) -> dict[str, FieldInfo]:
    if model is None:
        return {}
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's values are tables of (`Socket`, `dict[str, Socket]`, `tuple[Model, ...] | None`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
