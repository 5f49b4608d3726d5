"""The invariants of a clip's timing marks (`harness.core.timing_marks`, issue 65): each break found and named in one
line, a wrong sample rate named as such rather than as bad marks, bad input a finding and never a traceback; duplicate
timestamps a kind of their own, one reading of words, and the one verdict's cap on a list longer than the text
(issue 79)."""

from __future__ import annotations

import math

import pytest

from harness.core.timing_marks import (
    MAX_MARKS,
    MarksAnswer,
    MarksKind,
    TimingMark,
    as_words,
    check_marks,
    coverage,
    judge_marks,
    marks_cap,
    paired_onsets,
    read_marks,
    spoken_words,
)

TEXT = "The quick brown fox jumps"
WORDS = TEXT.split()


def _words(starts: list[float], length: float = 0.3, parts: list[int] | None = None) -> list[TimingMark]:
    parts = parts or [0] * len(starts)
    return [
        TimingMark(text=w, start_s=s, end_s=s + length, part=p) for w, s, p in zip(WORDS, starts, parts, strict=True)
    ]


def _kinds(marks: list[TimingMark], duration: float | None = 2.0, sent: tuple[str, ...] = (TEXT,)) -> list[MarksKind]:
    return [f.kind for f in check_marks(marks, duration, sent)]


def test_true_marks_break_nothing_and_cover_every_word() -> None:
    marks = _words([0.1, 0.45, 0.8, 1.15, 1.5])
    assert _kinds(marks) == [] and coverage(marks, TEXT) == 1.0


def test_times_going_back_and_ends_before_starts_are_non_monotonic() -> None:
    [finding] = check_marks(_words([0.1, 0.8, 0.45, 1.15, 1.5]), 2.0, (TEXT,))
    assert finding.kind is MarksKind.NON_MONOTONIC and finding.index == 2 and "\n" not in finding.line()
    inverted = [*_words([0.1, 0.45, 0.8, 1.15, 1.5])[:4], TimingMark(text="jumps", start_s=1.5, end_s=1.2)]
    assert _kinds(inverted) == [MarksKind.NON_MONOTONIC]


def test_an_end_beyond_the_audio_is_found_and_a_rate_ratio_is_named_a_sample_rate_mismatch() -> None:
    assert _kinds(_words([0.1, 0.45, 0.8, 1.15, 1.9])) == [MarksKind.BEYOND_AUDIO]
    true = _words([0.1, 0.45, 0.8, 1.15, 1.5])
    for factor in (1.5, 2.0):
        scaled = [TimingMark(text=m.text, start_s=m.start_s * factor, end_s=m.end_s * factor) for m in true]
        [finding] = check_marks(scaled, 1.8, (TEXT,))
        assert finding.kind is MarksKind.SAMPLE_RATE and f"{factor:.2f} times" in finding.message
        shrunk = [TimingMark(text=m.text, start_s=m.start_s / factor, end_s=m.end_s / factor) for m in true]
        assert _kinds(shrunk, 1.8) == [MarksKind.SAMPLE_RATE]
    # A short text early in a long clip spans a fraction of it too: no rate is named without marks that fill it.
    assert (
        _kinds(
            [TimingMark(text="The", start_s=0.5, end_s=0.7), TimingMark(text="fox", start_s=0.7, end_s=0.9)],
            1.8,
            ("The fox",),
        )
        == []
    )


def test_marks_must_spell_the_sent_or_the_declared_normalised_text() -> None:
    merged = [TimingMark(text="Thequick", start_s=0.1, end_s=0.7), *_words([0.1, 0.45, 0.8, 1.15, 1.5])[2:]]
    [finding] = check_marks(merged, 2.0, (TEXT,))
    assert finding.kind is MarksKind.SPELLING and "'thequick" in finding.message
    chars = [TimingMark(text=c, start_s=i * 0.05, end_s=i * 0.05 + 0.05) for i, c in enumerate("I paid forty two")]
    assert [f.kind for f in check_marks(chars, 2.0, ("I paid 42",), chars=True)] == [MarksKind.SPELLING]
    assert check_marks(chars, 2.0, ("I paid 42", "I paid forty two"), chars=True) == ()  # its normalised text


def test_parts_must_not_overlap_and_times_that_continue_must_not_restart() -> None:
    overlapping = _words([0.1, 0.45, 0.8, 0.9, 1.5], parts=[0, 0, 0, 1, 1])
    assert _kinds(overlapping) == [MarksKind.OVERLAP]
    restarted = _words([0.1, 0.45, 0.8, 0.0, 0.35], parts=[0, 0, 0, 1, 1])
    assert MarksKind.RESTART in _kinds(restarted)


@pytest.mark.parametrize(
    ("starts", "ends", "said"),
    [
        (["0.1", 0.2], [0.2, 0.3], "not a number"),
        ([math.nan, 0.2], [0.2, 0.3], "not finite"),
        ([-1, 0.2], [0.2, 0.3], "below zero"),
        ([0.1], [0.2, 0.3], "different lengths"),
        ({"a": 1}, [0.2, 0.3], "not a list"),
    ],
)
def test_bad_input_is_one_line_and_no_absurd_mark_is_kept(starts: object, ends: object, said: str) -> None:
    marks, findings = read_marks(["a", "b"], starts, ends)
    assert findings and all(f.kind is MarksKind.BAD_INPUT and "\n" not in f.line() for f in findings)
    assert said in findings[0].line()
    assert all(math.isfinite(m.start_s) and m.start_s >= 0 and math.isfinite(m.end_s) for m in marks)


def test_millions_of_marks_are_refused_in_one_line_without_reading_them() -> None:
    many = [0.0] * (MAX_MARKS + 1)
    marks, [finding] = read_marks(["a"] * len(many), many, many)
    assert marks == () and "more than any clip has" in finding.line()


def test_read_marks_takes_milliseconds_durations_and_chunk_offsets() -> None:
    marks, findings = read_marks(["H", "i"], [0, 250], [250, 500], unit_s=0.001, durations=True, offset_s=1.0, part=3)
    assert findings == () and marks == (
        TimingMark(text="H", start_s=1.0, end_s=1.25, part=3),
        TimingMark(text="i", start_s=1.25, end_s=1.75, part=3),
    )


def test_characters_join_into_words_and_words_pair_with_where_they_are_heard() -> None:
    chars = [TimingMark(text=c, start_s=i * 0.1, end_s=i * 0.1 + 0.1, part=i // 4) for i, c in enumerate("ab cd ef")]
    words = as_words(chars)
    assert [(w.text, w.start_s, w.end_s, w.part) for w in words] == [
        ("ab", 0.0, pytest.approx(0.2), 0),
        ("cd", pytest.approx(0.3), pytest.approx(0.5), 0),
        ("ef", pytest.approx(0.6), pytest.approx(0.8), 1),
    ]
    heard = [("ab", 0.05), ("cd", None), ("ef", 0.62)]  # "cd" not placed: no pair, never a guess
    assert paired_onsets(words, heard) == [(0.0, 0.05), (pytest.approx(0.6), 0.62)]
    # a stray mark pairs with nothing:
    assert paired_onsets([TimingMark(text="xy", start_s=0.0, end_s=0.1), *words], heard)[0] == (0.0, 0.05)


def test_one_reading_of_words_keeps_a_providers_documented_word_form() -> None:
    assert spoken_words("Hello, world! Don\u2019t stop-and go.") == ["hello", "world", "don't", "stop", "and", "go"]
    # Cartesia's documented form: words without their punctuation ("Hello", "world"), true times
    sent = "Hello, world. The dog, and then the cat!"
    stripped = [
        TimingMark(text=w, start_s=0.1 + 0.3 * i, end_s=0.35 + 0.3 * i)
        for i, w in enumerate(["Hello", "world", "The", "dog", "and", "then", "the", "cat"])
    ]
    assert check_marks(stripped, 3.0, (sent,)) == () and coverage(stripped, sent) == 1.0
    heard = [(w, 0.1 + 0.3 * i) for i, w in enumerate(sent.split())]
    assert len(paired_onsets(stripped, heard)) == len(stripped)  # each word paired with where it is heard


def test_duplicate_timestamps_are_their_own_kind_and_no_sample_rate_mismatch() -> None:
    text = "one two three four five six seven eight"
    said = text.split()
    # elevenlabs-python #707: after some seconds every word gets the same start and end; the span then sits at half
    # the audio, which named it a sample-rate mismatch before
    stuck = [
        TimingMark(text=w, start_s=0.1 + 0.3 * i if i < 3 else 1.0, end_s=0.35 + 0.3 * i if i < 3 else 1.0)
        for i, w in enumerate(said)
    ]
    [finding] = check_marks(stuck, 2.0, (text,))
    assert finding.kind is MarksKind.DUPLICATE and finding.index == 3 and "5 words in a row" in finding.message
    # two words sharing a time is rounding, not duplicates
    two = [
        TimingMark(text=w, start_s=0.1 + 0.3 * i if i != 4 else 1.0, end_s=0.35 + 0.3 * i if i != 4 else 1.25)
        for i, w in enumerate(said)
    ]
    assert MarksKind.DUPLICATE not in [f.kind for f in check_marks(two, 3.0, (text,))]
    chars = [
        TimingMark(text=c, start_s=0.1 * i if i < 3 else 1.0, end_s=0.1 * i + 0.1 if i < 3 else 1.0)
        for i, c in enumerate("ab cd ef gh")
    ]  # characters: judged as the words they join into
    [stuck] = check_marks(chars, 2.0, ("ab cd ef gh",), chars=True)
    assert stuck.kind is MarksKind.DUPLICATE and stuck.index == 3 and "3 words in a row" in stuck.message


def test_the_one_verdict_refuses_a_list_longer_than_the_text_could_have_in_one_line() -> None:
    sent = "The quick brown fox jumps"
    many = tuple(TimingMark(text="x", start_s=0.0, end_s=0.0) for _ in range(marks_cap(sent) + 1))
    [finding] = judge_marks(MarksAnswer(marks=many, duration_s=2.0, sent=sent))
    assert finding.kind is MarksKind.BAD_INPUT and "\n" not in finding.line() and "characters" in finding.message
    assert [f.kind for f in judge_marks(MarksAnswer(marks=(), sent=sent, advertised=True))] == [MarksKind.MISSING]
    assert judge_marks(MarksAnswer(marks=tuple(_words([0.1, 0.45, 0.8, 1.15, 1.5])), duration_s=2.0, sent=sent)) == ()
