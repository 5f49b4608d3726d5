"""docs/providers.md says, per built-in provider, whether its voice catalogue is open or closed, and lists every
`source: client` endpoint, value and field spelling with its clients (issue 53 item 5): checked against the
declarations, so the page cannot drift from them."""

from __future__ import annotations

import re

from harness.core.evidence import EvidenceSource
from harness.core.protocols.http_speech import SpeechService
from harness.core.registry import declared_providers, providers
from tests.helpers.repo import REPO_ROOT

PAGE = (REPO_ROOT / "docs" / "providers.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = PAGE.index(f"## {title}")
    end = PAGE.find("\n## ", start + 3)
    return PAGE[start : end if end != -1 else None]


def _built_in() -> dict[str, SpeechService]:
    declared = {p.name for p in declared_providers()}
    return {
        name: p.family
        for name, p in providers().items()
        if name not in declared and isinstance(p.family, SpeechService)
    }


def test_every_built_in_provider_is_said_open_or_closed_as_declared() -> None:
    rows = [line for line in _section("Open and closed catalogues").splitlines() if line.startswith("| `")]
    said: dict[str, str] = {}
    for row in rows:
        names_cell, verdict = row.split("|")[1], row.split("|")[2].strip()
        for name in re.findall(r"`([a-z]+)`", names_cell):
            assert name not in said, f"{name} is in two rows"
            said[name] = verdict
    for name, service in _built_in().items():
        assert name in said, f"docs/providers.md does not say whether {name}'s voices are open or closed"
        assert said[name].startswith("open" if service.voice_catalogue.open else "closed"), (name, said[name])


def _client(library: str) -> str:
    """The first client an evidence names, as the page names it: its distribution without the version."""
    return library.split(" (")[0].split("==")[0].split(";")[0]


def test_every_source_client_endpoint_and_value_is_listed_with_its_clients() -> None:
    listed = _section("Known from clients")
    for name, provider in providers().items():
        for channel in provider.channels:
            if channel.evidence.source is EvidenceSource.CLIENT:
                assert channel.path in listed, (name, channel.path)
                assert _client(channel.evidence.library) in listed, (name, channel.evidence.library)
    for name, service in _built_in().items():
        for variant in service.value_variants:
            for evidence in variant.evidence:
                if evidence.source is EvidenceSource.CLIENT:
                    field = variant.at.lstrip("/")
                    assert field in listed, (name, field)
                    assert _client(evidence.library) in listed, (name, evidence.library)
        for spelling in service.field_spellings:  # a field sent under another spelling: the same rule
            for evidence in spelling.evidence:
                if evidence.source is EvidenceSource.CLIENT:
                    assert spelling.sent.lstrip("/") in listed, (name, spelling.sent)
                    assert _client(evidence.library) in listed, (name, evidence.library)
