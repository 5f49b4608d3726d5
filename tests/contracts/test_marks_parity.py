"""One verdict per answer (issue 79), on recorded HTTP answers: each way marks break (issue 65's, duplicate
timestamps, a NaN, a list longer than the text) × each answer form that carries marks — one JSON document
(ElevenLabs' characters, seconds), newline-delimited lines (ElevenLabs' stream), Server-Sent Events (Cartesia's words,
in their documented form: punctuation stripped) — through both faces' entry points: the contract suite's
(`marks_violations`) and `bench run`'s (`answer_marks`, the evidence a run stores, then `marks_columns`, what
`recompute` derives). Both name the same kinds; true marks give none in either. Written here, no server: cheap."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest

from harness.contracts.marks_checks import answer_form, marks_violations
from harness.core.json_pointer import put
from harness.core.protocols.http_speech import SpeechService, Synthesis
from harness.core.protocols.marks import EVENTS, JSON, NDJSON, answer_messages
from harness.core.registry import providers
from harness.measurement import marks_columns
from harness.runner.record.marks_evidence import answer_marks
from tests.helpers.request_rows import job_row

TEXT = "Hello, world. The quick brown fox jumps over the lazy dog."
WORD_S = 0.3
DURATION_S = len(TEXT.split()) * WORD_S + 0.05
BREAKS = ("", "shift", "scale", "repeat", "restart", "merge", "none", "duplicates", "nan", "overlong")
NAMED = {
    "": set(),
    "shift": {"beyond-audio"},
    "scale": {"sample-rate-mismatch"},
    "repeat": {"non-monotonic", "bad-input"},
    "restart": {"restart"},
    "merge": {"spelling"},
    "none": {"missing"},
    "duplicates": {"duplicate-timestamps"},
    "nan": {"bad-input"},
    "overlong": {"bad-input"},
}
_KIND = re.compile(r"\(kind ([a-z-]+)\)$")  # the kind after its declared promise (harness.checks.rule_judged_by)


def _synthesis(provider: str, form: str) -> Synthesis:
    service = providers()[provider].family
    assert isinstance(service, SpeechService)
    return next(s for s in service.syntheses if answer_form(s) == form)


FAMILIES = {"json": ("elevenlabs", JSON), "ndjson": ("elevenlabs", NDJSON), "events": ("cartesia", EVENTS)}


def _spans(chars: bool) -> list[tuple[str, float, float]]:
    """True marks: each word from 0.05 s into its 0.3 s; characters share their word's time, a space between words;
    words in Cartesia's documented form, punctuation stripped."""
    spans: list[tuple[str, float, float]] = []
    for i, word in enumerate(TEXT.split()):
        start, end = i * WORD_S + 0.05, (i + 1) * WORD_S
        if not chars:
            spans.append((re.sub(r"[^\w']", "", word), start, end))
            continue
        if i:
            spans.append((" ", start - 0.05, start))
        step = (end - start) / len(word)
        spans += [(c, start + k * step, start + (k + 1) * step) for k, c in enumerate(word)]
    return spans


def _broken(spans: list[tuple[str, float, float]], kind: str) -> list[tuple[str, float, float]]:
    if kind == "shift":
        return [(t, s + 0.15, e + 0.15) for t, s, e in spans]
    if kind == "scale":
        return [(t, s * 1.5, e * 1.5) for t, s, e in spans]
    if kind == "repeat":
        return [(t, s, 1.0) if s > 1.0 else (t, s, e) for t, s, e in spans]
    if kind == "merge":
        if all(len(t) <= 1 for t, _, _ in spans):
            return [m for m in spans if not m[0].isspace()]
        return [
            (spans[i][0] + spans[min(i + 1, len(spans) - 1)][0], spans[i][1], spans[min(i + 1, len(spans) - 1)][2])
            for i in range(0, len(spans), 2)
        ]
    if kind == "duplicates":
        return [(t, 1.0, 1.0) if s > 1.0 else (t, s, e) for t, s, e in spans]
    if kind == "nan":
        return [(spans[0][0], math.nan, spans[0][2]), *spans[1:]]
    if kind == "overlong":
        return spans + [spans[-1]] * 2_000
    return [] if kind == "none" else spans


def _body(synthesis: Synthesis, form: str, kind: str) -> bytes:
    """The answer as the provider would send it: the marks at the declared pointers, in two messages where the form
    has several (the second going on from the first)."""
    marks = synthesis.marks
    assert marks is not None
    spans = _broken(_spans(marks.chars), kind)
    halves = [spans] if form == JSON else [spans[: len(spans) // 2], spans[len(spans) // 2 :]]
    if kind == "restart" and len(halves) > 1:  # the second message's times from zero again (Pipecat #4316)
        back = halves[1][0][1] - 0.05
        halves[1] = [(t, s - back, e - back) for t, s, e in halves[1]]
    messages = []
    for half in halves:
        message: dict[str, Any] = {}
        if marks.answer is not None:
            put(message, marks.answer.match.pointer, marks.answer.match.value)
        for at, values in (
            {
                marks.text_at: [t for t, _, _ in half],
                marks.start_at: [s for _, s, _ in half],
                marks.end_at: [e for _, _, e in half],
            }
        ).items():
            put(message, at, values)
        messages.append(json.dumps(message))
    if form == JSON:
        return messages[0].encode()
    if form == NDJSON:
        return "".join(m + "\n" for m in messages).encode()
    return "".join(f"data: {m}\n\n" for m in messages).encode()


def _contract(synthesis: Synthesis, body: bytes) -> set[str]:
    found = set()
    for violation in marks_violations(synthesis, body, TEXT, DURATION_S):
        named = _KIND.search(violation.expected)
        found.add(named.group(1) if named else "missing" if violation.expected == "the declared marks" else "?")
    return found


def _bench(synthesis: Synthesis, form: str, body: bytes) -> set[str]:
    marks = synthesis.marks
    assert marks is not None
    evidence = answer_marks(marks, answer_messages(body, marks, form), DURATION_S, asked=True)
    columns = marks_columns(job_row(job_key="j", provider="p", model="m", text=TEXT, timing_marks=evidence))
    return {f["kind"] for f in json.loads(columns["marks_json"])["findings"]}


# One JSON answer is one part: it has nothing to restart.
CASES = [
    (family, kind)
    for family in sorted(FAMILIES)
    for kind in BREAKS
    if not (kind == "restart" and FAMILIES[family][1] == JSON)
]


@pytest.mark.parametrize(("family", "kind"), CASES)
def test_both_faces_name_the_same_kinds_for_each_break_and_form(family: str, kind: str) -> None:
    provider, form = FAMILIES[family]
    synthesis = _synthesis(provider, form)
    body = _body(synthesis, form, kind)
    checked, benched = _contract(synthesis, body), _bench(synthesis, form, body)
    assert checked == benched, (family, kind, checked, benched)
    assert (checked & NAMED[kind]) if kind else checked == set(), (family, kind, checked)
