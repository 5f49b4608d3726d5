"""Recorded interactions as data: one scenario per JSON file, audio stored once by content hash.

    fixtures/
      scenarios/<provider>/<endpoint-key>/<status>-<label>.json
      media/<sha256>.<ext>                audio bodies, referenced by hash, never inline

A scenario file:

    {"format": 1, "name": "pixazo/xtts-v2.generate/202-success", "provider": "pixazo",
     "endpoint": "POST /voice-clone/v1/xtts-v2/generate", "source": "docs" | "sandbox" | "live",
     "made": "how it was made", "recorded_at": "...", "harness_version": "...",
     "exchanges": [{"endpoint": "xtts-v2.generate",
                    "request":  {"method", "url", "headers", "body": {"json": ...} | {"form": ...} | {}},
                    "response": {"status", "headers", "body": {"json": ...} | {"media": "<sha>.wav"} |
                                 {"text": "..."}}}]}

URLs are stored with the target's base replaced by `{provider/host}` placeholders (e.g.
`{pixazo/gateway}/v2/requests/status/...`), so a recording made against the sandbox on any port, or
against the live host, replays against any base. Secrets are redacted before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.core.audio import strip_metadata

FORMAT = 1
_EXTENSIONS = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/mpeg": "mp3",
    "audio/flac": "flac",
    "audio/ogg": "ogg",
    "text/event-stream": "sse",
}


class Source(StrEnum):
    DOCS = "docs"
    SANDBOX = "sandbox"
    LIVE = "live"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: Mapping[str, Any]  # {"json": ...} | {"form": {...}, "files": {...}} | {}


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    status: int
    headers: Mapping[str, str]
    body: Mapping[str, Any]  # {"json": ...} | {"media": "<sha>.<ext>"} | {"text": "..."} | {}


@dataclass(frozen=True, slots=True)
class RecordedExchange:
    endpoint: str  # endpoint key, or "media" for a download of a returned URL
    request: RecordedRequest
    response: RecordedResponse


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    name: str
    provider: str
    endpoint: str  # signature of the endpoint under test
    source: Source
    exchanges: tuple[RecordedExchange, ...]
    made: str = ""
    recorded_at: str = ""
    harness_version: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return Path(*self.name.split("/")).with_suffix(".json")


class MediaStore:
    """Content-addressed audio: the same bytes are stored once, named by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes, media_type: str) -> str:
        """Store recorded audio without the metadata a server wrote into it (RIFF LIST/INFO, ID3, Vorbis
        comments: a key echoed there would otherwise be kept in the fixtures); its name after that."""
        data = strip_metadata(data)
        digest = hashlib.sha256(data).hexdigest()
        name = f"{digest}.{_EXTENSIONS.get(media_type.split(';')[0].strip().lower(), 'bin')}"
        target = self.root / name
        if not target.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return name

    def get(self, name: str) -> bytes:
        data = (self.root / name).read_bytes()
        expected = name.split(".")[0]
        if hashlib.sha256(data).hexdigest() != expected:
            raise ValueError(f"media {name} does not match its hash: the fixture store is corrupt")
        return data


def _exchange_to_json(exchange: RecordedExchange) -> dict[str, Any]:
    return {
        "endpoint": exchange.endpoint,
        "request": {
            "method": exchange.request.method,
            "url": exchange.request.url,
            "headers": dict(exchange.request.headers),
            "body": dict(exchange.request.body),
        },
        "response": {
            "status": exchange.response.status,
            "headers": dict(exchange.response.headers),
            "body": dict(exchange.response.body),
        },
    }


def _exchange_from_json(data: Mapping[str, Any]) -> RecordedExchange:
    req, resp = data["request"], data["response"]
    return RecordedExchange(
        endpoint=data["endpoint"],
        request=RecordedRequest(req["method"], req["url"], req.get("headers", {}), req.get("body", {})),
        response=RecordedResponse(resp["status"], resp.get("headers", {}), resp.get("body", {})),
    )


def dump_scenario(scenario: Scenario) -> str:
    document = {
        "format": FORMAT,
        "name": scenario.name,
        "provider": scenario.provider,
        "endpoint": scenario.endpoint,
        "source": scenario.source.value,
        "made": scenario.made,
        "recorded_at": scenario.recorded_at,
        "harness_version": scenario.harness_version,
        **({"extra": dict(scenario.extra)} if scenario.extra else {}),
        "exchanges": [_exchange_to_json(e) for e in scenario.exchanges],
    }
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def parse_scenario(text: str) -> Scenario:
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown scenario format {data.get('format')!r} (this harness reads {FORMAT})")
    return Scenario(
        name=data["name"],
        provider=data["provider"],
        endpoint=data["endpoint"],
        source=Source(data["source"]),
        exchanges=tuple(_exchange_from_json(e) for e in data["exchanges"]),
        made=data.get("made", ""),
        recorded_at=data.get("recorded_at", ""),
        harness_version=data.get("harness_version", ""),
        extra=data.get("extra", {}),
    )


def save_scenario(root: Path, scenario: Scenario) -> Path:
    target = root / "scenarios" / scenario.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_scenario(scenario), encoding="utf-8")
    return target


def load_scenarios(root: Path) -> Iterator[Scenario]:
    for path in sorted((root / "scenarios").rglob("*.json")):
        yield parse_scenario(path.read_text(encoding="utf-8"))


def load_scenario(root: Path, name: str) -> Scenario | None:
    path = root / "scenarios" / Path(*name.split("/")).with_suffix(".json")
    return parse_scenario(path.read_text(encoding="utf-8")) if path.exists() else None
