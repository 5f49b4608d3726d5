"""Timing marks declared in a providers file (`marks = {...}` on an `http-speech` table and on its socket tables): the
declaration lists them as a built-in's (`declared_marks`), the sandbox writes them from the voice's true times in the
declared unit and form, asked as declared, and the one reader reads them back; a mistake in the table is one line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from harness.core.protocols.marks import read_marks
from harness.core.protocols.marks_declared import CHANNEL, ENDPOINT, declared_marks
from harness.core.protocols.realtime_grammar import Direction, Kind, Utterance
from harness.core.protocols.realtime_session import reader, run_session
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.sandbox import running
from tests.helpers.providers_file import declared_providers, one_line_refusal, providers_file_in_effect

FILE = """
[providers.markbox]
protocol = "http-speech"
base_url = "https://markbox.example"
key_env = "MARKBOX_API_KEY"
path = "/speak"
text = "/text"
voice = "/voice"
audio = "/audio"
formats = { wav = "pcm_s16le/16000/wav" }
models = ["box-1"]
voices = ["ember"]
MARKS

[providers.markbox.sockets.live]
path = "/live"
text = { message = { type = "text", text = "{text}" } }
end = { message = { type = "end" } }
audio = { message = { type = "audio", data = "{audio}" } }
final = { message = { type = "done" } }
error = { message = { type = "error", message = "{message}" } }
marks = { text = "/words", start = "/starts", end = "/ends", evidence = "our reference: a timestamps message" }
marks_message = { message = { type = "timestamps" } }
"""
HTTP_MARKS = (
    'marks = { items = "/timestamps", text = "/word", start = "/start_ms", end = "/end_ms", unit = "ms", '
    'offsets = ["/from", "/to"], asked_by = "/timestamps", evidence = "our reference: timestamps" }'
)
TEXT = "I paid $42.50 today."


def test_the_tables_declare_marks_as_a_built_in_does() -> None:
    (provider,) = declared_providers(FILE.replace("MARKS", HTTP_MARKS))
    places = {(place.over, place.key): place.marks for place in declared_marks(provider)}
    http, socket = places[(ENDPOINT, "speech")], places[(CHANNEL, "live")]
    assert (http.items_at, http.unit_s, http.offsets_at, http.asked_by) == (
        "/timestamps",
        0.001,
        ("/from", "/to"),
        "/timestamps",
    )
    assert socket.answer is not None and socket.answer.match({"type": "timestamps"}) and socket.evidence


# Each mistake, and the words of its one line.
MISTAKES = {
    'marks = { text = "/w", start = "/s", unit = "minutes", evidence = "e" }': "marks.unit",
    'marks = { text = "/w", start = "/s", end = "/e" }': "marks.evidence",
    'marks = { text = "/w", start = "/s", durations = true, evidence = "e" }': "durations need the pointer",
    'marks = { text = "/w", start = "/s", offsets = ["/a"], evidence = "e" }': "two JSON pointers",
    'marks = { text = "/w", start = "/s", end = "/e", paired = true, evidence = "e" }': "no end_at",
}


def test_the_table_takes_pairs_and_a_flag_asked_once_in_an_opening() -> None:
    paired = 'marks = { text = "/chars", start = "/times", end = "", paired = true, chars = true, evidence = "e" }'
    (provider,) = declared_providers(FILE.replace("MARKS", paired))
    http = {(p.over, p.key): p.marks for p in declared_marks(provider)}[(ENDPOINT, "speech")]
    assert http.paired and [m.end_s for m in read_marks({"chars": ["a"], "times": [[0.5, 0.75]]}, http) or ()] == [0.75]
    once = FILE.replace("MARKS", "").replace(
        'evidence = "our reference: a timestamps message" }',
        'asked_by = "/ts", asked_at_start = true, evidence = "e" }',
    )
    assert "asked in the opening, and it has none" in one_line_refusal(once)  # this socket has no opening


@pytest.mark.parametrize("marks", MISTAKES)
def test_a_mistake_in_the_marks_table_is_one_line(marks: str) -> None:
    assert MISTAKES[marks] in one_line_refusal(FILE.replace("MARKS", marks))


def test_the_sandbox_writes_a_declared_servers_marks_true_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text(FILE.replace("MARKS", HTTP_MARKS), encoding="utf-8")
    with providers_file_in_effect(path), running(profile="fast", providers=("markbox",)) as sandbox:
        (provider,) = [p for p in declared_providers(path.read_text()) if p.name == "markbox"]
        (place,) = [p for p in declared_marks(provider) if p.over == ENDPOINT]
        url = sandbox.base_url("markbox", "api") + "/speak"
        headers = {"Authorization": f"Bearer {sandbox.default_key('markbox')}"}
        asked = httpx.post(url, json={"text": TEXT, "voice": "ember", "timestamps": True}, headers=headers, timeout=30)
        plain = httpx.post(url, json={"text": TEXT, "voice": "ember"}, headers=headers, timeout=30)
    assert asked.status_code == plain.status_code == 200, asked.text
    words = read_marks(asked.json(), place.marks)
    assert words is not None and [w.text for w in words] == TEXT.split()
    assert [(i["from"], i["to"]) for i in asked.json()["timestamps"]] == [(0, 1), (2, 6), (7, 13), (14, 20)]
    span = words[-1].end_s - words[0].start_s
    assert words[2].end_s - words[2].start_s > 0.4 * span  # "$42.50": the voice's time, in ms read as seconds
    assert read_marks(plain.json(), place.marks) is None


def test_a_declared_socket_sends_its_marks_in_a_message_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text(FILE.replace("MARKS", ""), encoding="utf-8")
    with providers_file_in_effect(path), running(profile="fast", providers=("markbox",)) as sandbox:
        (provider,) = [p for p in declared_providers(path.read_text()) if p.name == "markbox"]
        channel = provider.channel("live")
        grammar = channel.grammar
        assert isinstance(grammar, SocketGrammar)
        opening = grammar.opening(
            Utterance(chunks=(TEXT,), voice="ember", model="box-1", audio_format=grammar.socket.formats[0].name)
        )
        url = channel.url(sandbox.base_url("markbox", channel.host), opening.path_params, opening.query)
        session = asyncio.run(
            run_session(
                url,
                {"Authorization": f"Bearer {sandbox.default_key('markbox')}"},
                list(opening.messages),
                complete=reader(grammar, lambda events: grammar.complete(events, opening)),
                idle_timeout_s=30,
            )
        )
    marks = [
        m
        for f in session.frames
        if f.direction is Direction.RECV
        for e in grammar.read(f).events
        if e.kind is Kind.MARKS
        for m in e.marks
    ]
    assert [m.text for m in marks] == TEXT.split()
    assert [m.start_s for m in marks] == sorted(m.start_s for m in marks) and marks[-1].end_s > marks[0].start_s
