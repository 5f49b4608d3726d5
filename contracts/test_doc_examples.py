"""Every JSON example in the providers' documents is a test case the validator accepts, and the
catalogues (fixtures/docs/<provider>.json) miss none of them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from harness.core.registry import providers
from harness.core.spec import Upload
from harness.core.validate import check_json, check_request, check_request_json

REPO = Path(__file__).resolve().parents[1]
CATALOGUES = sorted((REPO / "fixtures" / "docs").glob("*.json"))
API_DOCS = Path(os.environ.get("TTS_HARNESS_API_DOCS", REPO.parent / "shared" / "api-docs"))


def _examples() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in CATALOGUES:
        catalogue = json.loads(path.read_text())
        for index, example in enumerate(catalogue["examples"]):
            found.append((f"{catalogue['provider']}#{index}:{example['kind']}:{example['endpoint']}", example | {
                "provider": catalogue["provider"]}))
    return found


EXAMPLES = _examples()


@pytest.mark.parametrize("example", [e for _, e in EXAMPLES], ids=[i for i, _ in EXAMPLES])
def test_document_example_is_accepted(example: dict[str, Any]) -> None:
    provider = providers()[example["provider"]]
    endpoint = provider.endpoint(example["endpoint"])
    kind = example["kind"]
    if kind == "headers":
        documented = {provider.auth.header.lower(), "content-type"} | {h.name.lower() for h in endpoint.request_headers}
        assert {name.lower() for name in example["body"]} <= documented
        return
    if kind == "request" and "parts" in example:
        # A multipart example shows its form fields; the file parts travel beside them (`files=`).
        parts = {name: Upload(filename=filename, content=b"\0") for name, filename in example["parts"].items()}
        check_request(endpoint, example["body"] | parts, from_wire=True)
        return
    if kind == "request" or (kind == "callback" and endpoint.request is not None):
        verdict = check_request_json(endpoint, example["body"])
    elif kind == "lifecycle":
        assert endpoint.lifecycle is not None
        problems = endpoint.lifecycle.check_sequence(example["body"])
        assert problems == [], problems
        return
    else:
        verdict = check_json(endpoint, example["status"], example["body"])
    assert verdict.ok, "\n".join(str(v) for v in verdict.violations)


def _json_objects(text: str) -> list[Any]:
    """Every top-level JSON object in a document (comments such as `// 402 — ...` stripped)."""
    text = re.sub(r"^\s*//.*$", "", text, flags=re.MULTILINE)
    decoder = json.JSONDecoder()
    found, index = [], 0
    while (start := text.find("{", index)) != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            index = start + 1
            continue
        if isinstance(value, dict) and value:
            found.append(value)
        index = end
    return found


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.skipif(not API_DOCS.is_dir(), reason=f"provider documents not found at {API_DOCS}")
def test_catalogues_hold_every_json_example_in_the_documents() -> None:
    catalogued = {_canonical(e["body"]) for _, e in EXAMPLES}
    catalogued |= {_canonical(b) for _, e in EXAMPLES if e["kind"] == "lifecycle" for b in e["body"]}
    missing = []
    for doc in sorted(API_DOCS.glob("*.txt")):
        for obj in _json_objects(doc.read_text(encoding="utf-8")):
            if _canonical(obj) not in catalogued:
                missing.append(f"{doc.name}: {json.dumps(obj)[:100]}")
    assert not missing, "JSON examples missing from fixtures/docs/*.json:\n" + "\n".join(missing)


def test_every_provider_has_a_catalogue() -> None:
    assert {p.stem for p in CATALOGUES} >= set(providers())
