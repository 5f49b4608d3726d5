"""An HTTP answer's marks as the runner keeps them (`marks_evidence.answer_marks` over the messages
`marks.answer_messages` finds): Server-Sent Events whose marks have an event of their own (other events and a
`[DONE]` passed over), NDJSON lines whose marks ride on the audio's, one JSON answer, and the lines a request of their
own answers (Polly's, other kinds of mark set aside). Times a declaration states in milliseconds come out in
seconds, each message a part of its own; an answer that carries none of the asked marks says so (`missing`)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from harness.core.json_pointer import put
from harness.core.protocols.marks import EVENTS, JSON, NDJSON, Answer, Marks, Match, answer_messages, snapshot_values
from harness.core.protocols.realtime_grammar import Kind, SpokenSpan
from harness.providers.polly.declaration import SPEECH_MARKS
from harness.runner.record.marks_evidence import answer_marks

WORDS = Marks(
    text_at="/words",
    start_at="/start",
    end_at="/end",
    answer=Answer(name="marks", kind=Kind.MARKS, match=Match("/type", "marks"), model=BaseModel, template={}),
)
ALIGNED = Marks(text_at="/alignment/words", start_at="/alignment/start_ms", end_at="/alignment/end_ms", unit_s=0.001)


def _kept(declared: Marks, body: bytes, form: str) -> dict[str, object]:
    found = answer_marks(declared, answer_messages(body, declared, form), 2.0, asked=True)
    assert found is not None
    return dict(json.loads(found))


def test_the_marks_event_of_a_stream_is_read_and_the_others_passed_over() -> None:
    body = (
        b'data: {"type": "chunk", "data": "AAAA"}\n\n'
        b'data: {"type": "marks", "words": ["the", "fox"], "start": [0.1, 0.5], "end": [0.4, 0.9]}\n\n'
        b"data: not json\n\ndata: [DONE]\n\n"
    )
    kept = _kept(WORDS, body, EVENTS)
    assert kept["marks"] == [["the", 0.1, 0.4, 0], ["fox", 0.5, 0.9, 0]] and kept["problems"] == []


def test_marks_riding_on_the_audio_lines_are_read_each_line_a_part() -> None:
    body = b"".join(
        json.dumps({"audio": "AAAA", "alignment": {"words": [w], "start_ms": [s], "end_ms": [e]}}).encode() + b"\n"
        for w, s, e in (("the", 100, 400), ("fox", 500, 900))
    )
    kept = _kept(ALIGNED, body, NDJSON)
    assert kept["marks"] == [["the", 0.1, 0.4, 0], ["fox", 0.5, 0.9, 1]]


def test_a_json_answer_and_one_without_its_marks() -> None:
    body = json.dumps({"audio": "AAAA", "alignment": {"words": ["fox"], "start_ms": [500], "end_ms": [900]}})
    assert _kept(ALIGNED, body.encode(), JSON)["marks"] == [["fox", 0.5, 0.9, 0]]
    none = _kept(ALIGNED, b'{"audio": "AAAA"}', JSON)
    assert none["marks"] == [] and none["advertised"] is True  # judged `missing` (harness.measurement.marks)


def test_the_lines_a_request_of_their_own_answers_keep_only_the_word_marks() -> None:
    lines = [
        {"time": 0, "type": "sentence", "start": 0, "end": 7, "value": "The fox"},
        {"time": 6, "type": "word", "start": 0, "end": 3, "value": "The"},
        {"time": 373, "type": "viseme", "value": "f"},
        {"time": 373, "type": "word", "start": 4, "end": 7, "value": "fox"},
    ]
    kept = _kept(SPEECH_MARKS, "".join(json.dumps(line) + "\n" for line in lines).encode(), NDJSON)
    assert kept["marks"] == [["The", 0.006, 0.373, 0], ["fox", 0.373, 0.373, 0]]


SNAPSHOTS = Marks(
    text_at="/text",
    start_at="/start",
    end_at="/end",
    items_at="/alignment/segments",
    snapshot_at="/chunk_seq",
    offset_at="/chunk_audio_offset_sec",
    snapshot_length_at="/alignment/audio_duration",
)


def _snapshot_event(chunk: int, offset: float, segments: list[tuple[str, float, float]] | None) -> bytes:
    alignment = None if segments is None else {"segments": [{"text": t, "start": s, "end": e} for t, s, e in segments]}
    return (
        "data: "
        + json.dumps(
            {"audio_base64": "AAAA", "chunk_seq": chunk, "chunk_audio_offset_sec": offset, "alignment": alignment}
        )
        + "\n\n"
    ).encode()


def test_snapshots_replace_their_chunks_earlier_ones_and_count_from_its_offset() -> None:
    body = b"".join(
        (
            _snapshot_event(0, 0.0, None),
            _snapshot_event(0, 0.0, [("the", 0.1, 0.4)]),
            _snapshot_event(0, 0.0, [("the", 0.1, 0.4), ("old", 0.5, 0.8)]),
            _snapshot_event(1, 1.0, [("man", 0.05, 0.3)]),
            _snapshot_event(0, 0.0, None),  # a null alignment erases no snapshot
            _snapshot_event(1, 1.0, [("man", 0.05, 0.3), ("sat", 0.4, 0.7)]),
        )
    )
    kept = _kept(SNAPSHOTS, body, EVENTS)
    # each word once (the earlier snapshots replaced), chunk 1's times moved by its offset
    assert kept["marks"] == [["the", 0.1, 0.4, 0], ["old", 0.5, 0.8, 0], ["man", 1.05, 1.3, 1], ["sat", 1.4, 1.7, 1]]
    assert kept["problems"] == []


def test_snapshot_values_are_read_back_as_the_utterances_times() -> None:
    message: dict[str, object] = {}
    for where, value in snapshot_values(SNAPSHOTS, 2, 1.5, (SpokenSpan("sat", 1.6, 1.9),), 0.5).items():
        put(message, where, value)
    assert message["chunk_seq"] == 2 and message["chunk_audio_offset_sec"] == 1.5
    assert message["alignment"] == {"segments": [{"start": 0.1, "end": 0.4, "text": "sat"}], "audio_duration": 0.5}
    kept = answer_marks(SNAPSHOTS, [message], 2.0, asked=True)
    assert kept is not None and json.loads(kept)["marks"] == [["sat", 1.6, 1.9, 0]]


def test_paired_marks_of_a_json_answer_are_read_as_start_end_pairs() -> None:
    """[start, end] pairs beside the characters (Resemble's `audio_timestamps`): read, not called times that are no
    times."""
    paired = Marks(
        text_at="/audio_timestamps/graph_chars", start_at="/audio_timestamps/graph_times", paired=True, chars=True
    )
    body = json.dumps({"audio_timestamps": {"graph_chars": ["a", "b"], "graph_times": [[0.1, 0.2], [0.2, 0.35]]}})
    kept = _kept(paired, body.encode(), JSON)
    assert kept["marks"] == [["a", 0.1, 0.2, 0], ["b", 0.2, 0.35, 0]] and kept["problems"] == []
