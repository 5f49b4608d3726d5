"""A streamed answer read strictly (`harness.core.stream_events`) and errors inside 2xx answers
(`harness.core.answer_errors`): every event is audio, an error, the declared end or another message, or a named
problem; a provider's own code is classified as a non-2xx answer would be."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from harness.core.answer_errors import error_in, status_of
from harness.core.errors import AuthError, RateLimitError, ServerError, ValidationRejected
from harness.core.spec import AudioAt, BodyErrors, EventMark, EventStreamBody, NdjsonBody
from harness.core.stream_events import Problem, read_stream

MINIMAX_LIKE = BodyErrors(
    "/base_resp/status_code",
    success=(0,),
    message_at="/base_resp/status_msg",
    statuses={"1004": 401, "1002": 429, "2013": 400},
)
SSE = EventStreamBody(audio=AudioAt("/audio"), last=EventMark(values={"/type": "done"}))


def _sse(*documents: object) -> bytes:
    return b"".join(b"data: " + json.dumps(d).encode() + b"\n\n" for d in documents)


def _delta(audio: bytes) -> dict[str, str]:
    return {"type": "delta", "audio": base64.b64encode(audio).decode()}


def test_a_whole_stream_gives_its_pieces_in_order() -> None:
    reading = read_stream(_sse(_delta(b"ab"), _delta(b"cd"), {"type": "done"}), SSE)
    assert reading.audio == [b"ab", b"cd"] and not reading.problems and reading.error is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (_sse(_delta(b"ab")) + b"data: {not json\n\n" + _sse({"type": "done"}), Problem.UNREADABLE),
        (_sse(_delta(b"ab"), {"type": "delta", "audio": "!!"}, {"type": "done"}), Problem.BAD_AUDIO),
        (_sse(_delta(b"ab")) + b'data: {"type": "delta", "audio": "YW', Problem.CUT),
        (_sse(_delta(b"ab"), _delta(b"cd")), Problem.NO_END),
        (_sse(_delta(b"ab"), {"type": "done"}, _delta(b"cd")), Problem.AFTER_END),
        (_sse(_delta(b"ab"), {"type": "error", "error": {"code": 429, "message": "slow"}}), Problem.ERROR),
    ],
)
def test_each_breakage_is_a_named_problem(body: bytes, problem: Problem) -> None:
    assert problem in {found.kind for found in read_stream(body, SSE).problems}


def test_what_leaves_the_audio_whole_is_a_finding() -> None:
    after = read_stream(_sse(_delta(b"ab"), {"type": "done"}, {"type": "usage"}), SSE)
    assert after.audio == [b"ab"] and not after.problems and after.findings
    repeated = read_stream(
        _sse(_delta(b"ab"), _delta(b"cd"), {"type": "done", "audio": base64.b64encode(b"abcd").decode()}), SSE
    )
    assert repeated.audio == [b"ab", b"cd"] and not repeated.problems and "repeats" in repeated.findings[0]


def test_an_error_code_in_an_event_is_an_error_even_with_audio() -> None:
    declared = EventStreamBody(audio=AudioAt("/data/audio", "hex"), errors=MINIMAX_LIKE)
    body = _sse(
        {"data": {"audio": "0011"}, "base_resp": {"status_code": 0}},
        {"data": {"audio": "2233"}, "base_resp": {"status_code": 1004, "status_msg": "invalid api key"}},
    )
    reading = read_stream(body, declared)
    assert reading.error is not None and reading.error.code == "1004"
    assert isinstance(reading.error.classified("POST /t2a", MINIMAX_LIKE), AuthError)


def test_ndjson_lines_are_read_the_same_way() -> None:
    declared = NdjsonBody(audio=AudioAt("/result/audio"))
    lines = b"".join(
        json.dumps(d).encode() + b"\n"
        for d in ({"result": {"audio": base64.b64encode(b"xy").decode()}}, {"error": {"code": 16, "message": "no key"}})
    )
    reading = read_stream(lines, declared, lines=True)
    assert reading.error is not None
    assert isinstance(reading.error.classified("POST /stream", declared.errors), AuthError)  # gRPC 16


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("1004", AuthError),
        ("1002", RateLimitError),
        ("2013", ValidationRejected),
        ("429", RateLimitError),
        ("RESOURCE_EXHAUSTED", RateLimitError),
        ("3", ValidationRejected),
        ("whatever", ServerError),
    ],
)
def test_a_providers_code_is_classified_by_what_it_means(code: str, kind: type) -> None:
    from harness.core.errors import error_for_status

    assert isinstance(error_for_status(status_of(code, MINIMAX_LIKE), "x"), kind)


def test_success_is_not_an_error_and_a_key_in_the_message_is_redacted() -> None:
    assert error_in({"base_resp": {"status_code": 0, "status_msg": "success"}}, MINIMAX_LIKE) is None
    key = "sk-live-0123456789abcdef"
    said = error_in({"base_resp": {"status_code": 2049, "status_msg": f"invalid api key {key}"}}, MINIMAX_LIKE)
    assert said is not None and key not in str(said.classified("POST /t2a", MINIMAX_LIKE, (key,)))


@given(st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=8), st.floats(0.0, 1.0, exclude_max=True))
@example(pieces=[b"\x00"], where=0.9921875)  # cut between the last event's line break and its blank line
def test_a_stream_cut_anywhere_is_never_a_clean_result(pieces: list[bytes], where: float) -> None:
    """Whatever byte a connection drops at, the reading says so: it never gives fewer pieces and no word of it.
    Only a cut in the last event's closing line break leaves the audio whole (the declared end parsed): a
    finding, not a problem."""
    body = _sse(*(_delta(p) for p in pieces), {"type": "done"})
    assert read_stream(body, SSE).audio == pieces
    cut = read_stream(body[: int(where * len(body))], SSE)
    assert cut.problems or (cut.audio == pieces and cut.findings)


def test_an_end_told_by_a_value_present_ends_the_stream_and_may_never_come() -> None:
    """Gemini's `finishReason`, set (whatever its value) on the chunk that ends the stream: audio after that event
    is a problem; a stream that never says it is not one, where the end is not required."""
    finished = EventStreamBody(audio=AudioAt("/audio"), last=EventMark(present=("/finishReason",), required=False))
    whole = read_stream(_sse(_delta(b"ab"), {**_delta(b"cd"), "finishReason": "MAX_TOKENS"}), finished)
    assert whole.audio == [b"ab", b"cd"] and not whole.problems
    after = read_stream(_sse({**_delta(b"ab"), "finishReason": "STOP"}, _delta(b"cd")), finished)
    assert [p.kind for p in after.problems] == [Problem.AFTER_END] and after.audio == [b"ab"]
    unsaid = read_stream(_sse(_delta(b"ab"), {**_delta(b"cd"), "finishReason": None}), finished)
    assert unsaid.audio == [b"ab", b"cd"] and not unsaid.problems  # null is not said: no end, and none required
    required = EventStreamBody(audio=AudioAt("/audio"), last=EventMark(present=("/finishReason",)))
    assert [p.kind for p in read_stream(_sse(_delta(b"ab")), required).problems] == [Problem.NO_END]
