"""Turning an outcome into a fixture (redacted, base URLs templated) and a fixture back into a
`ReplayTransport` for replay. A streamed answer (no Content-Length) read through a
`TimingTransport` keeps its offsets beside its body (`body.timing`), so replay gives it back in time."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from harness._version import __version__
from harness.contracts.execute import PlanOutcome
from harness.contracts.replay import Recorded, ReplayTransport, StreamTiming, say_untimed, timing_of
from harness.contracts.scenario import (
    MediaStore,
    RecordedExchange,
    RecordedRequest,
    RecordedResponse,
    Scenario,
    Source,
    dump_scenario,
    parse_scenario,
)
from harness.contracts.targets import ContractTarget
from harness.core.redact import FILTERED, SENSITIVE_HEADERS, Redactor
from harness.core.validate import media_type_of, sniff_audio

# Headers that change on every call and say nothing about the contract.
VOLATILE_HEADERS = frozenset({"date", "server", "content-length", "transfer-encoding", "connection", "keep-alive"})


def _templater(target: ContractTarget) -> list[tuple[str, str]]:
    pairs = [(url.rstrip("/"), "{" + f"{provider}/{host}" + "}") for (provider, host), url in target.base_urls.items()]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def _template(text: str, pairs: list[tuple[str, str]]) -> str:
    for url, placeholder in pairs:
        text = text.replace(url, placeholder)
    return text


def _detemplate(text: str, target: ContractTarget | None) -> str:
    if target is None:
        return text

    def swap(match: re.Match[str]) -> str:
        provider, host = match.group(1), match.group(2)
        return target.base_urls.get((provider, host), match.group(0))

    return re.sub(r"\{([a-z0-9_-]+)/([a-z0-9_-]+)\}", swap, text)


def _headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for name, value in headers:
        lower = name.lower()
        if lower in VOLATILE_HEADERS:
            continue
        kept[lower] = FILTERED if lower in SENSITIVE_HEADERS else value
    return kept


def _request_body(request: httpx.Request) -> dict[str, Any]:
    content_type = media_type_of(request.headers.get("content-type"))
    if not request.content:
        return {}
    if content_type == "application/json":
        return {"json": json.loads(request.content)}
    if content_type == "multipart/form-data":
        # The parts are our own encoding of the payload; keep the field names and text values, not the bytes.
        text = request.content.decode("latin-1")
        names = re.findall(r'name="([^"]+)"(?:; filename="([^"]*)")?', text)
        return {"multipart": [{"name": n, **({"filename": f} if f else {})} for n, f in names]}
    return {"text": request.content.decode("utf-8", "replace")}


def _response_body(response: httpx.Response, media: MediaStore) -> dict[str, Any]:
    body = _body_of(response, media)
    timing = timing_of(response)
    if body and timing is not None and "content-length" not in response.headers:
        body["timing"] = timing.to_json()
    return body


def _body_of(response: httpx.Response, media: MediaStore) -> dict[str, Any]:
    content_type = media_type_of(response.headers.get("content-type"))
    data = response.content
    if not data:
        return {}
    if sniff_audio(data) is not None or content_type.startswith("audio/"):
        return {"media": media.put(data, content_type or sniff_audio(data) or "application/octet-stream")}
    if "json" in content_type:
        try:
            return {"json": json.loads(data)}
        except ValueError:
            pass
    return {"text": data.decode("utf-8", "replace")}


def to_scenario(outcome: PlanOutcome, target: ContractTarget, media: MediaStore, endpoint_signature: str) -> Scenario:
    pairs = _templater(target)
    exchanges = tuple(
        RecordedExchange(
            endpoint=key,
            request=RecordedRequest(
                request.method,
                _template(str(request.url), pairs),
                _headers(request.headers.multi_items()),
                _request_body(request),
            ),
            response=RecordedResponse(
                response.status_code,
                _headers(response.headers.multi_items()),
                _response_body(response, media),
            ),
        )
        for key, request, response in outcome.exchanges
    )
    source = Source.LIVE if target.at_providers else Source.SANDBOX
    return Scenario(
        name=outcome.plan.name,
        provider=outcome.plan.provider,
        endpoint=endpoint_signature,
        source=source,
        exchanges=exchanges,
        made=f"recorded by `pytest contracts/` against the {source.value} target",
        recorded_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        harness_version=__version__,
    )


def write_scenario(root: Path, scenario: Scenario, target: ContractTarget, secrets: Iterable[str]) -> Path:
    """Write the fixture with every known secret filtered, and templated base URLs."""
    text = Redactor(tuple(secrets)).text(_template(dump_scenario(scenario), _templater(target)))
    path = root / "scenarios" / scenario.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def replay_answer(recorded: RecordedResponse, media: MediaStore, target: ContractTarget | None, name: str) -> Recorded:
    """A recorded answer ready to be given again (its URLs pointed at `target`; None: left templated)."""
    headers = dict(recorded.headers)
    body = recorded.body
    if "json" in body:
        content = _detemplate(json.dumps(body["json"]), target).encode()
    elif "media" in body:
        content = media.get(body["media"])
    elif "text" in body:
        content = _detemplate(body["text"], target).encode()
    else:
        content = b""
    timing = StreamTiming.from_json(body["timing"]) if "timing" in body else None
    if timing is None and media_type_of(headers.get("content-type")) == "text/event-stream":
        say_untimed(name)
    return Recorded(recorded.status, headers, content, timing)


def replay_routes(
    scenario: Scenario,
    media: MediaStore,
    target: ContractTarget,
) -> dict[tuple[str, str], list[Recorded]]:
    """The scenario's recorded answers per (method, URL), in recorded order."""
    by_route: dict[tuple[str, str], list[Recorded]] = defaultdict(list)
    for exchange in scenario.exchanges:
        url = _detemplate(exchange.request.url, target)
        by_route[(exchange.request.method, url)].append(replay_answer(exchange.response, media, target, scenario.name))
    return dict(by_route)


def replay_transport(scenario: Scenario, media: MediaStore, target: ContractTarget) -> ReplayTransport:
    """An httpx transport answering the scenario as recorded, headers and body at their offsets."""
    return ReplayTransport(replay_routes(scenario, media, target))


def read_scenario(path: Path) -> Scenario:
    return parse_scenario(path.read_text(encoding="utf-8"))


def recorded_secrets_free(paths: Iterable[Path], secrets: Mapping[str, str]) -> list[str]:
    """The files (and which secret) where a secret survived in any form the redactor knows, or any piece of
    8 characters of one; empty when redaction held."""
    leaks = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace")
        leaks += [f"{path}: {name}" for name, value in secrets.items() if Redactor((value,)).text(text) != text]
    return leaks
