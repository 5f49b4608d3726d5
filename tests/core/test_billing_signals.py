"""Billing signals (`harness.core.protocols.billing`): each form read from an answer — a header, a JSON pointer of the
body, a field of one named event of a stream, a field of a socket message —, a malformed one a finding in one line;
and the built-in declarations that state them, each with its evidence."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal, Document, documents_of, read_billed
from harness.core.protocols.http_speech import SpeechService


def test_a_header_is_read_whatever_its_case() -> None:
    signal = BilledSignal(unit=Unit.CHARACTERS, header="x-amzn-RequestCharacters", evidence="the reference")
    billed = read_billed((signal,), {"X-Amzn-Requestcharacters": "42"}, ())
    assert billed.units == {Unit.CHARACTERS: Decimal(42)} and not billed.problems
    assert billed.as_json() == '{"characters": 42}'


def test_a_json_pointer_of_the_body_is_read_and_scaled() -> None:
    signal = BilledSignal(
        unit=Unit.AUDIO_SECONDS, at="/audio_duration_ms", scale=Decimal("0.001"), evidence="the reference"
    )
    body = json.dumps({"audio": "...", "audio_duration_ms": 1500}).encode()
    billed = read_billed((signal,), {}, documents_of(body, stream=False))
    assert billed.units == {Unit.AUDIO_SECONDS: Decimal("1.5")}
    assert billed.as_json() == '{"audio_seconds": 1.5}'


def test_the_named_event_of_a_stream_is_read() -> None:
    done = "speech.audio.done"
    signals = (
        BilledSignal(unit=Unit.TEXT_TOKENS, at="/usage/input_tokens", event=done, evidence="the SDK"),
        BilledSignal(unit=Unit.AUDIO_TOKENS, at="/usage/output_tokens", event=done, evidence="the SDK"),
    )
    events = [
        {"type": "speech.audio.delta", "audio": "AAAA", "usage": {"input_tokens": 999}},
        {"type": done, "usage": {"input_tokens": 7, "output_tokens": 60, "total_tokens": 67}},
    ]
    body = b"".join(b"data: " + json.dumps(event).encode() + b"\n\n" for event in events)
    billed = read_billed(signals, {}, documents_of(body, stream=True))
    assert billed.units == {Unit.TEXT_TOKENS: Decimal(7), Unit.AUDIO_TOKENS: Decimal(60)}


def test_an_event_named_by_its_sse_event_line_or_a_declared_pointer() -> None:
    signal = BilledSignal(unit=Unit.CHARACTERS, at="/billable", event="done", evidence="the SDK")
    body = b'event: done\ndata: {"billable": 5}\n\n'
    assert read_billed((signal,), {}, documents_of(body, stream=True)).units == {Unit.CHARACTERS: Decimal(5)}
    lines = b'{"kind": "chunk", "billable": 1}\n{"kind": "done", "billable": 9}\n'
    documents = documents_of(lines, stream=True, lines=True, event_at="/kind")
    assert read_billed((signal,), {}, documents).units == {Unit.CHARACTERS: Decimal(9)}


def test_a_socket_message_is_read_from_the_last_one_holding_it() -> None:
    signal = BilledSignal(unit=Unit.CHARACTERS, at="/extra_info/usage_characters", evidence="the reference")
    messages = [
        Document({"event": "task_started"}),
        Document({"data": {"audio": "00"}, "extra_info": {}}),
        Document({"is_final": True, "extra_info": {"usage_characters": 26}}),
    ]
    assert read_billed((signal,), {}, messages).units == {Unit.CHARACTERS: Decimal(26)}


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("many", "not a number"),
        (-3, "a negative count"),
        (None, "not a number"),
        (True, "not a number"),
        ({"n": 1}, "not a number"),
        ("NaN", "not a finite number"),
    ],
)
def test_a_malformed_signal_is_one_line_and_no_units(value: object, why: str) -> None:
    signal = BilledSignal(unit=Unit.CHARACTERS, at="/usage/characters", evidence="the reference")
    billed = read_billed((signal,), {}, [Document({"usage": {"characters": value}})])
    assert billed.units == {} and len(billed.problems) == 1
    line = billed.problems[0][1]
    assert "/usage/characters" in line and why in line and "\n" not in line


def test_a_signal_missing_where_declared_is_said() -> None:
    header = BilledSignal(unit=Unit.CHARACTERS, header="dg-char-count", evidence="a client")
    field = BilledSignal(unit=Unit.CHARACTERS, at="/usage/characters", evidence="a client")
    billed = read_billed((header, field), {"content-type": "audio/mpeg"}, documents_of(b"\xff\xfbaudio", stream=False))
    assert [line for _, line in billed.problems] == [
        "the billing signal header dg-char-count is declared but the answer does not carry it",
        "the billing signal /usage/characters is declared but the answer does not carry it",
    ]


@pytest.mark.parametrize(
    "given",
    [
        {"header": "x", "at": "/x"},
        {},
        {"at": "x"},
        {"header": "x", "event": "done"},
        {"at": "/x", "source": "blog"},
        {"at": "/x", "evidence": ""},
        {"at": "/x", "scale": Decimal(0)},
    ],
)
def test_a_signal_is_declared_whole(given: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BilledSignal(unit=Unit.CHARACTERS, **{"evidence": "the reference", **given})  # type: ignore[arg-type]


EXPECTED = {  # provider -> (unit, where, source) of each synthesis' signals, from the billing notes
    "polly": {("characters", "header x-amzn-RequestCharacters", "docs")},
    "elevenlabs": {("credits", "header character-cost", "client")},
    "openai": {
        ("text_tokens", "/usage/input_tokens of speech.audio.done", "sdk"),
        ("audio_tokens", "/usage/output_tokens of speech.audio.done", "sdk"),
    },
    "gemini": {
        ("text_tokens", "/usageMetadata/promptTokenCount", "docs"),
        ("audio_tokens", "/usageMetadata/candidatesTokenCount", "docs"),
    },
    "inworld": {("characters", "/usage/processedCharactersCount", "docs")},
    "speechify": {
        ("characters", "/billable_characters_count", "docs"),
        ("characters", "/billable_characters_count of speech.done", "sdk"),
    },
    "murf": {("characters", "/consumedCharacterCount", "sdk")},
    "minimax": {
        ("characters", "/extra_info/usage_characters", "docs"),
        ("characters", "/extra_info/usage_characters", "client"),
    },
    "resemble": {("audio_seconds", "/duration", "docs")},
    "dashscope": {("characters", "/usage/characters", "client")},
    "deepgram": {("characters", "header dg-char-count", "client")},
}


def test_the_built_ins_declare_the_signals_their_documents_describe() -> None:
    from harness.core.registry import providers

    declared: dict[str, set[tuple[str, str, str]]] = {}
    for name, provider in providers().items():
        if isinstance(provider.family, SpeechService):
            for synthesis in provider.family.syntheses:
                for signal in synthesis.billing:
                    assert len(signal.evidence) > 40, signal
                    declared.setdefault(name, set()).add((signal.unit.value, signal.where, signal.source))
    assert declared == EXPECTED
