"""docs/providers.md's "Catalogues current" (issue 53 item 3) names, per built-in provider, the models it takes beyond
its offerings and the official clients and frameworks those rest on: checked against the declarations' known models,
so the page cannot drift from them."""

from __future__ import annotations

from harness.core.evidence import EvidenceSource
from harness.core.protocols.http_speech import SpeechService
from harness.core.registry import declared_providers, providers
from tests.helpers.repo import REPO_ROOT

PAGE = (REPO_ROOT / "docs" / "providers.md").read_text(encoding="utf-8")
NAMED_ONE_BY_ONE = 20  # a longer list (Deepgram's voice models) is said by its count and its source


def _section(title: str) -> str:
    start = PAGE.index(f"## {title}")
    end = PAGE.find("\n## ", start + 3)
    return PAGE[start : end if end != -1 else None]


def _rows() -> dict[str, str]:
    rows = [line for line in _section("Catalogues current").splitlines() if line.startswith("| `")]
    return {row.split("|")[1].strip().strip("`"): row for row in rows}


def test_the_rows_are_in_alphabetical_order() -> None:
    names = list(_rows())
    assert names == sorted(names)


def test_every_known_model_is_on_the_page_with_the_clients_it_rests_on() -> None:
    rows = _rows()
    declared = {p.name for p in declared_providers()}
    for name, provider in providers().items():
        service = provider.family
        if name in declared or not isinstance(service, SpeechService) or not service.known_models:
            continue
        assert name in rows, f"docs/providers.md's Catalogues current has no row for {name}"
        row = rows[name]
        if len(service.known_models) <= NAMED_ONE_BY_ONE:
            for known in service.known_models:
                assert f"`{known.name}`" in row, (name, known.name)
        for known in service.known_models:
            for evidence in known.evidence:
                if evidence.source is not EvidenceSource.DOCS:
                    assert evidence.library.split("==")[0] in row, (name, known.name, evidence.library)
