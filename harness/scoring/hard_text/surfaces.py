"""How a reading is written for the model: the text whose likelihood stands for the reading's.

A reading is words ("u s", "nasa", "world war two"); the model scores text, and how the text is written matters:
a lone letter in lowercase ("v two") is a word to Whisper, so letters said one by one are written as capitals.
The rule, one writing per reading:

- words in lowercase, as the grammar writes them ("world war two", "nasa", "doctor patel");
- letters said one by one (a one-letter word; a lone "a" only beside another one-letter word, else it is the
  article) as spaced capitals: "at ten A M", "the U S economy", "N A S A".

It was chosen by measurement (docs/hard-text.md, "How a reading is written"): over 744 renders of en_hard, more
writings per reading, each reading scored by its likeliest — letters dotted ("U.S."), joined ("US"), words as the
span writes them ("NASA", "Henry") — put more renders on the wrong side, with tiny.en and with base, even where no
two readings of an item were given one writing (which would make it ambiguous: "IT" is how Whisper writes both
"it" and "i t"). Joined capitals are how Whisper writes an acronym said as a word too, so they favour the letters
whatever was said; the span's capitals do the same for the word.
"""

from __future__ import annotations

from harness.core.hard_text.grammar import Reading


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


def written(reading: Reading) -> str:
    """The reading as the model is asked about it (the module's rule)."""
    letters = letter_positions(reading)
    return " ".join(word.upper() if index in letters else word for index, word in enumerate(reading))
