"""What a fixture folder shows about each endpoint's answers: the observed contract, inferred from examples.

A provider that changes its API rarely announces it. Two recordings of the same endpoints (the committed
fixtures and a nightly live re-record) are the evidence; this module condenses each recording into the
facts a client depends on, per (provider, endpoint, HTTP status):

* the body kinds (json / media / text / empty) and media types (``Content-Type`` without parameters);
* the response headers and in how many examples each appeared;
* the values of the lifecycle field (``status`` unless the provider's spec names another);
* JSON body shapes per lifecycle state: every field path (``/output/media_url/*``, ``*`` for array items)
  with the JSON types seen there and in how many examples it appeared (present in every example means
  required, in some means optional).

Shapes are kept per lifecycle state because a queued job's body and a completed job's body legitimately
differ; comparing them across states would report fields "removed" that were never promised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from harness.contracts import RecordedExchange, Scenario, load_scenarios

ITEM = "*"  # path segment standing for every item of an array
# Headers that describe the connection or the hosting, not the API: they differ between any two hosts.
TRANSPORT_HEADERS = frozenset({"date", "content-length", "connection", "keep-alive", "transfer-encoding", "server"})
DEFAULT_STATUS_FIELD = "status"


@dataclass(frozen=True, slots=True)
class EndpointKey:
    provider: str
    endpoint: str  # the endpoint key of the exchange ("xtts-v2.status"), or "media"
    status: int

    def __str__(self) -> str:
        return f"{self.provider} {self.endpoint} {self.status}"


@dataclass(slots=True)
class PathInfo:
    types: set[str] = field(default_factory=set)
    examples: int = 0  # examples (bodies) in which the path appears at least once


@dataclass(slots=True)
class Shape:
    """The union of JSON bodies seen for one endpoint, status and lifecycle state."""

    examples: int = 0
    paths: dict[str, PathInfo] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class ObservedEndpoint:
    examples: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    media_types: Counter[str] = field(default_factory=Counter)
    headers: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    shapes: dict[str | None, Shape] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScenarioOutline:
    """What name-matching needs of one scenario: its first answer's status and every (endpoint, status)."""

    provider: str
    first: tuple[str, int] | None
    answers: frozenset[tuple[str, int]]


@dataclass(slots=True)
class Recording:
    """A fixture folder condensed: observed endpoints and scenario outlines by name."""

    root: Path
    endpoints: dict[EndpointKey, ObservedEndpoint] = field(default_factory=dict)
    scenarios: dict[str, ScenarioOutline] = field(default_factory=dict)


def json_type(value: Any) -> str:
    """JSON's type names; integers and floats are both "number" (1 and 1.0 are the same JSON value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    raise TypeError(f"expected a JSON value, got {type(value).__name__}")


def _walk(value: Any, path: str, found: dict[str, set[str]]) -> None:
    found.setdefault(path, set()).add(json_type(value))
    if isinstance(value, Mapping):
        for key, item in value.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            _walk(item, f"{path}/{escaped}", found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, f"{path}/{ITEM}", found)


def flatten(body: Any) -> dict[str, set[str]]:
    """Every path in a JSON document (root is ``""``) with the types seen there."""
    found: dict[str, set[str]] = {}
    _walk(body, "", found)
    return found


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0]


def _body_kind(body: Mapping[str, Any]) -> str:
    for kind in ("json", "media", "text"):
        if kind in body:
            return kind
    return "empty"


def _media_type(headers: Mapping[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower()
    return None


@cache
def _status_field(provider: str, endpoint: str) -> str:
    """The lifecycle field of an endpoint from its provider spec; ``status`` for anything unknown."""
    from harness.core.registry import providers

    spec = providers().get(provider)
    if spec is None:
        return DEFAULT_STATUS_FIELD
    for candidate in spec.endpoints:
        if candidate.key == endpoint and candidate.lifecycle is not None:
            return candidate.lifecycle.status_field
    return DEFAULT_STATUS_FIELD


def _state(body: Any, status_field: str) -> str | None:
    if isinstance(body, Mapping):
        value = body.get(status_field)
        if isinstance(value, str):
            return value
    return None


def _add_exchange(recording: Recording, provider: str, exchange: RecordedExchange) -> None:
    response = exchange.response
    key = EndpointKey(provider, exchange.endpoint, int(response.status))
    observed = recording.endpoints.setdefault(key, ObservedEndpoint())
    observed.examples += 1
    observed.kinds[_body_kind(response.body)] += 1
    media_type = _media_type(response.headers)
    if media_type:
        observed.media_types[media_type] += 1
    for name in {h.lower() for h in response.headers} - TRANSPORT_HEADERS:
        observed.headers[name] += 1
    if "json" not in response.body:
        return
    body = response.body["json"]
    state = _state(body, _status_field(provider, exchange.endpoint))
    if state is not None:
        observed.states[state] += 1
    shape = observed.shapes.setdefault(state, Shape())
    shape.examples += 1
    for path, types in flatten(body).items():
        info = shape.paths.setdefault(path, PathInfo())
        info.types |= types
        info.examples += 1


def _outline(scenario: Scenario) -> ScenarioOutline:
    answers = [(e.endpoint, int(e.response.status)) for e in scenario.exchanges]
    return ScenarioOutline(scenario.provider, answers[0] if answers else None, frozenset(answers))


def condense(root: Path, scenarios: Iterable[Scenario]) -> Recording:
    recording = Recording(root)
    for scenario in scenarios:
        recording.scenarios[scenario.name] = _outline(scenario)
        for exchange in scenario.exchanges:
            _add_exchange(recording, scenario.provider, exchange)
    return recording


def load_recording(root: Path) -> Recording:
    """Read a fixture folder (``<root>/scenarios/...``); an error names the folder when it holds none."""
    if not (root / "scenarios").is_dir():
        raise FileNotFoundError(f"expected a fixture folder with a scenarios/ directory, got {root}")
    return condense(root, load_scenarios(root))
