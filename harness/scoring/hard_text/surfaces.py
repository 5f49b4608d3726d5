"""How a reading is written for the model: the text whose likelihood stands for the reading's.

A reading is words ("u s", "nasa", "world war two"); the model scores text. How the text is written matters
as much as what it says: Whisper writes letters said one by one in capitals ("U S", "U.S."), a name with its
capital ("Henry"), and a word spelled in capitals where the span is ("NASA"). So a reading may be written
several ways (`writings`) and counts as its likeliest. One rule keeps that honest: a writing two readings of
the item share is given to neither (`writings_of`). "IT" is how Whisper writes both "it" and "i t"; were it a
writing of either, that reading would win whichever was said.

The writings (docs/hard-text.md, "How a reading is written", states the rule and the measurement behind it):

- words in lowercase, letters said one by one in capitals, spaced: "at ten A M", "the U S economy";
- the same with the letters dotted: "A.M.", "U.S.";
- a word written as the span writes it ("NASA", "Henry", "COVID"), letters as above.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from harness.core.spoken_grammar import Reading

_SPAN_WORD = re.compile(r"[A-Za-z]+")


def letter_positions(reading: Reading) -> set[int]:
    """The words of the reading that are letters said one by one: a one-letter word, but a lone "a" (the
    article) unless another one-letter word stands beside it ("a m", "n a s a")."""
    letters = set()
    for index, word in enumerate(reading):
        if len(word) != 1:
            continue
        beside = any(0 <= other < len(reading) and len(reading[other]) == 1 for other in (index - 1, index + 1))
        if word != "a" or beside:
            letters.add(index)
    return letters


def writings(reading: Reading, span: str) -> tuple[str, ...]:
    """The ways ``reading`` may be written, the plainest first (no duplicates)."""
    letters = letter_positions(reading)
    cased = {word.lower(): word for word in _SPAN_WORD.findall(span) if len(word) > 1}

    def written(dotted: bool, as_span: bool) -> str:
        parts: list[str] = []
        run: list[str] = []
        for index, word in enumerate((*reading, "")):
            if index in letters:
                run.append(word.upper())
                continue
            if run:
                parts.append("".join(letter + "." for letter in run) if dotted else " ".join(run))
                run = []
            if word:
                parts.append(cased.get(word, word) if as_span else word)
        return " ".join(parts)

    return tuple(dict.fromkeys(written(dotted, as_span) for as_span in (False, True) for dotted in (False, True)))


def writings_of(readings: Iterable[Reading], span: str) -> dict[Reading, tuple[str, ...]]:
    """Each reading's writings without those another reading of the item shares; a reading keeps its plainest
    writing whatever (two readings written alike there are scored alike)."""
    readings = list(dict.fromkeys(readings))
    by_reading = {reading: writings(reading, span) for reading in readings}
    owners: dict[str, set[Reading]] = defaultdict(set)
    for reading, texts in by_reading.items():
        for text in texts:
            owners[text].add(reading)
    return {reading: (texts[0], *(text for text in texts[1:] if len(owners[text]) == 1))
            for reading, texts in by_reading.items()}
