"""The marks vocabulary's forms, written and read by the one writer and reader (`marks_values`, `read_marks`): lists
of objects with kinds set aside, offsets in UTF-8 bytes, marks with no end, 100-ns ticks, one mark a message, SSML
`<mark>` timepoints, and the asking flag written and read as the documents say."""

from __future__ import annotations

import json

import pytest

from harness.core.json_pointer import put
from harness.core.protocols.marks import (
    BYTES,
    Marks,
    groups,
    marks_values,
    read_lines,
    read_marks,
    ssml_mark_spans,
)
from harness.core.protocols.realtime_grammar import SpokenSpan

WORDS = (SpokenSpan("Café", 0.1, 0.4), SpokenSpan("owners", 0.45, 0.9), SpokenSpan("paid", 1.0, 1.3))
TEXT = "Café owners paid"


def test_speech_mark_lines_keep_words_and_set_other_kinds_aside() -> None:
    marks = Marks(
        text_at="/value",
        start_at="/time",
        items_at="",
        kind_at="/type",
        unit_s=0.001,
        offsets_at=("/start", "/end"),
        offsets_in=BYTES,
        lines="application/x-json-stream",
    )
    items = marks_values(marks, WORDS, TEXT)[""]
    assert [(i["time"], i["start"], i["end"]) for i in items] == [(100, 0, 5), (450, 6, 12), (1000, 13, 17)]
    body = "\n".join(
        [
            *(json.dumps(i) for i in items),
            '{"time":120,"type":"viseme","value":"p"}',
            '{"time":0,"type":"sentence","start":0,"end":17,"value":"Café owners paid"}',
            "not json",
        ]
    )
    spans = read_marks(read_lines(body.encode()), marks)
    assert spans is not None and [s.text for s in spans] == ["Café", "owners", "paid"]
    # no end given: a word lasts until the next starts, the last no time at all
    assert [(s.start_s, s.end_s) for s in spans] == [(0.1, 0.45), (0.45, 1.0), (1.0, 1.0)]


def test_ticks_of_100_ns_are_whole_numbers_read_back_in_seconds() -> None:
    marks = Marks(text_at="/w", start_at="/s", end_at="/d", unit_s=1e-7, durations=True)
    written = marks_values(marks, WORDS)
    assert written["/s"][1] == 4_500_000 and written["/d"][1] == 4_500_000
    message = {"w": written["/w"], "s": written["/s"], "d": written["/d"]}
    spans = read_marks(message, marks)
    assert spans is not None and abs(spans[1].end_s - 0.9) < 1e-9


def test_one_mark_a_message_is_an_object_at_its_pointer() -> None:
    marks = Marks(text_at="/word", start_at="/start", end_at="/end", items_at="/data", each=True)
    messages = [
        {"status": "word_timestamp", "data": marks_values(marks, group)["/data"]} for group in groups(marks, WORDS)
    ]
    assert len(messages) == 3 and messages[1]["data"] == {"start": 0.45, "end": 0.9, "word": "owners"}
    assert [s.text for m in messages for s in read_marks(m, marks) or ()] == ["Café", "owners", "paid"]


def test_ssml_marks_are_timed_at_the_word_the_voice_reaches_next() -> None:
    document = '<speak><mark name="first"/>Café owners <mark name="verb"/>paid<mark name="end"/></speak>'
    spans = ssml_mark_spans(document, WORDS)
    assert [(s.text, s.start_s) for s in spans] == [("first", 0.1), ("verb", 1.0), ("end", 1.3)]
    timepoints = Marks(
        text_at="/markName",
        start_at="/timeSeconds",
        items_at="/timepoints",
        ssml_marks=True,
        asked_by="/enableTimePointing",
        asked_value=["SSML_MARK"],
    )
    answer: dict[str, object] = {"audioContent": ""}
    for where, value in marks_values(timepoints, spans).items():
        put(answer, where, value)
    assert answer["timepoints"] == [
        {"timeSeconds": 0.1, "markName": "first"},
        {"timeSeconds": 1.0, "markName": "verb"},
        {"timeSeconds": 1.3, "markName": "end"},
    ]
    assert [s.text for s in read_marks(answer, timepoints) or ()] == ["first", "verb", "end"]
    assert ssml_mark_spans("plain text, no SSML", WORDS) == ()


def test_asking_writes_the_flag_and_what_else_the_documents_set() -> None:
    marks = Marks(
        text_at="/value",
        start_at="/time",
        items_at="",
        lines="application/x-json-stream",
        asked_by="/SpeechMarkTypes",
        asked_value=["word"],
        also_sets=(("/OutputFormat", "json"),),
    )
    request = {"Text": TEXT, "OutputFormat": "mp3"}
    assert not marks.asked(request)
    marks.ask(request)
    assert request == {"Text": TEXT, "OutputFormat": "json", "SpeechMarkTypes": ["word"]} and marks.asked(request)
    assert marks.asked({"SpeechMarkTypes": ["sentence", "word"]}) and not marks.asked({"SpeechMarkTypes": ["viseme"]})
    word = Marks(text_at="/w", start_at="/s", end_at="/e", asked_by="/timestampType", asked_value="WORD")
    assert word.asked({"timestampType": "WORD"}) and not word.asked({"timestampType": "CHARACTER"})


def test_a_message_without_the_lists_has_no_marks() -> None:
    assert read_marks({"audio": "..."}, Marks(text_at="/w", start_at="/s", end_at="/e")) is None
    assert (
        read_marks({"timestamps": "none"}, Marks(text_at="/w", start_at="/s", end_at="/e", items_at="/timestamps"))
        is None
    )


def test_paired_marks_are_start_end_pairs_beside_their_texts() -> None:
    """Resemble's graph_times: a [start, end] pair for each of graph_chars; a pair of another shape is no mark."""
    marks = Marks(text_at="/t/graph_chars", start_at="/t/graph_times", paired=True, chars=True)
    answer: dict[str, object] = {}
    for where, value in marks_values(marks, WORDS).items():
        put(answer, where, value)
    assert answer["t"] == {
        "graph_chars": ["Café", "owners", "paid"],
        "graph_times": [[0.1, 0.4], [0.45, 0.9], [1.0, 1.3]],
    }
    assert read_marks(answer, marks) == WORDS
    broken = {"t": {"graph_chars": ["a", "b"], "graph_times": [[0.1, 0.2], [0.3]]}}
    assert [s.text for s in read_marks(broken, marks) or ()] == ["a"]
    with pytest.raises(ValueError, match="pairs"):
        Marks(text_at="/c", start_at="/t", end_at="/e", paired=True)
