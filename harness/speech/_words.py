"""Where each word of a rendered text is spoken, from the voice's own phoneme durations.

A neural voice decides how long each phoneme lasts before it makes a sample (Piper's `w_ceil`, Kokoro's predicted
durations): those durations are where the voice really says each phoneme, exact to the model's frame (Piper: 256
samples, 11.6 ms at 22.05 kHz). Its phonemiser (espeak-ng) separates words with a space phoneme and keeps
punctuation as phonemes of their own (a pause). A text's written words do not map one to one on the phonemiser's
words — "$42.50" is said as six, "3/4/2024," as eight — so each written word is phonemised alone and counted, and
the spoken words are given out in those counts. Where the counts do not add up (a word said differently in its
sentence than alone), they are given out in proportion to the counts and the result says it is approximate.

Punctuation's pause is no word's: a word ends where its last sounding phoneme ends, the pause after it stays
between words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

#: Phonemes that are punctuation (a pause), never part of a word's sound.
PAUSES = frozenset('.,;:!?¡¿—–…"«»“”()[]')
#: What espeak-ng's phonemisers put between words, and the sentence bounds Piper adds.
_BREAKS = frozenset(" ^$_")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class WordTime:
    """A written word of the rendered text and where the voice says it: `first`/`last` are character offsets
    into the text (`text[first:last]` is the word as written), the times seconds from the audio's start."""

    text: str
    first: int
    last: int
    start_s: float
    end_s: float


def spoken_words(phonemes: Iterable[tuple[str, float, float]]) -> list[tuple[float, float]]:
    """The spans of the phonemiser's words, from each phoneme's (symbol, start, end): a word is a run of sounding
    phonemes between breaks (a space, a sentence bound) or pauses (punctuation)."""
    words: list[tuple[float, float]] = []
    start: float | None = None
    end = 0.0
    for symbol, begins, ends in phonemes:
        if symbol in _BREAKS or symbol in PAUSES:
            if start is not None:
                words.append((start, end))
                start = None
            continue
        if start is None:
            start = begins
        end = ends
    if start is not None:
        words.append((start, end))
    return words


def count_words(phonemes: str) -> int:
    """How many words a phonemised text holds, by `spoken_words`'s rule."""
    return len(spoken_words((symbol, 0.0, 0.0) for symbol in phonemes))


def word_times(
    text: str, spoken: Sequence[tuple[float, float]], count: Callable[[str], int]
) -> tuple[tuple[WordTime, ...], bool]:
    """Each written word of `text` with the span of the spoken words it is said as (`count`: how many spoken words
    a written word is, phonemised alone), and whether the counts added up (False: given out in proportion)."""
    written = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    if not written or not spoken:
        return (), False
    counts = [count(word) for word, _, _ in written]
    total = sum(counts)
    exact = total == len(spoken)
    if not exact and total:  # in proportion: each written word's share of the spoken words, in order
        bounds = [round(sum(counts[:i]) * len(spoken) / total) for i in range(len(written) + 1)]
        counts = [bounds[i + 1] - bounds[i] for i in range(len(written))]
    elif not total:
        counts = [0] * len(written)
    times, at, previous_end = [], 0, spoken[0][0]
    for (word, first, last), many in zip(written, counts, strict=True):
        if many:
            start, end = spoken[at][0], spoken[at + many - 1][1]
            at += many
            previous_end = end
        else:  # said as nothing (a dash, a symbol the phonemiser drops): a mark of no length where speech is
            start = end = previous_end
        times.append(WordTime(word, first, last, start, end))
    return tuple(times), exact and total > 0


def scaled(words: Sequence[WordTime], factor: float, limit_s: float) -> tuple[WordTime, ...]:
    """The same words with their times multiplied by `factor` (audio played faster or slower), within the audio."""
    return tuple(
        WordTime(w.text, w.first, w.last, min(limit_s, w.start_s * factor), min(limit_s, w.end_s * factor))
        for w in words
    )
