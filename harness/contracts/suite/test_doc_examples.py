"""Every JSON example in the providers' documents is a test case the validator accepts.

The catalogues (harness/data/fixtures/docs/<provider>.json) are the shipped reference for the documents. Whether they
are complete and verbatim is checked against the original documents only when `TTS_HARNESS_API_DOCS`
names their folder (.ci/run sets it when the documents sit beside the checkout); otherwise those checks skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harness.contracts.suite.catalogue import (
    API_DOCS_VARIABLE,
    api_docs_folder,
    catalogue_names,
    documents,
    examples,
    passages,
)
from harness.core.registry import declared_providers, providers
from harness.core.spec import Upload
from harness.core.validate import check_json, check_request, check_request_json


def _examples() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for provider in catalogue_names():
        for index, example in enumerate(examples(provider)):
            found.append(
                (f"{provider}#{index}:{example['kind']}:{example['endpoint']}", example | {"provider": provider})
            )
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


def test_every_provider_has_a_catalogue_naming_its_documents() -> None:
    # A provider declared in a providers file has no documents here: its declaration is what it says.
    registered = {name: p for name, p in providers().items() if p not in declared_providers()}
    assert set(catalogue_names()) >= set(registered)
    for name, provider in registered.items():
        assert documents(name) == list(provider.docs), name
        cited = {e["doc"] for e in examples(name)} | {p["doc"] for p in passages(name)}
        assert cited <= set(provider.docs), name


# --- the catalogue against the original documents (opt-in) ----------------------------------------


@pytest.fixture
def api_docs() -> Path:
    """The folder of the original documents; the checks below skip, saying why, when it is not named."""
    folder = api_docs_folder()
    if folder is None:
        pytest.skip(f"{API_DOCS_VARIABLE} is not set: the catalogues are not checked against the original documents")
    return folder


def test_catalogues_hold_every_json_example_in_the_documents(api_docs: Path) -> None:
    catalogued = {_canonical(e["body"]) for _, e in EXAMPLES}
    catalogued |= {_canonical(b) for _, e in EXAMPLES if e["kind"] == "lifecycle" for b in e["body"]}
    named = {doc for provider in catalogue_names() for doc in documents(provider)}
    missing = [
        f"{doc.name}: no catalogue names this document"
        for doc in sorted(api_docs.glob("*.txt"))
        if doc.name not in named
    ]
    for doc in sorted(api_docs.glob("*.txt")):
        for obj in _json_objects(doc.read_text(encoding="utf-8")):
            if _canonical(obj) not in catalogued:
                missing.append(f"{doc.name}: {json.dumps(obj)[:100]}")
    assert not missing, "JSON examples missing from fixtures/docs/*.json:\n" + "\n".join(missing)


def _strings(value: Any) -> list[str]:
    """Every key and string value in a JSON value, nested ones included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_catalogues_quote_the_documents_verbatim(api_docs: Path) -> None:
    wrong = []
    for provider in catalogue_names():
        # The folder holds the seeds' documents; a provider quoted from its public reference (a URL) is checked
        # where that reference is stored, not here.
        texts = {
            doc: (api_docs / doc).read_text(encoding="utf-8")
            for doc in documents(provider)
            if (api_docs / doc).is_file()
        }
        for passage in passages(provider):
            if passage["doc"] in texts and passage["text"] not in texts[passage["doc"]]:
                wrong.append(f"{provider} passage for {passage['endpoint']}: {passage['text'][:80]!r}")
        for index, example in enumerate(examples(provider)):
            if example["doc"] not in texts:
                continue
            text = texts[example["doc"]]
            # A string shows in the document as it is, or JSON-escaped inside a JSON example (a newline as \n).
            wrong += [
                f"{provider}#{index}: {string[:80]!r}"
                for string in _strings(example["body"])
                if string not in text and json.dumps(string)[1:-1] not in text
            ]
    assert not wrong, "catalogue text not found in its document:\n" + "\n".join(wrong)
