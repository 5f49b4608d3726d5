"""Issue 65: the sandbox writes every declared HTTP marks form true — in a JSON answer, on stream lines and events, as
events of their own (one mark each), and as the lines of a request of their own (Polly's speech marks) — in the
declared unit, with offsets into the text where declared, and only where asked. Read back with the one reader
(`read_marks`), the marks spell the sent words and put them where the voice says them: "$42.50" is most of the speech
(spread evenly over the characters it would get a third of it), and a unit misread (milliseconds as seconds) would put
the words past the audio's end."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import httpx
import pytest

from harness.core.protocols.http_speech import Synthesis, put, read
from harness.core.protocols.marks import (
    BYTES,
    Marks,
    complete_words,
    read_lines,
    read_marks,
    settled,
    written_word,
)
from harness.core.protocols.marks_declared import CHANNEL, ENDPOINT, declared_marks
from harness.core.protocols.realtime_grammar import Direction, Kind, SpokenSpan, Utterance
from harness.core.protocols.realtime_session import reader, run_session
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.registry import providers
from harness.core.spec import EventStreamBody, NdjsonBody, SynthesisInput
from harness.sandbox import Sandbox
from tests.helpers import sandbox_http as sh
from tests.helpers.sandbox_http import auth_headers

TEXT = "Café owners paid $42.50 today."


def _places() -> list[tuple[str, str]]:
    return [
        (name, place.key)
        for name, provider in sorted(providers().items())
        for place in declared_marks(provider)
        if place.over == ENDPOINT
    ]


def _synthesis(name: str, key: str) -> Synthesis:
    return next(s for s in providers()[name].family.syntheses if s.endpoint.key == key)


def _request(name: str, synthesis: Synthesis) -> dict[str, Any]:
    """The benchmark's request on that endpoint (an offering's), else the reference's example, with the text."""
    provider = providers()[name]
    offering = next((o for o in provider.offerings if o.endpoint == synthesis.endpoint.key and not o.channel), None)
    body = copy.deepcopy(offering.build(SynthesisInput(TEXT)) if offering else synthesis.endpoint.example or {})
    put(body, synthesis.slots.text, TEXT)
    return body


def _send(sandbox: Sandbox, client: httpx.Client, name: str, key: str, body: dict[str, Any]) -> httpx.Response:
    """The request sent as its provider's client sends it: signed where the provider signs (Polly's SigV4)."""
    provider = providers()[name]
    signer = provider.auth.signer
    if signer is None:
        return sh.send(sandbox, client, name, key, body, key=sandbox.default_key(name))
    endpoint = provider.endpoint(key)
    request = client.build_request(endpoint.method, sandbox.base_url(name, endpoint.host) + endpoint.path, json=body)
    signer.sign(request, sandbox.default_key(name), provider.default_region)
    return client.send(request)


def _messages(answer: httpx.Response, synthesis: Synthesis, marks: Marks) -> list[Any]:
    """What the answer's marks ride on: the JSON answer, each line or event, or the lines answered in place of audio."""
    if marks.lines:
        return [read_lines(answer.content)]
    success = synthesis.endpoint.response_for(200)
    assert success is not None
    body = success.bodies[0]
    if isinstance(body, EventStreamBody):
        return [json.loads(line[5:]) for line in answer.text.splitlines() if line.startswith("data:")]
    if isinstance(body, NdjsonBody):
        return [json.loads(line) for line in answer.text.splitlines() if line.strip()]
    return [answer.json()]


def _marks(messages: list[Any], marks: Marks) -> list[SpokenSpan]:
    found: list[SpokenSpan] = []
    kept = [m for m in messages if marks.answer is None or marks.answer.match(m)]
    for message, offset_s in settled(kept, marks):  # snapshots: each chunk's latest, moved by its offset
        found += [
            SpokenSpan(m.text, m.start_s + offset_s, m.end_s + offset_s) for m in read_marks(message, marks) or ()
        ]
    if marks.chars:
        found = complete_words([*found, SpokenSpan(" ", 0.0, 0.0)])[0]
    return found


# The text as an SSML document with a <mark> before each word and one after the last: where the marks name them
# (`ssml_marks`), each is timed where the voice reaches the word after it.
MARKED = (
    "<speak>"
    + "".join(f'<mark name="w{i}"/>{word} ' for i, word in enumerate(TEXT.split()))
    + '<mark name="end"/></speak>'
)


def _ssml_request(name: str, synthesis: Synthesis) -> dict[str, Any]:
    """The request with the marked SSML document where the synthesis takes one, in place of the text."""
    request = _request(name, synthesis)
    assert synthesis.slots.ssml is not None, f"{name} {synthesis.endpoint.key}: SSML marks, and no SSML slot"
    parent, _, field = synthesis.slots.text.rpartition("/")
    (read(request, parent) if parent else request).pop(field)  # the documents take one or the other
    put(request, synthesis.slots.ssml, MARKED)
    return request


def _test_ssml_marks(
    sandbox: Sandbox, client: httpx.Client, name: str, key: str, synthesis: Synthesis, marks: Marks
) -> None:
    request = _ssml_request(name, synthesis)
    marks.ask(request)
    answer = _send(sandbox, client, name, key, request)
    assert answer.status_code == 200, answer.text[:300]
    timed = _marks(_messages(answer, synthesis, marks), marks)
    assert [m.text for m in timed] == [f"w{i}" for i in range(len(TEXT.split()))] + ["end"]
    at = [m.start_s for m in timed]
    assert at == sorted(at) and 0.5 < at[-1] < 8.0  # seconds, not milliseconds read as seconds
    assert at[4] - at[3] > 0.3 * (at[-1] - at[0])  # "$42.50" between w3 and w4: its speech, not its characters
    plain = _send(sandbox, client, name, key, _ssml_request(name, synthesis))  # not asked: none
    assert plain.status_code == 200 and not _marks(_messages(plain, synthesis, marks), marks)
    unmarked = _request(name, synthesis)  # asked, but plain text has no <mark>s to time
    marks.ask(unmarked)
    answer = _send(sandbox, client, name, key, unmarked)
    assert answer.status_code == 200 and not _marks(_messages(answer, synthesis, marks), marks), answer.text[:300]


@pytest.mark.parametrize(("name", "key"), _places())
def test_each_declared_http_marks_form_is_written_true_and_only_when_asked(
    sandbox: Sandbox, client: httpx.Client, name: str, key: str
) -> None:
    synthesis = _synthesis(name, key)
    marks = synthesis.marks
    assert marks is not None
    if marks.ssml_marks:
        _test_ssml_marks(sandbox, client, name, key, synthesis, marks)
        return
    request = _request(name, synthesis)
    marks.ask(request)
    answer = _send(sandbox, client, name, key, request)
    assert answer.status_code == 200, answer.text[:300]
    messages = _messages(answer, synthesis, marks)
    words = _marks(messages, marks)
    assert [w.text for w in words] == [said for w in TEXT.split() if (said := written_word(marks, w))]
    starts = [w.start_s for w in words]
    assert starts == sorted(starts) and 0.5 < words[-1].end_s < 8.0  # seconds, not milliseconds read as seconds
    span = words[-1].end_s - words[0].start_s
    assert (words[3].end_s - words[3].start_s) > 0.3 * span  # "$42.50": its speech, not its share of characters
    if marks.offsets_at and marks.items_at is not None:
        items = [i for m in messages for i in (read(m, marks.items_at) if marks.items_at else m) or ()]
        sent = TEXT.encode() if marks.offsets_in == BYTES else TEXT
        at_start, at_end = marks.offsets_at
        spelled = [
            sent[read(i, at_start) : read(i, at_end)]
            for i in items
            if not marks.kind_at or read(i, marks.kind_at) == marks.kind
        ]
        assert spelled == [w.encode() if marks.offsets_in == BYTES else w for w in TEXT.split()]
    if marks.asked_by:  # not asked: no marks (where they replace the audio, the audio)
        plain = _send(sandbox, client, name, key, _request(name, synthesis))
        assert plain.status_code == 200
        if marks.lines:
            assert not plain.headers["content-type"].startswith(marks.lines)
        else:
            assert not _marks(_messages(plain, synthesis, marks), marks)


def _sockets() -> list[tuple[str, str]]:
    return [
        (name, place.key)
        for name, provider in sorted(providers().items())
        for place in declared_marks(provider)
        if place.over == CHANNEL
    ]


@pytest.mark.parametrize(("name", "key"), _sockets())
def test_each_declared_socket_writes_its_marks_true(sandbox: Sandbox, name: str, key: str) -> None:
    """The same over every socket that declares marks (a message of their own, one a mark, or riding on the audio,
    chunk-relative): the socket's own client session, asking as the documents say, read back by the grammar."""
    provider = providers()[name]
    channel = provider.channel(key)
    grammar = channel.grammar
    assert isinstance(grammar, SocketGrammar)
    offering = next(o for o in provider.offerings if o.channel == key)
    wire, voice = grammar.speaker_of(offering.name) or (offering.name, "")
    fmt = grammar.socket.formats[0]
    opening = grammar.opening(Utterance(chunks=(TEXT,), voice=voice, model=wire, audio_format=fmt.name))
    url = channel.url(sandbox.base_url(name, channel.host), opening.path_params, opening.query)
    headers = {**auth_headers(name, sandbox.default_key(name)), **opening.headers}
    session = asyncio.run(
        run_session(
            url,
            headers,
            list(opening.messages),
            closing=opening.closing,
            client_closes=opening.client_closes,
            complete=reader(grammar, lambda events: grammar.complete(events, opening)),
            idle_timeout_s=30,
            key=sandbox.default_key(name),
        )
    )
    heard, words, pending = 0.0, [], []  # the audio before each frame, in seconds
    rate = fmt.spec.sample_rate * 2  # 16-bit PCM: bytes a second
    for frame in session.frames:
        if frame.direction is not Direction.RECV:
            continue
        events = grammar.read(frame).events
        chunk = sum(len(e.audio) for e in events if e.kind is Kind.AUDIO) / rate
        for event in events:
            if event.kind is Kind.MARKS:
                base = heard if event.chunk_relative else 0.0
                pending += [SpokenSpan(m.text, base + m.start_s, base + m.end_s) for m in event.marks]
        heard += chunk
    marks = grammar.socket.marks
    assert marks is not None and fmt.spec.codec == "pcm_s16le"
    words = complete_words([*pending, SpokenSpan(" ", 0.0, 0.0)])[0] if marks.chars else pending
    assert [w.text for w in words] == [said for w in TEXT.split() if (said := written_word(marks, w))]
    starts = [w.start_s for w in words]
    assert starts == sorted(starts) and words[-1].end_s <= heard + 0.05 and words[-1].end_s > 0.5 * heard
    span = words[-1].end_s - words[0].start_s
    assert (words[3].end_s - words[3].start_s) > 0.3 * span  # "$42.50": its speech, not its share of characters
