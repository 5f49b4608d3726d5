"""The harness's own aligner (`harness.scoring.word_alignment`, issue 65): each word of a known text placed in a clip
near where the voice really says it (the sandbox's Piper voice's own word times, `harness.speech.WordTime`), and
where it cannot place a word, said so, never guessed."""

from __future__ import annotations

import numpy as np

from harness.scoring import WordAligner
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.word_alignment import _on_written
from harness.speech import Rendition, default_engine

TEXT = "The old man walked slowly along the quiet road toward the village."


def test_every_word_is_placed_near_where_the_voice_says_it(tiny_backend: FasterWhisperBackend) -> None:
    clip = default_engine().render(TEXT, Rendition(sample_rate=16000))
    placed = WordAligner(tiny_backend).align(clip.samples, TEXT)
    assert [w.text for w in placed] == TEXT.split() and all(w.placed for w in placed)
    errors = [
        abs(w.start_s - true.start_s) for w, true in zip(placed, clip.words, strict=True) if w.start_s is not None
    ]
    assert float(np.median(errors)) < 0.1 and max(errors) < 0.4  # aligner_error.py measures it: docs/measurements.md
    starts = [w.start_s for w in placed]
    assert starts == sorted(starts)


def test_a_clip_longer_than_the_window_places_nothing_and_says_why(tiny_backend: FasterWhisperBackend) -> None:
    placed = WordAligner(tiny_backend).align(np.zeros(31 * 16000, dtype=np.float32), "far too long")
    assert [w.placed for w in placed] == [False, False, False] and "30 s window" in placed[0].why


def test_whisper_words_lie_on_the_written_words_and_the_unheard_are_not_placed() -> None:
    written = [("I", 0, 1), ("paid", 2, 6), ("$42.50", 7, 13), ("today.", 14, 20)]
    found = [
        (" I", 0.1, 0.2, 0.9),
        (" paid", 0.3, 0.5, 0.8),
        (" $", 0.6, 0.7, 0.5),
        ("42.50", 0.7, 1.6, 0.6),
        (" today.", 1.7, 1.7, 0.9),
    ]
    placed = _on_written(written, found, min_probability=0.01)
    assert [(w.text, w.start_s, w.end_s) for w in placed[:3]] == [
        ("I", 0.1, 0.2),
        ("paid", 0.3, 0.5),
        ("$42.50", 0.6, 1.6),
    ]
    assert not placed[3].placed and "no frame" in placed[3].why  # no frame of its own: not placed
    faint = _on_written(written[:1], [(" I", 0.1, 0.2, 0.001)], min_probability=0.01)
    assert not faint[0].placed and "not heard" in faint[0].why
