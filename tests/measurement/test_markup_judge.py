"""The markup judge (`harness.measurement.markup`) on audio made here: a pause heard within its tolerance where it
stands is honoured, one too short or missing is a finding naming both lengths, and a tag's word in the transcript
(that the item's own words do not hold) is "tag spoken"."""

from __future__ import annotations

import numpy as np
import pytest

from harness.core.protocols.markup import Pause, Piece
from harness.measurement.markup import judged, tolerance_ms
from tests.helpers.request_rows import clip_row

RATE = 16000


def _speech(seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def _clip(*parts: float) -> np.ndarray:
    """Speech and silence in turn (seconds), with a lead-in and tail of silence."""
    chunks = [np.zeros(RATE // 5, dtype=np.float32)]
    for index, seconds in enumerate(parts):
        chunks.append(_speech(seconds) if index % 2 == 0 else np.zeros(round(seconds * RATE), dtype=np.float32))
    return np.concatenate([*chunks, np.zeros(RATE // 5, dtype=np.float32)])


PIECES: tuple[Piece, ...] = ("Please hold on.", Pause(500), "I will check your order now.")


def test_a_pause_heard_within_tolerance_is_honoured() -> None:
    verdict = judged(
        _clip(1.0, 0.55, 1.8), RATE, PIECES, "Please hold on. I will check your order now.", ("break", "time", "0.5s")
    )
    assert verdict.honoured and verdict.findings() == ()
    assert verdict.pauses[0].heard_ms == pytest.approx(550, abs=10)


@pytest.mark.parametrize("gap", [0.0, 0.2, 0.9])
def test_a_pause_dropped_shortened_or_stretched_is_a_finding_naming_both_lengths(gap: float) -> None:
    parts = (1.0, gap, 1.8) if gap else (2.8,)
    verdict = judged(_clip(*parts), RATE, PIECES, None, ())
    assert not verdict.honoured
    assert verdict.findings()[0].startswith("break ") and "of 500 asked" in verdict.findings()[0]
    assert abs(verdict.pauses[0].heard_ms - 500) > tolerance_ms(500)


def test_the_pause_is_looked_for_where_it_stands_not_anywhere_in_the_clip() -> None:
    # a long silence far from the asked place (after most of the words) does not count for a pause asked early
    pieces: tuple[Piece, ...] = ("Hi.", Pause(500), "I will check your order now and call you back later today.")
    verdict = judged(_clip(0.3, 0.05, 2.0, 0.5, 2.0), RATE, pieces, None, ())
    assert not verdict.honoured


def test_tag_words_in_the_transcript_are_spoken_tags_unless_the_text_says_them() -> None:
    heard = "Please hold on. Break time 0.5 seconds. I will check your order now."
    verdict = judged(_clip(1.0, 0.5, 1.8), RATE, PIECES, heard, ("break", "time", "0.5s"))
    assert set(verdict.tags_spoken) == {"break", "time", "0.5", "seconds"}
    assert "tag spoken: break" in verdict.findings()
    said = ("Take a break.", Pause(500), "Take your time.")
    assert judged(_clip(1.0, 0.5, 1.0), RATE, said, "Take a break. Take your time.", ("break", "time")).honoured


def test_a_less_than_sign_read_aloud_is_caught_only_as_the_pair() -> None:
    verdict = judged(_clip(1.0, 0.5, 1.8), RATE, PIECES, "Please hold on less than slash I will check", ())
    assert set(verdict.tags_spoken) == {"less", "than", "slash"}
    assert judged(_clip(1.0, 0.5, 1.8), RATE, PIECES, "Please hold on. Less I will check", ()).tags_spoken == ()


def test_a_say_as_whose_untagged_reading_won_makes_the_clip_not_honoured_and_is_kept_in_its_markup_json() -> None:
    import json

    from harness.measurement.markup import MarkupVerdict, ReadingHeard

    won = ReadingHeard("say-as digits", "1234", "pass", "one two three four")
    lost = ReadingHeard("sub", "WWW", "fail", "w w w")
    assert MarkupVerdict((), (), (won,)).honoured
    verdict = MarkupVerdict((), (), (won, lost))
    assert not verdict.honoured and verdict.findings() == ("sub 'WWW' not honoured: fail (w w w)",)
    columns = verdict.columns()
    assert columns["markup_honoured"] == 0
    assert json.loads(columns["markup_json"])["readings"] == [
        ["say-as digits", "1234", "pass", "one two three four"],
        ["sub", "WWW", "fail", "w w w"],
    ]


def test_the_run_step_asks_the_forced_choice_of_each_tagged_text_and_puts_its_verdict_on_the_clip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """`harness.benchmark._with_readings` with a judge made up here: the honoured reading against the untagged one
    for each say-as and sub of the clip's item (none for a phoneme), each verdict on the clip it was asked of."""
    from pathlib import Path
    from types import SimpleNamespace

    import harness.scoring
    from harness.benchmark import _with_readings
    from harness.core.protocols.markup import Said, TagKind
    from harness.measurement.markup import ClipMarkup, MarkupVerdict

    pieces = (
        "Visit the",
        Said(TagKind.SUB, "WWW", "World Wide Web", "world wide web", "w w w"),
        "with a",
        Said(TagKind.PHONEME, "tomato", "təˈmɑːtoʊ"),
        "now.",
    )
    asked: list[object] = []

    class Judge:
        def __init__(self, **_: object) -> None:
            pass

        def score_many(self, clips: list[harness.scoring.HardTextClip]) -> list[object]:
            asked.extend(clips)
            return [
                SimpleNamespace(verdict=SimpleNamespace(value="fail"), choice=SimpleNamespace(reading="w w w"))
                for _ in clips
            ]

    monkeypatch.setattr(harness.scoring, "HardTextJudge", Judge)
    rows = [clip_row(corpus="markup", item_id="sub", audio_path="clip.wav", clip_id="job-1")]
    before = [ClipMarkup("polly", "neural", "sub", MarkupVerdict((), ()), "job-1")]
    after = _with_readings(before, rows, {("markup", "sub"): pieces}, Path(str(tmp_path)), "tiny.en", None)
    [hard] = [clip.hard for clip in asked]  # type: ignore[attr-defined]
    assert (hard.text, hard.span, hard.accepted, hard.misreadings[0].say, hard.control) == (
        "Visit the WWW with a tomato now.",
        "WWW",
        ("world wide web",),
        "w w w",
        "Visit the World Wide Web with a tomato now.",
    )
    assert after[0].verdict is not None and not after[0].verdict.honoured
    assert after[0].verdict.findings() == ("sub 'WWW' not honoured: fail (w w w)",)
