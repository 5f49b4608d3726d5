"""Normalization, reference alternatives and WER/CER counting, without any ASR."""

from __future__ import annotations

import pytest
import whisper_normalizer

from harness.results.row_errors import MixedUnitsError
from harness.scoring import (
    NORMALIZER_VERSION,
    ErrorUnit,
    Flag,
    ScoringInputError,
    candidate_references,
    normalizer_for,
    pooled_wer,
    score_transcript,
)
from harness.scoring.normalize import language_code
from harness.scoring.references import alternatives_to_json, parse_alternatives_json


def _score(transcript: str, reference: str, language: str = "en", alternatives: object = None):  # type: ignore[no-untyped-def]
    return score_transcript(transcript, candidate_references(reference, alternatives), normalizer_for(language))  # type: ignore[arg-type]


def test_normalizer_version_names_the_library_and_the_harness_rules() -> None:
    assert NORMALIZER_VERSION.startswith(whisper_normalizer.__version__ + "+harness.")
    assert normalizer_for("en").name.endswith("EnglishTextNormalizer")
    assert normalizer_for("de-DE").name.endswith("BasicTextNormalizer")


def test_english_normalization_forgives_case_punctuation_numbers_and_titles() -> None:
    score = _score("mister smith paid twenty dollars, didn't he", "Mr. Smith paid $20. Did not he?")
    assert score.wer == 0.0
    assert score.reference == score.hypothesis == "mister smith paid $20 did not he"


def test_language_tags_reduce_to_their_primary_subtag() -> None:
    assert language_code("EN-us") == "en"
    assert language_code(None, default="fr") == "fr"
    with pytest.raises(ScoringInputError, match="language tag"):
        language_code("english please")


def test_chinese_and_japanese_count_characters_and_ignore_spaces() -> None:
    score = _score("今天 天气很好", "今天天气很好。", language="zh")
    assert (score.unit, score.error_rate, score.wer) == (ErrorUnit.CHAR, 0.0, None)
    wrong = _score("今天天气不好", "今天天气很好", language="ja")
    assert (wrong.substitutions, wrong.ref_length, wrong.error_rate) == (1, 6, pytest.approx(1 / 6))


def test_counts_substitutions_deletions_insertions() -> None:
    score = _score("the cat sat on a mat today", "The cat sat on the mat.")
    assert (score.hits, score.substitutions, score.deletions, score.insertions) == (5, 1, 0, 1)
    assert score.wer == pytest.approx(2 / 6)
    assert score.ref_words == 6
    assert score.cer == pytest.approx(9 / 22)  # 'the'->'a' (3), ' today' (6) over 22 characters


def test_alternatives_pick_the_best_matching_reading() -> None:
    spans = {"colour": ["hue", "tint"]}
    score = _score("the tint of the sky", "The colour of the sky", alternatives=spans)
    assert (score.wer, score.candidate_index) == (0.0, 2)
    whole = _score("it is a sunny morning", "It is a bright day.", alternatives=["It is a sunny morning."])
    assert (whole.wer, whole.candidate_index) == (0.0, 1)
    plain = _score("the colour of the sea", "The colour of the sky", alternatives=spans)
    assert plain.candidate_index == 0  # ties and better matches keep the reference as written


def test_alternatives_json_round_trips_and_rejects_bad_shapes() -> None:
    spans = {"$20": ["twenty dollars"]}
    assert parse_alternatives_json(alternatives_to_json(spans)) == spans
    assert parse_alternatives_json('["a b"]') == ["a b"]
    assert parse_alternatives_json(None) is None
    for bad in ('{"a": 3}', "[1, 2]", "{nope"):
        with pytest.raises(ScoringInputError):
            parse_alternatives_json(bad)
    with pytest.raises(ScoringInputError, match="does not occur"):
        candidate_references("hello world", {"planet": ["globe"]})
    with pytest.raises(ScoringInputError, match="at most"):
        candidate_references("a b c d", {w: ["x", "y", "z", "q"] for w in "abcd"})


def test_empty_reference_is_rejected() -> None:
    with pytest.raises(ScoringInputError):
        _score("something", "   ")
    with pytest.raises(ScoringInputError, match="after normalization"):
        _score("something", "(laughs)")


def test_hallucination_flags_long_and_looping_transcripts() -> None:
    looping = _score("the end of the day the end of the day the end of the day", "The end of the day.")
    assert Flag.HALLUCINATION_REPEAT in {f.flag for f in looping.findings}
    long = _score("it was a good day and then we went home and had a long talk about it", "It was a good day.")
    assert Flag.HALLUCINATION_LONG in {f.flag for f in long.findings}
    fine = _score("very very very good", "Very very very good.")  # the reference repeats itself
    assert fine.findings == ()


def test_truncation_flags_missing_ends() -> None:
    end = _score("the old man walked slowly", "The old man walked slowly along the quiet road toward the village.")
    assert [f.flag for f in end.findings] == [Flag.MISSING_END]
    start = _score("toward the village", "The old man walked slowly toward the village.")
    assert [f.flag for f in start.findings] == [Flag.MISSING_START]
    one_word = _score(
        "the old man walked slowly along the quiet road toward the",
        "The old man walked slowly along the quiet road toward the village.",
    )
    assert one_word.findings == ()  # one lost word is an error, not truncation
    empty = _score("", "Hello there.")
    assert [f.flag for f in empty.findings] == [Flag.EMPTY_TRANSCRIPT]
    assert empty.wer == 1.0


def test_pooled_and_per_utterance_mean_differ_as_expected() -> None:
    short_bad = _score("hello", "Hello there.")  # 1 error / 2 words = 50 %
    long_good = _score("red green blue black white pink gray brown", "Red green blue black white pink gray brown.")
    pooled = pooled_wer([short_bad, long_good, None])
    assert pooled is not None
    assert pooled.clips == 2
    assert pooled.pooled == pytest.approx(1 / 10)
    assert pooled.per_utterance_mean == pytest.approx(0.25)
    assert pooled_wer([]) is None
    with pytest.raises(MixedUnitsError, match="one unit"):  # a WER and a CER are never pooled together
        pooled_wer([short_bad, _score("你好", "你好", language="zh")])


@pytest.mark.parametrize(
    ("language", "written", "heard"),
    [
        ("de", "Die Straße ist groß.", "die strasse ist gross"),
        ("ru", "Ёлка зелёная.", "елка зеленая"),
        ("tr", "İstanbul'da IRMAK rüzgâr", "istanbul da ırmak rüzgar"),
        ("ar", "ذَهَبْتُ إلى السوق", "ذهبت الى السوق"),
        ("hi", "ज़रूर आँगन", "जरूर आंगन"),
        ("zh", "今天天氣很好，我們去公園。", "今天天气很好我们去公园"),
        ("ja", "ｶﾀｶﾅと全角ＡＢＣ。", "カタカナと全角abc"),
        ("ko", "오늘은 날씨가 좋네요.", "오늘은날씨가좋네요"),
    ],
)
def test_each_language_folds_what_it_writes_two_ways(language: str, written: str, heard: str) -> None:
    assert normalizer_for(language)(written) == heard
    assert normalizer_for(language).rules  # stated in words (docs/languages.md lists them)


def test_marks_stay_part_of_their_word_outside_english() -> None:
    # Whisper's basic rules would turn a Devanagari vowel sign or a Thai tone mark into a space, splitting the word.
    hindi = _score("मौसम बहुत अच्छा है", "मौसम बहुत अच्छा है।", language="hi")
    assert (hindi.ref_length, hindi.wer) == (4, 0.0)
    thai = _score("วันนี้อากาศดีมาก", "วันนี้อากาศดี มาก", language="th")
    assert (thai.unit, thai.error_rate, thai.ref_length) == (ErrorUnit.CHAR, 0.0, 16)
    korean = _score("오늘은 날씨가좋네요", "오늘은 날씨가 좋네요.", language="ko")
    assert (korean.unit, korean.error_rate) == (ErrorUnit.CHAR, 0.0)
