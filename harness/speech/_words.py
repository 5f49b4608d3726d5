"""Where each word of a rendered text is spoken, from the voice's own phoneme durations.

A neural voice decides how long each phoneme lasts before it makes a sample (Piper's `w_ceil`, Kokoro's predicted
durations): those durations are where the voice really says each phoneme, exact to the model's frame (Piper: 256
samples, 11.6 ms at 22.05 kHz). Its phonemiser (espeak-ng) separates words with a space phoneme and keeps
punctuation as phonemes of their own (a pause). A text's written words do not map one to one on the phonemiser's
words — "$42.50" is said as six, "3/4/2024," as eight, "for an" as one ("fɚɹən"), and a number one way alone and
another in its sentence — so each written word is phonemised alone, and those phonemes, in order, are matched on the
phonemes the voice said (`difflib`'s matching blocks; a run that differs is shared in order, a sound of the sentence
that no word alone has goes to the word before it): a word starts where its first phoneme is said and ends where its
last one ends, inside a spoken word where two are said as one. Counting each word's spoken words alone instead, and
giving them out in proportion where the counts did not add up, put 11 of the 32 sentences the aligner is measured on
(`benchmarks/perf/aligner_error.py`, Piper; 13 with Kokoro) a word or more off after their first merge, up to 0.7 s.
A written word none of whose phonemes is said (a dash, a symbol the phonemiser drops) is a mark of no length where the
speech before it ended; where under nine in ten of the said phonemes match, the result says it is approximate.

Punctuation's pause is no word's: a word ends where its last sounding phoneme ends, the pause after it stays
between words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

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


#: The share of the said phonemes that must match the words' own for the placing to count as exact.
_MATCHED = 0.9


def word_times(
    text: str, phonemes: Sequence[tuple[str, float, float]], phonemize: Callable[[str], str]
) -> tuple[tuple[WordTime, ...], bool]:
    """Each written word of `text` with the span it is said in (`phonemes`: each phoneme the voice said, with its
    start and end; `phonemize`: the voice's phonemiser, asked of each written word alone), and whether it is exact
    (False: under `_MATCHED` of the said phonemes matched the words' own)."""
    written = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    said = [(start, end, symbol) for symbol, start, end in phonemes if _sounding(symbol)]
    if not written or not said:
        return (), False
    owner = [index for index, (word, _, _) in enumerate(written) for symbol in phonemize(word) if _sounding(symbol)]
    own = "".join(symbol for word, _, _ in written for symbol in phonemize(word) if _sounding(symbol))
    whose, matched = _owners(own, owner, "".join(symbol for _, _, symbol in said))
    times, previous_end = [], said[0][0]
    for index, (word, first, last) in enumerate(written):
        mine = [said[at] for at, one in enumerate(whose) if one == index]
        if mine:
            previous_end = mine[-1][1]
            times.append(WordTime(word, first, last, mine[0][0], previous_end))
        else:  # said as nothing (a dash, a symbol the phonemiser drops): a mark of no length where speech is
            times.append(WordTime(word, first, last, previous_end, previous_end))
    return tuple(times), matched >= _MATCHED * len(said)


def _sounding(symbol: str) -> bool:
    return bool(symbol) and symbol not in _BREAKS and symbol not in PAUSES and not symbol.isspace()


def _owners(own: str, owner: Sequence[int], said: str) -> tuple[list[int], int]:
    """Which written word each said phoneme belongs to, by matching the words' own phonemes (`own`, each symbol's word
    in `owner`) on the said ones: a matched symbol is its word's; in a run that differs, the said symbols are shared
    over the run's own symbols in order; a said symbol with no own counterpart is the word's before it (or after it,
    at the start). Also: how many said symbols matched."""
    whose = [-1] * len(said)
    matched = 0
    for tag, own_from, own_to, said_from, said_to in SequenceMatcher(None, own, said, autojunk=False).get_opcodes():
        if tag == "equal":
            whose[said_from:said_to] = owner[own_from:own_to]
            matched += said_to - said_from
        elif tag == "replace":
            span = own_to - own_from
            for k in range(said_to - said_from):
                whose[said_from + k] = owner[own_from + k * span // (said_to - said_from)]
    for at in range(len(whose)):  # said, no word's own: the word before it
        if whose[at] < 0 and at:
            whose[at] = whose[at - 1]
    first = next((one for one in whose if one >= 0), 0)
    return [first if one < 0 else one for one in whose], matched


def scaled(words: Sequence[WordTime], factor: float, limit_s: float) -> tuple[WordTime, ...]:
    """The same words with their times multiplied by `factor` (audio played faster or slower), within the audio."""
    return tuple(
        WordTime(w.text, w.first, w.last, min(limit_s, w.start_s * factor), min(limit_s, w.end_s * factor))
        for w in words
    )
