"""The value audit, both ways (issue 67): for each socket and HTTP format parameter the documents catalogue lists values
for (`harness/data/fixtures/docs/<name>.json`, `values`: the parameter, the values and the quoted words with their
page), the values the declaration accepts are exactly the documented ones. A documented value the declaration refuses
fails, unless the entry names it under `not_imitated` with the reason (each such reason points at
docs/sandbox-differences.md, where the difference is listed); a value the declaration accepts that no document lists
fails too (it would be taken without a finding)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

from harness.core.protocols.http_speech import Format, SpeechService
from harness.core.protocols.websocket_speech import Send, Socket, Upgrade, slots_of, socket_of
from harness.core.registry import providers
from harness.core.spec import Endpoint

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "harness" / "data" / "fixtures" / "docs"
DIFFERENCES = (ROOT / "docs" / "sandbox-differences.md").read_text()
#: A request field of a provider outside the speech families is a format parameter when its name says so.
FORMAT_WORDS = ("format", "rate", "codec", "encoding")


def _entries() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(DOCS.glob("*.json")):
        for entry in json.loads(path.read_text()).get("values", ()):
            yield path.stem, entry


def _formats(provider: str, where: str) -> tuple[Sequence[Format], str]:
    """The formats a route takes and the pointer of its format slot ("" where a socket's template names it, or none)."""
    kind, _, key = where.partition(" ")
    if kind == "socket":
        return socket_of(providers()[provider].channel(key)).formats, ""
    service = providers()[provider].family
    assert isinstance(service, SpeechService), f"{provider} is no provider of the HTTP speech family"
    synthesis = service.synthesis(key)
    return synthesis.formats, synthesis.slots.format or ""


def _accepted(formats: Sequence[Format], field: str, slot: str = "") -> set[Any]:
    """What the declaration takes at the parameter: the format names (as sent at the format slot, where a format sets
    that slot's value itself), every rate, or a field the formats set. A route of one fixed format (`fixed`): its
    name."""
    if field in ("name", "fixed"):
        return {f.sets.get(slot) or f.name if slot else f.name for f in formats}
    if field == "rate":
        return {rate for f in formats for rate in (f.rates or (f.spec.sample_rate,))}
    return {f.sets[field] for f in formats if f.sets.get(field) is not None}


def _request_fields(endpoint: Endpoint) -> dict[str, Any]:
    """A request model's format parameters, by their wire names: the annotation of each field named like one."""
    request = endpoint.request
    if request is None:
        return {}
    return {
        f"/{info.alias or name}": info.annotation
        for name, info in request.model_fields.items()
        if any(word in (info.alias or name).lower() for word in FORMAT_WORDS)
    }


def _literal(provider: str, where: str, field: str) -> set[Any]:
    """What a request model takes at a format parameter where the provider's formats are no declaration of a speech
    family (its own emulation, a job's submit), or at a field a speech family's format fills (a bit rate any of whose
    values takes the format): the values of its Literal."""
    endpoint = next(e for e in providers()[provider].endpoints if e.key == where.partition(" ")[2])
    annotation = _annotation_at(endpoint.request, field)
    # a Literal, or an Optional one
    optional = [arg for arg in get_args(annotation) if arg is not type(None)]
    choices = [annotation] if get_origin(annotation) is Literal else optional
    values = {value for choice in choices for value in (get_args(choice) if get_origin(choice) is Literal else ())}
    assert values, f"{provider} {where} {field}: no closed list of values ({annotation})"
    return values


def _annotation_at(model: Any, pointer: str) -> Any:
    """The annotation of a request model's field at a JSON pointer, through nested models and their unions."""
    annotation = model
    for part in pointer.strip("/").split("/"):
        candidates = (annotation, *get_args(annotation))
        models = [one for one in candidates if isinstance(one, type) and issubclass(one, BaseModel)]
        fields = {info.alias or name: info.annotation for one in models for name, info in one.model_fields.items()}
        assert part in fields, f"{pointer}: no field {part} in {annotation}"
        annotation = fields[part]
    return annotation


ENTRIES = list(_entries())


@pytest.mark.parametrize(("provider", "entry"), ENTRIES, ids=[f"{p}:{e['where']}:{e['parameter']}" for p, e in ENTRIES])
def test_declared_values_are_the_documented_ones(provider: str, entry: dict[str, Any]) -> None:
    assert entry["doc"] and entry["quote"], "each list quotes its page"
    documented = set(entry["values"])
    if "range" in entry:
        low, high = entry["range"]
        documented |= set(range(low, high + 1))
    if entry["where"] == "provider":  # no request of it names a format: the one its documents show
        assert not any(_request_fields(e) for e in providers()[provider].endpoints), "a request names a format"
        accepted = documented
    elif entry["where"].startswith("request "):
        accepted = _literal(provider, entry["where"], entry["field"])
    else:
        formats, slot = _formats(provider, entry["where"])
        filled = {at for f in formats for at in f.fills}
        accepted = (
            _literal(provider, entry["where"], entry["field"])
            if entry["field"] in filled
            else _accepted(formats, entry["field"], slot)
        )
    if entry.get("answered_in_container"):  # a container field: a format that sets no value there answers its own
        accepted |= {f.spec.container for f in formats if entry["field"] not in f.sets} & documented
    # JSON keys are text: a rate left out is named as its digits
    left_out = {
        int(value) if entry["field"] == "rate" else value: reason
        for value, reason in entry.get("not_imitated", {}).items()
    }
    assert not set(left_out) & accepted, f"named as not imitated, yet accepted: {set(left_out) & accepted}"
    assert all("sandbox-differences" in reason for reason in left_out.values())
    refused = documented - accepted - set(left_out)
    assert not refused, f"documented, refused: {sorted(refused, key=str)}"
    beyond = accepted - documented
    assert not beyond, f"accepted, documented nowhere: {sorted(beyond, key=str)}"


def test_every_value_left_out_is_a_listed_difference() -> None:
    """Each value left out is named, in backquotes, on a line of docs/sandbox-differences.md that names its provider."""
    lines = [line.lower() for line in DIFFERENCES.splitlines()]
    for provider, entry in ENTRIES:
        title = providers()[provider].title.lower()
        for value in entry.get("not_imitated", {}):
            assert any(f"`{value.lower()}`" in line and (provider in line or title in line) for line in lines), (
                f"{provider} {entry['where']} {value}: not a listed difference"
            )


def _sent(part: Any) -> Iterator[Send | Upgrade]:
    """Every client message and the upgrade a socket's declaration holds, at any depth of its parts."""
    if isinstance(part, Send | Upgrade):
        yield part
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        for one in dataclasses.fields(part):
            yield from _sent(getattr(part, one.name))
    elif isinstance(part, tuple | list):
        for one in part:
            yield from _sent(one)


def _socket_parameters(socket: Socket) -> set[str]:
    """The format parameters a client sends on a socket: the name and the rate where a template asks for them; a
    socket whose client names no format is of one fixed format (`fixed`)."""
    asked: set[str] = set()
    for part in _sent(socket):
        if isinstance(part, Upgrade):
            asked |= part.slots
        else:
            asked |= set(slots_of(part.template))
    return {"name" if "format" in asked else "fixed"} | ({"rate"} if "rate" in asked else set())


def _http_parameters(formats: Sequence[Format], slots: Mapping[str, str | None]) -> set[str]:
    """The format parameters a synthesis takes: its format slot's names, its rate slot, every other field its formats
    set or fill; a synthesis with neither a format slot nor a field its formats set answers in one fixed format."""
    fields = {at for f in formats for at in f.sets} - {slots["format"], slots["rate"]}
    named = {"name"} if slots["format"] else set() if fields else {"fixed"}
    filled = {at for f in formats for at in f.fills}  # a bit rate a format carries, any documented value taking it
    return named | fields | filled | ({"rate"} if slots["rate"] else set())


def _routes() -> Iterator[tuple[str, str, set[str]]]:
    """Every built-in provider's routes that answer in a format: each HTTP synthesis and each socket, with the format
    parameters it takes; for a provider outside the speech families, each request that names a format (its request
    model's fields), or the provider itself where none does (one fixed format)."""
    for name, provider in sorted(providers().items()):
        service = provider.family
        if isinstance(service, SpeechService):
            for synthesis in service.syntheses:
                if synthesis.formats:
                    slots = {"format": synthesis.slots.format, "rate": synthesis.slots.rate}
                    yield name, f"http {synthesis.endpoint.key}", _http_parameters(synthesis.formats, slots)
        else:
            fields = {f"request {e.key}": set(_request_fields(e)) for e in provider.endpoints if _request_fields(e)}
            yield from ((name, where, wanted) for where, wanted in fields.items())
            if not fields:  # one fixed format: the provider's entry says so
                yield name, "provider", {"fixed"}
        for channel in provider.channels:
            yield name, f"socket {channel.key}", _socket_parameters(socket_of(channel))


def test_every_format_parameter_is_audited() -> None:
    """The audit holds every built-in provider to its documents, not the ones catalogued so far: each route's every
    format parameter has its entry, and no entry names a parameter the route does not take."""
    catalogued = {(provider, entry["where"], entry["field"]) for provider, entry in ENTRIES}
    wanted = {(provider, where, field) for provider, where, fields in _routes() for field in fields}
    assert not wanted - catalogued, f"not audited: {sorted(wanted - catalogued)}"
    assert not catalogued - wanted, f"audited, but no parameter of the route: {sorted(catalogued - wanted)}"


def _assumed_formats() -> Iterator[tuple[str, str, Format]]:
    """Every format a built-in provider's routes take: each HTTP synthesis' and each socket's."""
    for name, provider in sorted(providers().items()):
        service = provider.family
        if isinstance(service, SpeechService):
            for synthesis in service.syntheses:
                yield from ((name, f"http {synthesis.endpoint.key}", f) for f in synthesis.formats)
        for channel in provider.channels:
            yield from ((name, f"socket {channel.key}", f) for f in socket_of(channel).formats)


def test_an_assumed_format_says_its_assumption() -> None:
    """A documented format whose bytes the documents leave unsaid is taken, never refused (issue 67), but answered as
    the sandbox assumes: its `assumed` note names what the documents do not say and what the sandbox answers (the
    finding each request leaves), and docs/sandbox-differences.md lists it among the assumed answers."""
    assumed = [(p, where, f) for p, where, f in _assumed_formats() if f.assumed]
    assert assumed, "no format is answered by assumption"
    section = DIFFERENCES.partition("### Formats answered by assumption")[2].partition("\n#")[0].lower()
    for provider, where, fmt in assumed:
        said = fmt.assumed.startswith(("the documents do not say", "the sandbox cannot write"))
        assert said and "; the sandbox answers" in fmt.assumed, (
            f"{provider} {where} {fmt.name}: {fmt.assumed!r} names neither what is unsaid nor what is answered"
        )
        names = (provider, providers()[provider].title.split()[0].lower())
        rows = section.splitlines()
        assert any(f"`{fmt.name.lower()}`" in line and any(n in line for n in names) for line in rows), (
            f"{provider} {where} {fmt.name}: not listed among the assumed answers in docs/sandbox-differences.md"
        )
