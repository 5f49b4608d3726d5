"""The sandbox hands out URLs where the documents' examples say they are, and answers with the statuses
the examples show, checked on the recorded sandbox fixtures against the catalogue of examples.

Where the sandbox must differ (loopback instead of a public storage host; see docs/sandbox-differences.md)
the difference is allowed here by name; where it still differs without a reason, the case is a strict
xfail naming the line of that page, so fixing the sandbox fails the test until the list is updated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.contracts.scenario import Scenario, load_scenarios
from harness.core.drift import resolve
from harness.core.registry import providers

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
KNOWN = providers()
SANDBOX_MEDIA_HOST = "cdn"  # the sandbox's stand-in for a provider's public storage host
STILL_DIFFERENT = {
    ("ttsai", "speech.translate", "/audio_url"): "docs/sandbox-differences.md: published audio (translate)",
    ("ttsai", "voice-chat", "/audio_url"): "docs/sandbox-differences.md: published audio (voice chat)",
    ("ttsai", "saved-voices.upload", "/reference_audio_url"): "docs/sandbox-differences.md: saved voice audio",
}
SCENARIOS: list[Scenario] = list(load_scenarios(FIXTURES))


def _examples() -> Iterator[tuple[str, int, dict[str, Any]]]:
    for name in sorted(KNOWN):
        catalogue = json.loads((FIXTURES / "docs" / f"{name}.json").read_text(encoding="utf-8"))
        for index, example in enumerate(catalogue["examples"]):
            yield name, index, example


def _urls(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _urls(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _urls(item, f"{where}/{index}")
    elif isinstance(value, str) and value.startswith("http"):
        yield where, value


def _is_variable(segment: str) -> bool:
    """An id in a document's URL: elided ("77b71db5...", "xxxx"), or carrying digits (not a "v1")."""
    return (
        "..." in segment
        or "xxxx" in segment
        or (bool(re.search(r"\d", segment)) and not re.fullmatch(r"v\d+", segment))
    )


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = []
    for segment in path.strip("/").split("/"):
        if _is_variable(segment):
            parts.append(r"[^/]+")
        elif "." in segment:  # a file name: the format asked for decides the extension
            parts.append(re.escape(segment.rsplit(".", 1)[0]) + r"\.[a-z0-9]+")
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "$")


def _documented(provider: str, url: str) -> tuple[str, str]:
    """(host key or "external", path) of a URL in a document."""
    for key, base in KNOWN[provider].hosts.items():
        if url.startswith(base + "/"):
            return key, url[len(base) :]
    return "external", re.sub(r"^https?://[^/]+", "", url)


def _recorded(provider: str, url: str) -> tuple[str, str]:
    """(host key, path) of a URL the sandbox handed out, as a fixture holds it."""
    placeholder = re.match(r"^\{([a-z0-9_-]+)/([a-z0-9_-]+)\}(/.*)$", url)
    if placeholder:
        return placeholder.group(2), placeholder.group(3)
    mounted = re.match(rf"^https?://[^/]+/{provider}/([a-z0-9_-]+)(/.*)$", url)
    assert mounted, f"a sandbox URL outside the provider's mounts: {url}"
    return mounted.group(1), mounted.group(2)


def _cases() -> list[tuple[str, str, str, str, str]]:
    cases = []
    for provider, _, example in _examples():
        if example["kind"] != "response":
            continue
        endpoint = KNOWN[provider].endpoint(example["endpoint"])
        for where, url in _urls(example["body"]):
            if "..." in url.split("//", 1)[1].split("/", 1)[0]:
                continue  # "https://...": the document shows no URL at all
            recorded = sorted(
                {
                    found
                    for scenario in SCENARIOS
                    if scenario.provider == provider
                    for exchange in scenario.exchanges
                    if exchange.endpoint == endpoint.key
                    for present, found in [resolve(exchange.response.body.get("json"), where)]
                    if present and isinstance(found, str)
                }
            )
            if recorded:
                cases.append((provider, endpoint.key, where, url, recorded[0]))
    return cases


CASES = _cases()


def _marks(case: tuple[str, str, str, str, str]) -> Any:
    reason = STILL_DIFFERENT.get(case[:3])
    return pytest.param(
        *case,
        id=f"{case[0]}/{case[1]}{case[2]}",
        marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [],
    )


@pytest.mark.parametrize(("provider", "endpoint", "where", "documented", "recorded"), [_marks(c) for c in CASES])
def test_the_sandbox_hands_out_urls_where_the_documents_show_them(
    provider: str, endpoint: str, where: str, documented: str, recorded: str
) -> None:
    doc_host, doc_path = _documented(provider, documented)
    host, path = _recorded(provider, recorded)
    # The one allowed difference: a public storage host becomes the sandbox's loopback media host.
    assert host == (SANDBOX_MEDIA_HOST if doc_host == "external" else doc_host), (documented, recorded)
    assert _path_pattern(doc_path).match(path), f"{path} does not follow the document's {doc_path}"


def test_the_documented_result_urls_are_compared() -> None:
    compared = {(p, e, w) for p, e, w, _, _ in CASES}
    assert ("ttsai", "speech.results", "/result_url") in compared
    assert ("pixazo", "xtts-v2.generate", "/polling_url") in compared
    assert ("pixazo", "requests.status", "/output/media_url/0") in compared
    assert set(STILL_DIFFERENT) <= compared


def test_the_sandbox_answers_with_the_examples_statuses() -> None:
    recorded = {(s.provider, e.endpoint, e.response.status) for s in SCENARIOS for e in s.exchanges}
    missing = [
        f"{provider} #{index} {example['endpoint']} {example['status']}"
        for provider, index, example in _examples()
        if example["kind"] == "response"
        and (provider, KNOWN[provider].endpoint(example["endpoint"]).key, example["status"]) not in recorded
    ]
    assert not missing, "documented statuses the sandbox fixtures never show: " + ", ".join(missing)
