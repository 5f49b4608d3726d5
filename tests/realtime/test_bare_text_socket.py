"""A socket of bare frames, not messages (`websocket_speech.BareText`): each client text frame is the text itself,
control words are frames of their own, the server answers with the audio's bytes alone and ends the utterance by
closing the socket, with no final message. Rime's plain-text `/ws` socket is the one declared ("accepts bare text, and
responds with audio bytes of the selected format"; `<EOS>`: "for the server to close the connection after sending
the generated audio"): the family's grammar speaks it, the sandbox imitates it from the declaration alone, and the
frame rules, the realtime checks and the benchmark's reading judge it by its close."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from harness.contracts.frame_checks import check_session
from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check
from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import (
    AudioSpec,
    Channel,
    Closing,
    Direction,
    Frame,
    Kind,
    Session,
    Utterance,
)
from harness.core.protocols.socket_framing import Framing, FramingError, decode, encode
from harness.core.protocols.websocket_speech import (
    Answer,
    BareText,
    BareTextFrame,
    Failures,
    Match,
    Socket,
    SocketAuth,
    SocketGrammar,
)
from harness.core.registry import providers
from harness.core.spec import Provider
from harness.runner.deliver.socket_speech import Frames, failure_of

TEXT = "Hello there, this is a plain socket."
PCM = (Format(name="pcm", spec=AudioSpec("pcm_s16le", 24000, "raw"), media_type="audio/pcm"),)


def _provider() -> Provider:
    return providers()["rime"]


def _channel() -> Channel:
    return next(c for c in _provider().channels if c.path == "/ws")


def _grammar() -> SocketGrammar:
    grammar = _channel().grammar
    assert isinstance(grammar, SocketGrammar)
    return grammar


# --- the framing and the part -----------------------------------------------------------------------------------


def test_a_bare_text_frame_is_the_text_itself_both_ways() -> None:
    assert decode("Hello <EOS>", None, Framing.TEXT) == {"text": "Hello <EOS>"}
    assert encode({"text": "<CLEAR>"}, Framing.TEXT) == "<CLEAR>"
    with pytest.raises(FramingError, match=r"^expected a text frame, got a binary frame of 3 bytes"):
        decode(None, b"abc", Framing.TEXT)
    with pytest.raises(FramingError, match="carries its text alone"):
        encode({"text": "x", "voice": "y"}, Framing.TEXT)


def test_the_part_makes_the_text_and_the_words_and_no_final_message() -> None:
    socket = _grammar().socket
    assert socket.framing is Framing.TEXT and socket.final is None and socket.failures.error is None
    assert socket.end is not None and socket.flush is not None and socket.clear is not None
    grammar = _grammar()
    for frame, name in (
        ("Hello, ", "text"),
        ("<EOS>", "end"),
        ("<FLUSH>", "flush"),
        ("<CLEAR>", "clear"),
        ("<EOS> and more", "text"),
    ):
        send = grammar.client_message(decode(frame, None, Framing.TEXT), 1)
        assert send is not None and send.name == name, frame
    assert grammar.ending_close == 1000 and grammar.bare_text and grammar.binary_audio


def test_a_declaration_gives_the_messages_once() -> None:
    done = Answer(
        name="done", kind=Kind.FINAL, match=Match("/type", "done"), model=BareTextFrame, template={"type": "done"}
    )
    bare = BareText(end="<EOS>")
    with pytest.raises(ValueError, match="not declared apart"):
        Socket(key="s", path="/s", summary="", doc="", auth=SocketAuth(), bare=bare, final=done, formats=PCM)
    with pytest.raises(ValueError, match="bare-text framing is declared by the `bare` part"):
        Socket(
            key="s",
            path="/s",
            summary="",
            doc="",
            auth=SocketAuth(),
            text=bare.send("text"),
            final=done,
            formats=PCM,
            framing=Framing.TEXT,
            failures=Failures(error=done),
        )
    with pytest.raises(ValueError, match="a final message or, on a bare-text socket"):
        Socket(
            key="s",
            path="/s",
            summary="",
            doc="",
            auth=SocketAuth(),
            text=bare.send("text"),
            formats=PCM,
            failures=Failures(error=done),
        )


def test_the_grammar_says_an_utterance_as_bare_frames_ending_with_the_word() -> None:
    utterance = Utterance(chunks=("Hello ", "there."), voice="celeste", model="arcana", audio_format="pcm")
    opening = _grammar().opening(utterance)
    assert [m.message for m in opening.messages] == ["Hello ", "there.", "<EOS>"]
    assert dict(opening.query) == {"speaker": "celeste", "modelId": "arcana", "audioFormat": "pcm"}
    assert not opening.client_closes  # the server closes: that is the end


# --- the judges read the close as the end -----------------------------------------------------------------------


def _session(closing: Closing, *, audio: bytes = b"\x00\x10" * 2400) -> Session:
    session = Session(url="ws://loopback/ws", started_at=0.0, opened_s=0.0)
    session.add(Direction.SEND, 0.01, "Hello.")
    session.add(Direction.SEND, 0.02, "<EOS>")
    session.add(Direction.RECV, 0.10, audio)
    session.closing = closing
    return session


def test_the_frame_rules_want_the_servers_close_after_the_end() -> None:
    grammar = _grammar()
    assert check_session(_session(Closing(1000, "", 0.2)), grammar).violations == []
    by_client = check_session(_session(Closing(1000, "", 0.2, by_server=False)), grammar).violations
    assert [(v.pointer, v.rule) for v in by_client] == [("/closing", "order")]
    early = _session(Closing(1000, "", 0.015))
    assert [v.rule for v in check_session(early, grammar).violations] == ["order"]  # "<EOS>" came after the close


def test_the_benchmark_takes_the_close_as_the_utterances_end_and_nothing_else() -> None:
    grammar = _grammar()

    def frames(session: Session) -> Frames:
        return Frames(events=[e for f in session.received() for e in grammar.read(f).events])

    whole = _session(Closing(1000, "", 0.2))
    assert failure_of(whole, frames(whole), grammar) is None
    dropped = _session(Closing(None, "the connection dropped without a close frame", 0.2))
    assert failure_of(dropped, frames(dropped), grammar) is not None
    refused = _session(Closing(1008, "invalid_request: Speaker x is not available", 0.2))
    assert failure_of(refused, frames(refused), grammar) is not None


# --- the sandbox imitates it from the declaration ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("rime",)) as running_sandbox:
        yield running_sandbox


def _url(sandbox: Any, query: str = "speaker=celeste&modelId=arcana&audioFormat=pcm") -> str:
    return sandbox.base_url("rime", "ws").replace("http://", "ws://") + "/ws?" + query


def _talk(
    url: str, key: str, frames: list[str | bytes], *, wait_audio_after: int | None = None
) -> tuple[list[bytes], int, int | None, str]:
    """Send `frames` (waiting for audio after the frame at `wait_audio_after`); every binary frame back, how many
    came before the rest was sent, and the close."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    async def run() -> tuple[list[bytes], int, int | None, str]:
        audio: list[bytes] = []
        early = 0
        async with connect(url, additional_headers={"Authorization": f"Bearer {key}"}) as socket:
            for index, frame in enumerate(frames):
                await socket.send(frame)
                if index == wait_audio_after:
                    audio.append(await asyncio.wait_for(socket.recv(), 10))
                    early = len(audio)
            try:
                while True:
                    message = await asyncio.wait_for(socket.recv(), 10)
                    assert isinstance(message, bytes), f"a text frame from a bare-text socket: {message!r}"
                    audio.append(message)
            except ConnectionClosed as closed:
                assert closed.rcvd is not None
                return audio, early, closed.rcvd.code, closed.rcvd.reason
        return audio, early, None, ""

    return asyncio.run(run())


def test_the_sandbox_answers_bare_text_with_audio_bytes_and_closes_after_the_end(sandbox: Any) -> None:
    audio, _, code, _ = _talk(_url(sandbox), sandbox.default_key("rime"), ["Hello there, ", "this is plain.", "<EOS>"])
    joined = b"".join(audio)
    assert code == 1000 and len(audio) >= 2
    assert len(joined) % 2 == 0 and len(joined) / 2 / 24000 > 0.5  # headerless 16-bit PCM at 24 kHz, speech long


def test_a_clear_drops_the_buffer_unspoken(sandbox: Any) -> None:
    """ "This clears the current buffer. Used in the event of interruptions." """
    key, dropped = sandbox.default_key("rime"), "Many more words that nobody will ever hear from this socket. "
    cleared, _, code, _ = _talk(_url(sandbox), key, [dropped, "<CLEAR>", "<EOS>"])
    assert (cleared, code) == ([], 1000)
    kept, _, code, _ = _talk(_url(sandbox), key, [dropped, "<CLEAR>", "Only this.", "<EOS>"])
    both, _, _, _ = _talk(_url(sandbox), key, [dropped, "Only this.", "<EOS>"])
    alone, _, _, _ = _talk(_url(sandbox), key, ["Only this.", "<EOS>"])
    seconds = [len(b"".join(audio)) / 2 / 24000 for audio in (kept, both, alone)]
    assert code == 1000 and abs(seconds[0] - seconds[2]) < 0.5 < seconds[1] - seconds[0], seconds


def test_a_flush_speaks_the_buffer_and_the_socket_stays_open(sandbox: Any) -> None:
    audio, early, code, _ = _talk(
        _url(sandbox), sandbox.default_key("rime"), ["First part.", "<FLUSH>", "Second.", "<EOS>"], wait_audio_after=1
    )
    assert early == 1 and len(audio) > early and code == 1000


def test_a_bad_key_is_refused_at_the_upgrade_as_on_the_json_socket(sandbox: Any) -> None:
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        _talk(_url(sandbox), "not-a-key", ["Hello.", "<EOS>"])
    assert refused.value.response.status_code == 401
    assert b"Invalid API key" in refused.value.response.body


def test_a_binary_frame_or_an_unknown_voice_is_refused_by_the_close(sandbox: Any) -> None:
    key = sandbox.default_key("rime")
    audio, _, code, reason = _talk(_url(sandbox), key, [b"\x00\x01"])
    assert (audio, code) == ([], 1008) and reason.startswith("invalid_request: Expected a text frame")
    audio, _, code, reason = _talk(
        _url(sandbox, "speaker=nobody&modelId=arcana&audioFormat=pcm"), key, ["Hello.", "<EOS>"]
    )
    assert (audio, code) == ([], 1008) and "nobody" in reason


@pytest.mark.parametrize(
    "check", sorted(plans(RealtimeTarget(dataclasses.replace(_provider(), channels=(_channel(),)), "", "")))
)
def test_every_realtime_check_passes_on_the_sandboxs_bare_text_socket(check: str, sandbox: Any) -> None:
    provider = dataclasses.replace(_provider(), channels=(_channel(),))  # the checks speak to the first channel
    target = RealtimeTarget(provider, sandbox.base_url("rime", "ws"), sandbox.default_key("rime"))
    plan = plans(target)[check]()
    session = asyncio.run(run_check(target, plan))
    findings = judge(target, plan, session)
    assert not findings.violations, findings.text()
    if check in ("synthesis", "streamed-input"):
        assert session.closing is not None and session.closing.code == 1000 and session.closing.by_server
        assert any(e.kind is Kind.AUDIO for e in findings.events)


def test_a_frame_of_audio_reads_as_audio_and_nothing_else() -> None:
    grammar = _grammar()
    reading = grammar.read(Frame(2, Direction.RECV, 0.1, data=b"\x01\x02"))
    assert [(e.kind, e.audio) for e in reading.events] == [(Kind.AUDIO, b"\x01\x02")]
    stray = grammar.read(Frame(3, Direction.RECV, 0.2, text="done"))
    assert stray.events == () and stray.problems  # the server sends no messages
