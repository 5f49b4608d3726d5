"""Issue 66's cancel, as data and as one rule (`harness.core.protocols.cancel.judged`): sessions written here frame by
frame on the built-in sockets' grammars, each judged as its documents promise — no audio after Deepgram's Cleared
(DROPPED, acknowledged), none past the in-flight allowance after Cartesia's cancel (DROPPED, no acknowledgement),
audio after ElevenLabs' close_context a finding (SILENT), Murf's synthesis under way playing on (FINISHED); and every
socket whose documents give a clear or a context's cancel declares what it does."""

from __future__ import annotations

import json

import pytest

from harness.core.protocols.cancel import IN_FLIGHT_S, CancelVerdict, judged
from harness.core.protocols.realtime_grammar import AfterCancel, Direction, Grammar, Kind, Session, Utterance
from harness.core.protocols.websocket_speech import SocketGrammar, socket_of
from harness.core.registry import providers

PCM = bytes(4800)  # 0.1 s of 16-bit silence at 24 kHz


def _grammar(provider: str, channel: str) -> Grammar:
    return providers()[provider].channel(channel).grammar


def _deepgram(*after: tuple[float, str | bytes], ack: bool = True) -> Session:
    """Speak, Flush, two chunks, Clear at 0.5 s, then `after` (the server's frames), Cleared first where `ack`."""
    session = Session(url="ws://loopback/v1/speak")
    session.add(Direction.SEND, 0.0, json.dumps({"type": "Speak", "text": "Hello there."}))
    session.add(Direction.SEND, 0.0, json.dumps({"type": "Flush"}))
    session.add(Direction.RECV, 0.2, PCM)
    session.add(Direction.RECV, 0.3, PCM)
    session.add(Direction.SEND, 0.5, json.dumps({"type": "Clear"}))
    frames = ((0.52, json.dumps({"type": "Cleared", "sequence_id": 0})),) if ack else ()
    for t, message in sorted((*frames, *after), key=lambda item: item[0]):
        session.add(Direction.RECV, t, message)
    return session


def test_a_cancel_acknowledged_and_silent_is_kept() -> None:
    outcome = judged(_deepgram((0.51, PCM)), _grammar("deepgram", "speak.streaming"))
    assert outcome.verdict is CancelVerdict.KEPT
    assert outcome.to_silence_ms == pytest.approx(10.0)  # the chunk already on its way before the Cleared
    assert (outcome.after_ack_frames, outcome.after_ack_audio_s) == (0, 0.0)
    assert outcome.ack_s == pytest.approx(0.52)


def test_audio_after_the_acknowledgement_breaks_a_promise_of_none() -> None:
    outcome = judged(_deepgram((0.6, PCM), (0.9, PCM)), _grammar("deepgram", "speak.streaming"))
    assert outcome.verdict is CancelVerdict.VIOLATION
    assert (outcome.after_ack_frames, outcome.after_ack_audio_s) == (2, pytest.approx(0.2))
    assert outcome.to_silence_ms == pytest.approx(400.0)
    assert "where the documents promise none" in outcome.detail


def test_a_promised_acknowledgement_that_never_comes_is_a_violation() -> None:
    outcome = judged(_deepgram(ack=False), _grammar("deepgram", "speak.streaming"))
    assert outcome.verdict is CancelVerdict.VIOLATION and "cleared" in outcome.detail


def test_a_cancel_after_the_utterance_ended_is_not_measured() -> None:
    session = Session(url="ws://loopback/v1/speak")
    session.add(Direction.SEND, 0.0, json.dumps({"type": "Speak", "text": "Hi."}))
    session.add(Direction.SEND, 0.0, json.dumps({"type": "Flush"}))
    session.add(Direction.RECV, 0.2, PCM)
    session.add(Direction.RECV, 0.3, json.dumps({"type": "Flushed", "sequence_id": 0}))
    session.add(Direction.SEND, 0.5, json.dumps({"type": "Clear"}))
    outcome = judged(session, _grammar("deepgram", "speak.streaming"))
    assert outcome.verdict is CancelVerdict.UNMEASURED and outcome.to_silence_ms is None  # "—", never 0


def _cartesia(*after: float) -> Session:
    """A context spoken, cancelled at 0.5 s (no acknowledgement), then audio chunks at `after`."""
    session = Session(url="ws://loopback/tts/websocket")
    chunk = {
        "type": "chunk",
        "data": "AAAA",
        "done": False,
        "status_code": 206,
        "step_time": 1.0,
        "context_id": "utterance-1",
    }
    session.add(
        Direction.SEND,
        0.0,
        json.dumps(
            {
                "context_id": "utterance-1",
                "model_id": "sonic-3",
                "transcript": "Hi",
                "voice": {"mode": "id", "id": "x"},
                "continue": False,
            }
        ),
    )
    session.add(Direction.RECV, 0.2, json.dumps(chunk))
    session.add(Direction.SEND, 0.5, json.dumps({"context_id": "utterance-1", "cancel": True}))
    for t in after:
        session.add(Direction.RECV, t, json.dumps(chunk))
    return session


def test_without_an_acknowledgement_audio_in_flight_is_excused_and_later_audio_is_not() -> None:
    grammar = _grammar("cartesia", "tts.websocket")
    in_flight = judged(_cartesia(0.5 + IN_FLIGHT_S / 2), grammar, "utterance-1")
    assert in_flight.verdict is CancelVerdict.KEPT and in_flight.after_ack_frames == 1
    late = judged(_cartesia(0.5 + IN_FLIGHT_S / 2, 0.5 + 2 * IN_FLIGHT_S), grammar, "utterance-1")
    assert late.verdict is CancelVerdict.VIOLATION and late.after_ack_frames == 2


def test_what_each_promise_makes_of_the_same_late_audio() -> None:
    """The same session judged under each promise: DROPPED a violation, SILENT a finding, FINISHED kept."""
    grammar = _grammar("cartesia", "tts.websocket")
    assert grammar.cancel is not None
    session = _cartesia(1.5)
    made = {}
    for after in AfterCancel:
        grammar.cancel = type(grammar.cancel)("cancel", after, "quote", "doc")
        made[after] = judged(session, grammar, "utterance-1").verdict
    grammar.cancel = socket_of(providers()["cartesia"].channel("tts.websocket")).cancel
    assert made == {
        AfterCancel.DROPPED: CancelVerdict.VIOLATION,
        AfterCancel.SILENT: CancelVerdict.FINDING,
        AfterCancel.FINISHED: CancelVerdict.KEPT,
    }


def test_every_socket_with_a_clear_or_a_cancel_declares_what_it_does() -> None:
    declared = {}
    for provider in providers().values():
        for channel in provider.channels:
            grammar = channel.grammar
            if not isinstance(grammar, SocketGrammar):
                continue
            socket = grammar.socket
            has = socket.clear is not None or (socket.contexts is not None and socket.contexts.cancel is not None)
            if has or socket.cancel is not None:
                cancel = socket.cancel
                assert cancel is not None, f"{provider.name} {channel.key}: a clear or cancel with no Cancel"
                cited = (*provider.docs, socket.doc)
                assert socket.cancel_send is not None and cancel.quote and cancel.doc in cited, (
                    provider.name,
                    channel.key,
                )
                declared[f"{provider.name}/{channel.key}"] = (cancel.message, cancel.after, cancel.ack)
    assert declared["deepgram/speak.streaming"] == ("clear", AfterCancel.DROPPED, Kind.CLEARED)
    assert declared["cartesia/tts.websocket"] == ("cancel", AfterCancel.DROPPED, None)
    assert declared["elevenlabs/tts.multi-stream-input"] == ("end", AfterCancel.SILENT, None)
    # the speech-to-speech sockets (issue 80): a response cancelled, a generation interrupted
    assert declared["openai/realtime"] == ("clear", AfterCancel.DROPPED, Kind.FINAL)
    assert declared["gemini/live"] == ("clear", AfterCancel.DROPPED, Kind.CLEARED)
    assert declared["azure/voice-live"] == ("clear", AfterCancel.DROPPED, Kind.CLEARED)
    assert "xai/realtime" not in declared  # no stored page of xAI's shows a cancel
    assert declared["murf/speech.stream-input"][1] is AfterCancel.FINISHED
    assert len(declared) >= 8


def test_a_cancel_that_is_the_end_turns_the_end_into_a_flush() -> None:
    """ElevenLabs' close_context is both the context's end and its cancel: the cancelled opening asks for the speech
    with a flush, and closes the context CANCEL later, after the first audio."""
    grammar = _grammar("elevenlabs", "tts.multi-stream-input")
    utterance = Utterance(
        chunks=("Hello there.",), voice="JBFqnCBsd6RMkjVDRZzb", model="eleven_flash_v2_5", audio_format="pcm_24000"
    )
    opening = grammar.cancelling(utterance, grammar.opening(utterance), 0.3)
    assert opening is not None
    sent = [json.loads(str(m.message)) for m in opening.messages]
    assert [m.get("flush") for m in sent].count(True) == 1 and sent[-1] == {
        "context_id": "utterance-1",
        "close_context": True,
    }
    assert sum(1 for m in sent if m.get("close_context")) == 1
    last = opening.messages[-1]
    assert (last.after, last.at_s) == (Kind.AUDIO, 0.3) and opening.closing == ()
    plain = _grammar("elevenlabs", "tts.stream-input")
    assert plain.cancelling(utterance, plain.opening(utterance), 0.3) is None  # stream-input documents no cancel


def test_a_cancelled_utterances_marks_are_judged_up_to_the_cancel_and_no_further() -> None:
    """Issue 79: the words after the cancel are not the marks' to spell, but a word misspelt before it still is; a
    cancel that met no speech (unmeasured) leaves the utterance whole."""
    from harness.core.protocols.cancel import cut_by_cancel, spoken_before_cancel
    from harness.core.timing_marks import MarksKind, TimingMark, check_marks

    sent = "The cat sat on the mat."
    marks = [TimingMark(text="The", start_s=0.0, end_s=0.1), TimingMark(text="cat", start_s=0.12, end_s=0.3)]
    assert spoken_before_cancel(marks, sent) == "The cat"
    assert check_marks(marks, None, [spoken_before_cancel(marks, sent)]) == ()
    wrong = [marks[0], TimingMark(text="dog", start_s=0.12, end_s=0.3)]
    assert [f.kind for f in check_marks(wrong, None, [spoken_before_cancel(wrong, sent)])] == [MarksKind.SPELLING]
    chars = [TimingMark(text=c, start_s=i * 0.05, end_s=(i + 1) * 0.05) for i, c in enumerate("The ca")]
    assert spoken_before_cancel(chars, sent, chars=True) == "The ca"  # a word the cancel cut: its part marked
    assert check_marks(chars, None, [spoken_before_cancel(chars, sent, chars=True)], chars=True) == ()
    assert spoken_before_cancel(chars[:5], "The dog", chars=True) == "The dog"  # "c" is no part of "dog"
    assert [cut_by_cancel(v) for v in ("kept", "violation", "finding", "unmeasured", None)] == [
        True,
        True,
        True,
        False,
        False,
    ]
