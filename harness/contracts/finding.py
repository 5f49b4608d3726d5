"""A failing contract check, written as a finding a person can act on (as schemathesis does).

    pixazo POST /voice-clone/v1/xtts-v2/generate: 1 violation (scenario pixazo/xtts-v2.generate/202-success, replay)
      answers: 202 xtts-v2.generate, 200 requests.status, 200 requests.status
      /requests.status[1]/output/media_url
          expected: a required field
          got:      missing
          beside it: /requests.status[1]/output/media_urls is not in the documents: renamed media_url → media_urls?
      reproduce:
        curl -X GET 'https://gateway.pixazo.ai/v2/requests/status/…' -H 'Ocp-Apim-Subscription-Key: [Filtered]'

Nothing of the plan's or the session's internals is printed; every line is about the provider's answer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import httpx

from harness.core.curl import curl_line
from harness.core.redact import Redactor
from harness.core.validate import media_type_of, sniff_audio
from harness.core.verdict import Drift, Violation

_EXCHANGE = re.compile(r"^(?P<key>[A-Za-z0-9_.-]+)(?:\[(?P<index>\d+)\])?")
_MAX_CURLS = 3


def _parent_and_name(pointer: str) -> tuple[str, str]:
    parent, _, name = pointer.rpartition("/")
    return parent, name


def rename_hints(violation: Violation, drift: Iterable[Drift]) -> list[str]:
    """Unknown fields beside a missing one: the likeliest reading is a rename."""
    if violation.got != "missing":
        return []
    parent, name = _parent_and_name(violation.pointer)
    siblings = [d for d in drift if d.kind == "unknown-field" and _parent_and_name(d.pointer)[0] == parent]

    def likeness(item: Drift) -> float:
        return difflib.SequenceMatcher(None, name, _parent_and_name(item.pointer)[1]).ratio()

    ranked = sorted(siblings, key=likeness, reverse=True)
    return [f"{d.pointer} is not in the documents: renamed {name} → {_parent_and_name(d.pointer)[1]}?" for d in ranked]


def _exchange_for(pointer: str, exchanges: Sequence[tuple[str, httpx.Request, httpx.Response]]) -> int | None:
    """Which exchange a violation's pointer is about (`requests.status[2]/…` is the third status call)."""
    match = _EXCHANGE.match(pointer.lstrip("/"))
    if match is None:
        return 0 if exchanges else None
    key, index = match.group("key"), int(match.group("index") or 0)
    positions = [i for i, (endpoint, _, _) in enumerate(exchanges) if endpoint == key]
    if index < len(positions):
        return positions[index]
    return 0 if exchanges else None


def _answers(exchanges: Sequence[tuple[str, httpx.Request, httpx.Response]]) -> str:
    """`202 xtts-v2.generate, 15 × 200 requests.status, 200 media`: repeated polls counted, not listed."""
    runs: list[list[Any]] = []
    for key, _, response in exchanges:
        label = f"{response.status_code} {key}"
        if runs and runs[-1][0] == label:
            runs[-1][1] += 1
        else:
            runs.append([label, 1])
    return ", ".join(label if count == 1 else f"{count} × {label}" for label, count in runs)


def format_finding(
    provider: str,
    *,
    signature: str,
    scenario: str,
    target: str,
    violations: Sequence[Violation],
    drift: Sequence[Drift],
    exchanges: Sequence[tuple[str, httpx.Request, httpx.Response]],
    secrets: Iterable[str] = (),
) -> str:
    secret_list = tuple(secrets)
    count = f"{len(violations)} violation" + ("s" if len(violations) != 1 else "")
    lines = [f"{provider} {signature}: {count} (scenario {scenario}, {target})"]
    if exchanges:
        lines.append("  answers: " + _answers(exchanges))
    involved: list[int] = []
    for violation in violations:
        lines.append(f"  {violation.pointer or '/'}  [{violation.rule}]")
        lines.append(f"      expected: {violation.expected}")
        lines.append(f"      got:      {violation.got}")
        lines += [f"      beside it: {hint}" for hint in rename_hints(violation, drift)]
        position = _exchange_for(violation.pointer, exchanges)
        if position is not None and position not in involved:
            involved.append(position)
    hinted = {h for v in violations for h in rename_hints(v, drift)}
    others = [d for d in drift if not any(d.pointer in h for h in hinted)]
    if others:
        lines.append("  drift seen beside it:")
        lines += [f"      {d}" for d in others[:6]]
    if involved:
        lines.append("  reproduce:")
        lines += [f"    {curl_line(exchanges[i][1], secret_list)}" for i in sorted(involved)[:_MAX_CURLS]]
    # Pointers, values and drift notes quote the answer, and a server may echo a key anywhere in it.
    return Redactor(secret_list).text("\n".join(lines))


_BODY_TEXT = 160  # characters of a text body a message quotes
_BODY_HEAD = 16  # bytes of a binary body a message shows, in hex


def body_summary(data: bytes, content_type: str | None = None) -> str:
    """A body as a failure message may show it: text as text (cut), anything else — audio above all — as
    its size, sniffed format and first bytes in hex, never raw (`got RIFF$… WAVEfmt…` says nothing)."""
    if not data:
        return "an empty body"
    sniffed = sniff_audio(data)
    if sniffed is None:
        try:
            text = data[: _BODY_TEXT * 4].decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if text and all(ch.isprintable() or ch in "\n\r\t" for ch in text):
            return text[:_BODY_TEXT]
    kind = sniffed or media_type_of(content_type) or "no known audio format"
    return f"{len(data):,} bytes ({kind}), starting {data[:_BODY_HEAD].hex(' ')}"
